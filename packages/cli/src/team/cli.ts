/**
 * vroegsignaal-team: a team's inbox of alerts from its own queue, and its reports back.
 * See packages/cli/README.md, "For teams".
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { didYouMean } from '@vroegsignaal/command';
import { CASE_RESULTS, CONTACT_CHANNELS, detailsOfResult, NOT_TAKEN_REASONS, PARTS_OF_DAY, TEAM_ID_PATTERN, type NotTakenReason } from '@vroegsignaal/events';
import { loadPolicyOption } from '../policy-option.ts';
import { connectionOptions, resolveConnection } from '../aws.ts';
import { integerOption, parseOptions, resolveNow, runCommand, type CliIo } from '../cli.ts';
import { EXIT, unreachable, UsageError } from '../errors.ts';
import { formatEntry, formatEscalation, formatEscalations, formatTable, listRows } from './format.ts';
import { current, defaultInboxPath, endingOf, findEntry, findEscalation, isOverdue, loadInbox, openEntries, reportsByTime, saveInbox, type Inbox, type InboxEntry, type InboxReport } from './inbox.ts';
import { DEFAULT_QUEUE_PREFIX, fetchIntoInbox, resolveQueueUrl, type FetchCounts } from './queue.ts';
import {
  codesAsKept,
  forwardProblem,
  markReported,
  optionalPartOfDay,
  requireCaseDetail,
  requireCaseResult,
  requireChannel,
  requireMemberId,
  requireNotTakenReason,
  requireReached,
  sendTeamReport,
  type TeamReportRequest,
} from './report.ts';
import { CHANNEL_WORDS, DETAIL_WORDS, NOT_TAKEN_WORDS, RESULT_WORDS } from './words.ts';

/** The contract's margin: a report's `at` may lie up to 5 minutes before the alert was raised. */
const REPORT_BEFORE_RAISED_MS = 5 * 60_000;
import { NETWORK_HINT } from '../put-events.ts';

const RESULT_LINES = CASE_RESULTS.map((result) =>
  [`    ${result.padEnd(12)}${RESULT_WORDS[result]}; --detail:`, ...detailsOfResult(result).map((detail) => `      ${detail.padEnd(28)}${DETAIL_WORDS[detail]}`)].join('\n'),
).join('\n');
const REASON_LINES = NOT_TAKEN_REASONS.map((reason) => `    ${reason.padEnd(22)}${NOT_TAKEN_WORDS[reason]}`).join('\n');

/** Each command's own --help: what it sends, its options, and what happens next. */
const COMMAND_HELP = {
  inbox: `vroegsignaal-team inbox --team ID [--offline] [--all] [--json]

Takes new messages off your queue into the inbox file, then lists your open alerts, most
pressing first. An alert still new after its respond-by (or one the pipeline sent an overdue
reminder for) is marked overdue. Escalations (alerts of other teams still untouched, sent to
you as the coordinating team) are listed under their own heading.
`,
  show: `vroegsignaal-team show ALERT --team ID [--json]

One alert in full: its reasons, signals, the address and contact details for the visit, and
its timeline (what you received and what you sent, in the order it happened). An escalation
(another team's alert) shows the alert and the team to chase, without household data.
`,
  'pick-up': `vroegsignaal-team pick-up ALERT --team ID [--by MEMBER]

You take the case (sends AlertPickedUp). The partners behind the alert are told picked-up;
while the case is open, new signals for the household come to you as updates. Again with
another --by re-assigns the case (the partners are not told again). "pickup" works too.
`,
  attempt: `vroegsignaal-team attempt ALERT --team ID --channel CHANNEL --reached|--not-reached
                  [--part-of-day morning|afternoon|evening] [--by MEMBER]

You tried to reach the household (sends ContactAttemptLogged; any time before the alert
ends). The first attempt that reached it marks the household reached.
  --channel     ${CONTACT_CHANNELS.join(', ')}
  --part-of-day ${PARTS_OF_DAY.join(', ')} (default: from the time, in Amsterdam)
`,
  'not-taken': `vroegsignaal-team not-taken ALERT --team ID --reason REASON [--by MEMBER]

You do not take the alert (sends AlertNotTaken): it ends without a case. The partners behind
it are told not-taken, never the reason. REASON is one of:
${REASON_LINES}
`,
  forward: `vroegsignaal-team forward ALERT --team ID --to TEAM [--reason CODE] [--by MEMBER] [--policy DIR]

The alert belongs with another team of the same municipality, or with unrouted (sends
AlertForwarded). The alert ends here; TEAM gets a new alert for the household (or an update
on the alert it already has open for it). The partners are not told. --reason is a short
kebab-case code such as other-district, never free text. TEAM is checked against the policy
(--policy DIR, default the shipped one) before anything is sent.
`,
  close: `vroegsignaal-team close ALERT --team ID --result RESULT [--detail DETAIL] [--by MEMBER]

You close the case (sends CaseClosed). The partners are told closed; the same level then
stays quiet for you for 90 days. RESULT, and the DETAIL that may refine it:
${RESULT_LINES}
`,
} as const;
type Command = keyof typeof COMMAND_HELP;
const COMMAND_ALIASES: Record<string, Command> = { list: 'inbox', pickup: 'pick-up' };

