/**
 * vroegsignaal-team: a team's inbox of alerts from its own queue, and its reports back.
 * See packages/cli/README.md, "For teams".
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CASE_RESULTS, TEAM_ID_PATTERN, type TeamDetailType } from '@vroegsignaal/events';
import { connectionOptions, resolveConnection } from '../aws.ts';
import { integerOption, parseOptions, resolveNow, runCommand, type CliIo } from '../cli.ts';
import { EXIT, unreachable, UsageError } from '../errors.ts';
import { formatEntry, formatTable, listRows } from './format.ts';
import { defaultInboxPath, findEntry, loadInbox, openEntries, saveInbox, type Inbox } from './inbox.ts';
import { DEFAULT_QUEUE_PREFIX, fetchIntoInbox, resolveQueueUrl, type FetchCounts } from './queue.ts';
import { markReported, requireCaseResult, sendTeamReport } from './report.ts';
import { NETWORK_HINT } from '../put-events.ts';

export const TEAM_HELP = `vroegsignaal-team: your team's alerts from vroegsignaal, and your reports back

Usage:
  vroegsignaal-team inbox --team ID                    fetch new messages from your queue, list open alerts
  vroegsignaal-team show ALERT --team ID               one alert in full
  vroegsignaal-team pickup ALERT --team ID             you take the case (sends AlertPickedUp)
  vroegsignaal-team close ALERT --team ID --result R   you close it (sends CaseClosed); R is one of
                                                       ${CASE_RESULTS.join(', ')}
ALERT is the alert id, or enough of its start to be unique in your inbox.

Messages are taken off your queue into an inbox file (default .data/inbox/<team>.json) and
deleted from the queue only once the file is written. An update or reminder is shown with the
alert it is about; the same message twice is kept once. "show" prints the address and contact
details: need-to-know data for your team's visit only. The inbox file holds them too; it is
written readable by you only. Keep it on your team's own machine or share.

Options:
  --team ID               your team id, e.g. utrecht-schuldhulp (default: VROEGSIGNAAL_TEAM)
  --inbox FILE            the inbox file (default .data/inbox/<team>.json)
  --json                  print JSON instead of text (inbox: the open entries; show: the entry)
  --all                   inbox: list closed alerts too
  --offline               inbox: list what the file holds, without reading the queue
  --now ISO               "now" for waited times and report times (default: VROEGSIGNAAL_NOW, else the clock)

Where (the same command works against the local stack and AWS):
  --endpoint URL          the endpoint of the service the command uses: SQS for inbox,
                          EventBridge for pickup and close
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
    const { values, positionals } = parseOptions(argv, OPTIONS);
    const [command, alertId, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      io.stdout(TEAM_HELP);
      return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
    }
    const team = values.team ?? io.env.VROEGSIGNAAL_TEAM;
    if (team === undefined) throw new UsageError('--team ID is required (e.g. --team utrecht-schuldhulp)');
    if (!TEAM_ID_PATTERN.test(team)) throw new UsageError('--team must be a team id like "utrecht-schuldhulp"');
    if (rest.length > 0) throw new UsageError(`${command} takes at most one ALERT`);
    const inboxPath = values.inbox ?? defaultInboxPath(team, context.cwd);
    const nowMs = resolveNow(values.now, io.env);
    switch (command) {
      case 'inbox':
      case 'list':
        if (alertId !== undefined) throw new UsageError('inbox takes no ALERT; use show ALERT');
        return inbox(team, inboxPath, nowMs, values, context);
      case 'show':
      case 'pickup':
      case 'close': {
        if (alertId === undefined) throw new UsageError(`${command} needs an ALERT id`);
        const box = loadInbox(inboxPath, team);
        const entry = findEntry(box, alertId);
        if (command === 'show') {
          io.stdout(values.json ? `${JSON.stringify(entry, null, 2)}\n` : formatEntry(entry, nowMs));
          return EXIT.ok;
        }
        return report(command === 'pickup' ? 'AlertPickedUp' : 'CaseClosed', team, box, inboxPath, entry.alertId, nowMs, values, io);
      }
      default:
        throw new UsageError(`unknown command "${command}"; expected inbox, show, pickup or close (see --help)`);
    }
  });
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
  if (values.json) {
    io.stdout(`${JSON.stringify({ team, inbox: inboxPath, fetched: counts ?? null, alerts: entries }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (counts) {
    const parts = [`${counts.alert} new alert${counts.alert === 1 ? '' : 's'}`, `${counts.update} update${counts.update === 1 ? '' : 's'}`, `${counts.reminder} reminder${counts.reminder === 1 ? '' : 's'}`];
    if (counts.duplicate) parts.push(`${counts.duplicate} duplicate${counts.duplicate === 1 ? '' : 's'} folded in`);
    if (counts.unreadable) parts.push(`${counts.unreadable} unreadable (kept in the inbox file)`);
    io.stdout(`Fetched ${counts.received} message${counts.received === 1 ? '' : 's'}: ${parts.join(', ')}.\n`);
    if (counts.notDeleted) io.stderr(`warning: ${counts.notDeleted} message(s) could not be deleted from the queue; they will come back and fold in as duplicates\n`);
  }
  io.stdout(`${team}: ${entries.length} ${values.all ? '' : 'open '}alert${entries.length === 1 ? '' : 's'} (inbox ${inboxPath})\n`);
  if (entries.length > 0) io.stdout(`${formatTable(listRows(entries, nowMs), context.columns)}\n`);
  return EXIT.ok;
}

async function report(type: TeamDetailType, team: string, box: Inbox, inboxPath: string, alertId: string, nowMs: number, values: Values, io: CliIo): Promise<number> {
  const entry = box.alerts[alertId]!;
  if (entry.status === 'closed' || (type === 'AlertPickedUp' && entry.status === 'picked-up')) {
    const done = entry.reports.filter((r) => r.type === type).at(-1);
    io.stdout(`${alertId} is already ${entry.status}${done ? ` (${type} sent ${done.at})` : ''}; nothing sent.\n`);
    return EXIT.ok;
  }
  const result = type === 'CaseClosed' ? requireCaseResult(values.result) : undefined;
  const events = resolveConnection('eventbridge', connectionOptions(values, values['events-endpoint'] ?? values.endpoint), io.env);
  const client = new EventBridgeClient(events.config);
  let sent: { eventId: string; at: string };
  try {
    sent = await sendTeamReport(client, { team, type, alertId, atMs: nowMs, ...(result ? { result } : {}) }, { ...(values.bus ? { busName: values.bus } : {}), target: events.target });
  } catch (error) {
    throw unreachable(error, events.target, { network: NETWORK_HINT }) ?? error;
  } finally {
    client.destroy();
  }
  markReported(entry, { type, at: sent.at, eventId: sent.eventId, ...(result ? { result } : {}) });
  saveInbox(inboxPath, box);
  if (values.json) {
    io.stdout(`${JSON.stringify({ alertId, sent: type, at: sent.at, eventId: sent.eventId, ...(result ? { result } : {}) })}\n`);
  } else {
    io.stdout(`${type === 'AlertPickedUp' ? 'Picked up' : `Closed (${result})`}: ${alertId}. ${type} sent (event ${sent.eventId}); the partners behind the alert will be told.\n`);
  }
  return EXIT.ok;
}