export const TEAM_HELP = `vroegsignaal-team: your team's alerts from vroegsignaal, and your reports back

Usage:
  vroegsignaal-team inbox --team ID                    fetch new messages from your queue, list open alerts
  vroegsignaal-team show ALERT --team ID               one alert in full, with its timeline
  vroegsignaal-team pick-up ALERT --team ID            you take the case (AlertPickedUp)
  vroegsignaal-team attempt ALERT --team ID --channel C --reached|--not-reached
                                                       you tried to reach the household (ContactAttemptLogged)
  vroegsignaal-team not-taken ALERT --team ID --reason R
                                                       you do not take it (AlertNotTaken)
  vroegsignaal-team forward ALERT --team ID --to TEAM  it belongs with another team (AlertForwarded)
  vroegsignaal-team close ALERT --team ID --result R [--detail D]
                                                       you close the case (CaseClosed)
ALERT is the alert id, or enough of its start to be unique in your inbox.
"vroegsignaal-team COMMAND --help" explains a command and lists its codes.

Messages are taken off your queue into an inbox file (default .data/inbox/<team>.json) and
deleted from the queue only once the file is written. An update or reminder is shown with the
alert it is about; the same message twice is kept once. "show" prints the address and contact
details: need-to-know data for your team's visit only. The inbox file holds them too; it is
written readable by you only. Keep it on your team's own machine or share.

Options:
  --team ID               your team id, e.g. utrecht-schuldhulp (default: VROEGSIGNAAL_TEAM)
  --inbox FILE            the inbox file (default .data/inbox/<team>.json)
  --json                  print JSON instead of text (inbox: the open entries; show: the entry)
  --all                   inbox: list ended alerts too
  --offline               inbox: list what the file holds, without reading the queue
  --now ISO               "now" for waited times and report times (default: VROEGSIGNAAL_NOW, else the clock)
  --by MEMBER             a report's pseudonymous member id (e.g. sh-207); never a name or e-mail address
  --channel, --reached, --not-reached, --part-of-day   attempt (see attempt --help)
  --reason CODE           not-taken: why (see not-taken --help); forward: an optional code
  --to TEAM               forward: the team that gets the alert
  --result R, --detail D  close: ${CASE_RESULTS.join(', ')} (see close --help)
  --policy DIR            forward: the policy to check TEAM in (default: the shipped policy)

Where (the same command works against the local stack and AWS):
  --endpoint URL          the endpoint of the service the command uses: SQS for inbox,
                          EventBridge for the reports
  --sqs-endpoint URL      SQS endpoint (default: AWS_ENDPOINT_URL_SQS, else AWS)
  --events-endpoint URL   EventBridge endpoint (default: AWS_ENDPOINT_URL_EVENTBRIDGE, else AWS)
  --queue-url URL         your queue's URL (default: looked up by name, <prefix>team-<ID>.fifo)
  --queue-prefix P        queue name prefix (default ${DEFAULT_QUEUE_PREFIX})
  --bus NAME              event bus name or ARN for reports (default: signals)
  --region REGION         AWS region (default: AWS_REGION; eu-west-1 for a local endpoint)
  --profile NAME          AWS profile for credentials (default: the SDK's default chain)
  --account ID            local stack only: the 12-digit account to report from
  --wait-seconds N        inbox: long-poll seconds per receive (default 0 locally, 1 on AWS)

Exit status: 0 done, 1 the bus did not take a report, 2 the queue or bus cannot be reached,
64 usage error.
`;

const OPTIONS = {
  team: { type: 'string' },
  inbox: { type: 'string' },
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  offline: { type: 'boolean' },
  now: { type: 'string' },
  result: { type: 'string' },
  detail: { type: 'string' },
  by: { type: 'string' },
  channel: { type: 'string' },
  reached: { type: 'boolean' },
  'not-reached': { type: 'boolean' },
  'part-of-day': { type: 'string' },
  reason: { type: 'string' },
  to: { type: 'string' },
  policy: { type: 'string' },
  endpoint: { type: 'string' },
  'sqs-endpoint': { type: 'string' },
  'events-endpoint': { type: 'string' },
  'queue-url': { type: 'string' },
  'queue-prefix': { type: 'string' },
  bus: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  account: { type: 'string' },
  'wait-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>['values'];

export interface TeamCliContext {
  io: CliIo;
  /** Where a relative default inbox path starts (tests pass a temporary directory). */
  cwd?: string;
  /** Terminal width for cutting long lines. */
  columns?: number;
}

export async function runTeamCli(argv: string[], context: TeamCliContext): Promise<number> {
  const { io } = context;
  return runCommand(io, async () => {
    refuseUnknownOptions(argv);
    const { values, positionals } = parseOptions(argv, OPTIONS);
    const [given, alertId, ...rest] = positionals;
    const named = given === 'help' ? alertId : given;
    const command = named === undefined ? undefined : Object.hasOwn(COMMAND_ALIASES, named) ? COMMAND_ALIASES[named] : Object.hasOwn(COMMAND_HELP, named) ? (named as Command) : undefined;
    if (named !== undefined && command === undefined) {
      const typo = didYouMean(named, [...Object.keys(COMMAND_HELP), ...Object.keys(COMMAND_ALIASES)]);
      const nearest = typo === undefined ? undefined : (COMMAND_ALIASES[typo] ?? typo);
      throw new UsageError(`unknown command "${named}"${nearest ? `; did you mean ${nearest}?` : ''} (expected ${Object.keys(COMMAND_HELP).join(', ')}; see --help)`);
    }
    if (values.help || given === 'help' || command === undefined) {
      io.stdout(command === undefined ? TEAM_HELP : COMMAND_HELP[command]);
      return given === undefined && !values.help ? EXIT.usage : EXIT.ok;
    }
    const team = values.team ?? io.env.VROEGSIGNAAL_TEAM;
    if (team === undefined) throw new UsageError('--team ID is required (e.g. --team utrecht-schuldhulp)');
    if (!TEAM_ID_PATTERN.test(team)) throw new UsageError('--team must be a team id like "utrecht-schuldhulp"');
    if (rest.length > 0) throw new UsageError(`${command} takes at most one ALERT`);
    refuseOtherCommandsOptions(command, values);
    const inboxPath = values.inbox ?? defaultInboxPath(team, context.cwd);
    const nowMs = resolveNow(values.now, io.env);
    if (command === 'inbox') {
      if (alertId !== undefined) throw new UsageError('inbox takes no ALERT; use show ALERT');
      return inbox(team, inboxPath, nowMs, values, context);
    }
    if (alertId === undefined) throw new UsageError(`${command} needs an ALERT id (see ${command} --help)`);
    const box = loadInbox(inboxPath, team);
    const escalation = command === 'show' ? findEscalation(box, alertId) : undefined;
    if (escalation) {
      io.stdout(values.json ? `${JSON.stringify(escalation, null, 2)}\n` : formatEscalation(escalation, nowMs));
      return EXIT.ok;
    }
    const entry = findEntry(box, alertId);
    if (command === 'show') {
      io.stdout(values.json ? `${JSON.stringify(entry, null, 2)}\n` : formatEntry(entry, nowMs));
      return EXIT.ok;
    }
    const request = reportRequest(command, team, entry, nowMs, values);
    return report(request, box, inboxPath, values, io);
  });
}

/** An option this CLI does not have, said with the nearest one it has (node's own message offers none). */
function refuseUnknownOptions(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0]!;
    if (Object.hasOwn(OPTIONS, name)) continue;
    const nearest = didYouMean(name, Object.keys(OPTIONS));
    throw new UsageError(`unknown option --${name}${nearest ? `; did you mean --${nearest}?` : ''} (see --help)`);
  }
}

/** The options that belong to some commands only: given to another, they would be dropped unsaid. */
const OPTION_COMMANDS: Partial<Record<keyof typeof OPTIONS, readonly Command[]>> = {
  by: ['pick-up', 'attempt', 'not-taken', 'forward', 'close'],
  channel: ['attempt'],
  reached: ['attempt'],
  'not-reached': ['attempt'],
  'part-of-day': ['attempt'],
  reason: ['not-taken', 'forward'],
  to: ['forward'],
  policy: ['forward'],
  result: ['close'],
  detail: ['close'],
};

function refuseOtherCommandsOptions(command: Command, values: Values): void {
  for (const [option, commands] of Object.entries(OPTION_COMMANDS)) {
    if (values[option as keyof Values] !== undefined && !commands.includes(command)) throw new UsageError(`--${option} belongs to ${commands.join(', ')}, not ${command}`);
  }
}

/** The command's options checked and turned into a report, before anything is sent. */
function reportRequest(command: Exclude<Command, 'inbox' | 'show'>, team: string, entry: InboxEntry, nowMs: number, values: Values): TeamReportRequest {
  const by = requireMemberId(values.by);
  const base = { team, alertId: entry.alertId, atMs: nowMs, ...(by !== undefined ? { by } : {}) };
  switch (command) {
    case 'pick-up':
      return { ...base, type: 'AlertPickedUp' };
    case 'attempt': {
      const partOfDay = optionalPartOfDay(values['part-of-day']);
      return { ...base, type: 'ContactAttemptLogged', channel: requireChannel(values.channel), reached: requireReached(values.reached, values['not-reached']), ...(partOfDay ? { partOfDay } : {}) };
    }
    case 'not-taken':
      return { ...base, type: 'AlertNotTaken', reason: requireNotTakenReason(values.reason) };
    case 'forward': {
      if (values.to === undefined) throw new UsageError('forward needs --to TEAM: another team of the same municipality, or unrouted');
      const problem = forwardProblem(loadPolicyOption(values.policy), current(entry).municipalityCode, team, values.to);
      if (problem) throw new UsageError(`cannot forward to ${values.to}: ${problem}`);
      return { ...base, type: 'AlertForwarded', toTeam: values.to, ...(values.reason !== undefined ? { reason: values.reason } : {}) };
    }
    case 'close': {
      const result = requireCaseResult(values.result);
      const detail = requireCaseDetail(result, values.detail);
      return { ...base, type: 'CaseClosed', result, ...(detail ? { detail } : {}) };
    }
  }
}


async function inbox(team: string, inboxPath: string, nowMs: number, values: Values, context: TeamCliContext): Promise<number> {
  const { io } = context;
  const box = loadInbox(inboxPath, team);
  let counts: FetchCounts | undefined;
  if (!values.offline) {
    const sqsConnection = resolveConnection('sqs', connectionOptions(values, values['sqs-endpoint'] ?? values.endpoint), io.env);
    const waitSeconds = integerOption(values['wait-seconds'], '--wait-seconds', 0, 20) ?? (sqsConnection.local ? 0 : 1);
    const sqs = new SQSClient(sqsConnection.config);
    const target = `the queue of team ${team} (${sqsConnection.target})`;
    try {
      const queueUrl = await resolveQueueUrl(sqs, team, {
        ...(values['queue-url'] ? { queueUrl: values['queue-url'] } : {}),
        ...(values['queue-prefix'] !== undefined ? { queuePrefix: values['queue-prefix'] } : {}),
      });
      counts = await fetchIntoInbox(sqs, queueUrl, box, inboxPath, { waitSeconds });
    } catch (error) {
      throw unreachable(error, target, { network: NETWORK_HINT, missing: 'Check --team, and --queue-prefix or --queue-url.' }) ?? error;
    } finally {
      sqs.destroy();
    }
  }
  const entries = values.all ? Object.values(box.alerts) : openEntries(box);
  const escalations = Object.values(box.escalations ?? {});
  if (values.json) {
    io.stdout(`${JSON.stringify({ team, inbox: inboxPath, fetched: counts ?? null, alerts: entries, escalations }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (counts) {
    const parts = [`${counts.alert} new alert${counts.alert === 1 ? '' : 's'}`, `${counts.update} update${counts.update === 1 ? '' : 's'}`, `${counts.reminder} reminder${counts.reminder === 1 ? '' : 's'}`];
    if (counts.escalation) parts.push(`${counts.escalation} escalation${counts.escalation === 1 ? '' : 's'}`);
    if (counts.duplicate) parts.push(`${counts.duplicate} duplicate${counts.duplicate === 1 ? '' : 's'} folded in`);
    if (counts.unreadable) parts.push(`${counts.unreadable} unreadable (kept in the inbox file)`);
    io.stdout(`Fetched ${counts.received} message${counts.received === 1 ? '' : 's'}: ${parts.join(', ')}.\n`);
    if (counts.notDeleted) io.stderr(`warning: ${counts.notDeleted} message(s) could not be deleted from the queue; they will come back and fold in as duplicates\n`);
  }
  const overdue = entries.filter((entry) => isOverdue(entry, nowMs)).length;
  io.stdout(`${team}: ${entries.length} ${values.all ? '' : 'open '}alert${entries.length === 1 ? '' : 's'}${overdue ? `, ${overdue} overdue` : ''} (inbox ${inboxPath})\n`);
  if (entries.length > 0) io.stdout(`${formatTable(listRows(entries, nowMs), context.columns)}\n`);
  if (escalations.length > 0) {
    io.stdout(`\nEscalations: ${escalations.length} alert${escalations.length === 1 ? '' : 's'} of other teams still untouched past the escalation moment; chase the team (you cannot report on them)\n`);
    io.stdout(`${formatEscalations(escalations, nowMs, context.columns)}\n`);
  }
  return EXIT.ok;
}

/** Why a report is not sent: the alert has ended, or it is already picked up by the same member. */
function notSentBecause(entry: InboxEntry, request: TeamReportRequest): string | undefined {
  const ending = endingOf(entry);
  if (ending) return `${entry.alertId} is already ${entry.status} (${ending.type} sent ${ending.at}); nothing sent.`;
  if (request.type !== 'AlertPickedUp') return undefined;
  const pickUp = lastPickUp(entry);
  if (pickUp === undefined || (request.by !== undefined && request.by !== pickUp.by)) return undefined;
  return `${entry.alertId} is already picked up (AlertPickedUp sent ${pickUp.at}${pickUp.by ? ` by ${pickUp.by}` : ''}); nothing sent. Give another --by to re-assign the case.`;
}

function lastPickUp(entry: InboxEntry): InboxReport | undefined {
  return reportsByTime(entry).findLast((r) => r.type === 'AlertPickedUp');
}

/** What the team sent, in words, and what happens next. */
function sentText(request: TeamReportRequest, entry: InboxEntry, eventId: string, { reassigned, firstReached, partOfDayFilled }: { reassigned: boolean; firstReached: boolean; partOfDayFilled: boolean }): string {
  const by = request.by ? ` by ${request.by}` : '';
  const sent = `${request.type} sent (event ${eventId})`;
  switch (request.type) {
    case 'AlertPickedUp':
      return reassigned
        ? `Re-assigned: ${entry.alertId} to ${request.by}. ${sent}; the partners are not told again.`
        : `Picked up: ${entry.alertId}${by}. ${sent}; the partners behind the alert will be told picked-up, and new signals for the household come to you as updates.`;
    case 'ContactAttemptLogged':
      return `Contact attempt logged: ${entry.alertId}, ${CHANNEL_WORDS[request.channel!]}${request.partOfDay ? ` (${request.partOfDay}${partOfDayFilled ? ", from the report's time" : ''})` : ''}, ${request.reached ? 'reached' : 'not reached'}${by}. ${sent}; it goes on the alert's timeline${firstReached ? ', and the household now counts as reached' : ''}.`;
    case 'AlertNotTaken':
      return `Not taken: ${entry.alertId} (${NOT_TAKEN_WORDS[request.reason as NotTakenReason]})${by}. ${sent}; the alert ends here without a case, and the partners behind it are told not-taken, never the reason.`;
    case 'AlertForwarded':
      return `Forwarded: ${entry.alertId} to ${request.toTeam}${request.reason ? ` (${request.reason})` : ''}${by}. ${sent}; the alert ends here; ${request.toTeam} gets a new alert for the household (or an update on one it has open). The partners are not told.`;
    case 'CaseClosed':
      return `Closed (${request.result}${request.detail ? `: ${DETAIL_WORDS[request.detail]}` : ''}): ${entry.alertId}${by}. ${sent}; the partners behind the alert will be told closed, and the same level stays quiet for you for 90 days.`;
  }
}

async function report(request: TeamReportRequest, box: Inbox, inboxPath: string, values: Values, io: CliIo): Promise<number> {
  const entry = box.alerts[request.alertId]!;
  const refused = notSentBecause(entry, request);
  if (refused) {
    io.stdout(`${refused}\n`);
    return EXIT.ok;
  }
  const raisedAtMs = Date.parse(entry.alert?.createdAt ?? current(entry).createdAt);
  if (request.atMs < raisedAtMs - REPORT_BEFORE_RAISED_MS) {
    throw new UsageError(`the report's time (--now) lies before the alert was raised (${current(entry).createdAt}); the pipeline would reject it`);
  }
  const reassigned = request.type === 'AlertPickedUp' && lastPickUp(entry) !== undefined;
  const wasReached = entry.status === 'reached';
  const events = resolveConnection('eventbridge', connectionOptions(values, values['events-endpoint'] ?? values.endpoint), io.env);
  const client = new EventBridgeClient(events.config);
  let sent: { eventId: string; at: string };
  try {
    sent = await sendTeamReport(client, request, { ...(values.bus ? { busName: values.bus } : {}), target: events.target });
  } catch (error) {
    throw unreachable(error, events.target, { network: NETWORK_HINT }) ?? error;
  } finally {
    client.destroy();
  }
  const { type, alertId } = request;
  const { codes, partOfDayFilled } = codesAsKept(request, sent.at);
  markReported(entry, { type, at: sent.at, eventId: sent.eventId, ...codes });
  saveInbox(inboxPath, box);
  if (values.json) {
    io.stdout(`${JSON.stringify({ alertId, sent: type, at: sent.at, eventId: sent.eventId, ...codes, status: entry.status })}\n`);
  } else {
    io.stdout(`${sentText({ ...request, ...codes }, entry, sent.eventId, { reassigned, firstReached: !wasReached && entry.status === 'reached', partOfDayFilled })}\n`);
  }
  return EXIT.ok;
}
