/**
 * npm run serve: the local stack, kept up (SERVE below has the options).
 * (`--env-script`, not `--env-file`: Node 20 takes `--env-file` for itself even after the script name.)
 *
 * The local pipeline, kept running for the partner and team CLIs (and any SDK client): the
 * stand-ins, buses, queues and handlers of `npm start`, without the replay that ends it; and the
 * team workspace on it (http://localhost:8080), logging in through a local OpenID provider
 * whose seeded users and password it prints. It
 * prints the endpoints and names, writes them as shell variables to an env file
 * (`source .data/serve/env.sh` in another terminal, and the CLIs need no --endpoint), and stops
 * cleanly on Ctrl-C or SIGTERM. Everything is in memory: a restart starts empty.
 *
 * Every seeded user of the local identity provider is a member who wants e-mail notices (at
 * `<username>@vroegsignaal.local`, every kind on, the shipped digest time): the notices go over
 * SMTP to a mail server in this process that keeps them, and the workspace shows a member's on
 * its local outbox page (/uitgaande-post). Nothing is sent off this machine. The digest runs
 * whenever the clock enters a new quarter hour (at once for a pinned clock).
 *
 * `--feed FILE` puts a file of PutEvents entries (NDJSON, as `npm run replay` takes) on the bus
 * first, as the replay does (its `Now` lines move the clock on), and leaves the team messages it
 * raises on the team queues, for the teams to read. `--now T` pins the clock at T, as the replay
 * does; the env file then carries VROEGSIGNAAL_NOW (where the feed left the clock), so the CLIs
 * use the same moment.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { checkOutputFile, defineCommand, integerOption, runCommand, UsageError, type CommandArgs } from '@vroegsignaal/command';
import { BUSES, PIPELINE_DETAIL_TYPES } from '@vroegsignaal/events';
import { documentClient, DynamoTeamInbox, teamQueueName } from '@vroegsignaal/adapters';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';
import {
  LOCAL_PASSWORD,
  LOCAL_QUEUE_PREFIX,
  LOCAL_TABLE_NAME,
  seedLocalMembers,
  startLocalPipeline,
  startLocalWorkspace,
  type LocalIdentityUser,
  type LocalPipeline,
  type LocalWorkspace,
} from '@vroegsignaal/stand-ins';
import { onStandIns } from '../engines.ts';
import { replayOn } from '../replay.ts';
import { FEED_FILE, loadPolicyOption, NOW_OPTION, parseNow, readFeedLines } from './inputs.ts';

const DEFAULT_WORKSPACE_PORT = 8080;
/** How often (wall clock) the digest looks whether the pipeline's clock entered a new quarter hour. */
const DIGEST_CHECK_MS = 30_000;
const QUARTER_HOUR_MS = 15 * 60_000;

const SERVE = defineCommand({
  name: 'npm run serve --',
  purpose:
    'Keeps the local pipeline (the stand-ins, buses, queues and handlers of npm start) running for the partner and team CLIs, and the team workspace on it with a local OpenID provider, until Ctrl-C or SIGTERM.',
  usage: ['[--now T] [--feed FILE] [--workspace-port PORT] [--config DIR] [--env-script FILE] [--log FILE] [--quiet]'],
  examples: ['npm run serve -- --now 2026-11-15T09:00:00+01:00', 'npm run serve -- --feed events/samples/feed.ndjson --now 2026-11-15T09:00:00+01:00 --quiet'],
  options: {
    now: { ...NOW_OPTION, description: `${NOW_OPTION.description}; the env file carries it to the CLIs` },
    feed: { type: 'string', value: 'FILE', description: `${FEED_FILE} to put on the bus first; its team messages wait on the team queues` },
    'workspace-port': {
      type: 'string',
      value: 'PORT',
      description: `where the team workspace listens on localhost (default ${DEFAULT_WORKSPACE_PORT}; 0 takes any free port); its login provider takes a free port of its own`,
    },
    config: { type: 'string', value: 'DIR', description: 'the policy directory (default packages/policy/defaults)' },
    'env-script': { type: 'string', value: 'FILE', description: 'where to write the endpoints as shell variables (default .data/serve/env.sh)' },
    log: { type: 'string', value: 'FILE', description: "the handlers' log lines, appended (default .data/serve/handlers.log)" },
    quiet: { type: 'boolean', description: 'do not print what the pipeline makes of each entry' },
  },
  notes: [
    'It starts in about 5 s and runs until stopped; everything is in memory, so a restart starts empty (and logs everyone out of the workspace).',
    `The workspace's seeded users are <team>.1 and <team>.2 per team, and coordinator.<GM code>, municipality.<GM code> and privacy-officer.<GM code> per municipality; all with the password ${LOCAL_PASSWORD}.`,
    "Every seeded user gets e-mail notices at <username>@vroegsignaal.local: they go to a mail server in this process, never off the machine, and the workspace's /uitgaande-post shows a logged-in member's.",
  ],
});

interface ServeArgs {
  /** --now as given, for the env file; and as epoch ms. */
  now?: string;
  nowMs?: number;
  feed?: string[];
  feedFile?: string;
  policy: CompiledPolicy;
  envFile: string;
  log: string;
  quiet: boolean;
  workspacePort: number;
}

/** Every input read and checked, before the log and env file are opened. */
function serveArgs({ values }: CommandArgs<typeof SERVE.options>): ServeArgs {
  const args = {
    now: values.now,
    nowMs: parseNow(values.now),
    ...(values.feed !== undefined ? { feed: readFeedLines(values.feed), feedFile: values.feed } : {}),
    policy: loadPolicyOption(values.config),
    envFile: values['env-script'] ?? '.data/serve/env.sh',
    log: values.log ?? '.data/serve/handlers.log',
    quiet: values.quiet === true,
    workspacePort: workspacePortOption(values['workspace-port']),
  };
  checkOutputFile(args.envFile, 'a file to write the endpoints to (--env-script)');
  checkOutputFile(args.log, 'a file to write the handler logs to (--log)');
  return args;
}

function workspacePortOption(value: string | undefined): number {
  const port = integerOption(value, 'workspace-port', 0) ?? DEFAULT_WORKSPACE_PORT;
  if (port > 65_535) throw new UsageError(`--workspace-port must be a port number (0 to 65535), not "${value}"`);
  return port;
}

/**
 * Replays a feed on the served stack as `npm run replay` does (a line's `Now` moves the clock on,
 * reminders due on the way are sent first), but leaves the team messages on the team queues.
 */
async function feed(pipeline: LocalPipeline, lines: readonly string[]): Promise<{ sent: number; rejected: number; clockHeld: number }> {
  const counts = { sent: 0, rejected: 0, clockHeld: 0 };
  const engine = { ...onStandIns(pipeline), collectTeamMessages: async () => [], stop: async () => {} };
  const result = await replayOn(engine, lines, {
    nowMs: pipeline.now(),
    keep: false,
    onOutcome: (outcome) => {
      if (outcome.outcome === 'rejected') counts.rejected++;
      else counts.sent++;
    },
  });
  counts.clockHeld = result.clockHeld.length;
  return counts;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The partner the printed push example sends as; the example team is one its signals reach. */
const EXAMPLE_PARTNER = 'mitros';

/** `ids` after `label`, comma-separated and wrapped at 100 columns under the first id. */
function wrapIds(label: string, ids: readonly string[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const id of ids) {
    if (line !== '' && label.length + line.length + id.length + 2 > 100) {
      lines.push(`${line},`);
      line = '';
    }
    line += line === '' ? id : `, ${id}`;
  }
  lines.push(line);
  return lines.map((text, i) => `${i === 0 ? label : ' '.repeat(label.length)}${text}`);
}

/** A team the example partner's signals reach. */
function exampleTeam(policy: CompiledPolicy): string {
  const codes = policy.partner(EXAMPLE_PARTNER)?.municipalities;
  const home = Array.isArray(codes) ? codes[0] : undefined;
  return (policy.teams().find((team) => (home ? team.municipalityCode === home : team.municipalityCode !== null)) ?? policy.teams()[0]!).id;
}

/**
 * The workspace's address and whom to log in as: the members of the team with the most open
 * alerts (the example team when none has any), and its municipality's coordinator and privacy officer.
 */
async function workspaceLogins(pipeline: LocalPipeline, workspace: LocalWorkspace): Promise<string[]> {
  const { policy } = pipeline;
  const inbox = new DynamoTeamInbox(documentClient(pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME);
  const open = await Promise.all(policy.teams().map(async (team) => ({ team, count: (await inbox.openAlerts(team.id)).length })));
  const busiest = open.reduce((best, next) => (next.count > best.count ? next : best), { team: policy.team(exampleTeam(policy))!, count: 0 });
  const { team } = busiest;
  const users = workspace.identity.users;
  const usersOf = (test: (user: LocalIdentityUser) => boolean) => users.filter(test).map((user) => user.username);
  const code = team.municipalityCode;
  const municipality = code === null ? undefined : (policy.municipality(code)?.name ?? code);
  const municipal = (kind: 'coordinator' | 'municipality' | 'privacy-officer') => usersOf((user) => user.roles.some((role) => role.kind === kind && role.municipalityCode === code));
  const rows: [string, string][] = [
    [usersOf((user) => user.roles.some((role) => role.kind === 'team' && role.team === team.id)).join(', '), `members of ${team.id}: ${busiest.count} open alerts`],
    ...(municipality === undefined
      ? []
      : ([
          [municipal('coordinator').join(', '), `${municipality}'s coordinator: overdue and escalated alerts, no addresses`],
          [municipal('municipality').join(', '), `${municipality}'s municipality role: the monitor and the DDAS download`],
          [municipal('privacy-officer').join(', '), `${municipality}'s privacy officer: the access log`],
        ] as [string, string][])),
  ];
  const width = Math.max(...rows.map(([names]) => names.length));
  const ddas = workspace.identity.ddasClient;
  return [
    `Team workspace  ${workspace.url}   every seeded user's password: ${LOCAL_PASSWORD}; for instance`,
    ...rows.map(([names, what]) => `  ${names.padEnd(width)}  ${what}`),
    `  (the others: npm run serve -- --help; they log in at ${workspace.identity.issuer}, an OpenID provider on this machine only)`,
    `  DDAS pull (POST ${workspace.url}/gegevens): client ${ddas.clientId}, secret ${ddas.clientSecret}, token at ${ddas.tokenEndpoint} (client credentials, scope ${ddas.scope})`,
  ];
}

/**
 * Runs the digest now and then each time the pipeline's clock enters a quarter hour it has not
 * run in (the wall clock's, or where a pinned clock stands); returns a function that stops it.
 */
function digestEveryQuarterHour(pipeline: LocalPipeline, onError: (error: unknown) => void): () => void {
  let lastSlot: number | undefined;
  let running = false;
  const tick = async () => {
    const slot = Math.floor(pipeline.now() / QUARTER_HOUR_MS);
    if (slot === lastSlot || running) return;
    running = true;
    try {
      await pipeline.runDigest();
      lastSlot = slot;
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), DIGEST_CHECK_MS);
  return () => clearInterval(timer);
}

/** Where the local users' mail is shown, how much arrived so far, and whom to log in as to see the most. */
function noticeLines(pipeline: LocalPipeline, workspace: LocalWorkspace, members: number): string[] {
  const mails = pipeline.mail.all();
  const perUser = new Map<string, number>();
  for (const mail of mails) perUser.set(mail.to, (perUser.get(mail.to) ?? 0) + 1);
  const [most] = [...perUser].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  return [
    `E-mail notices  ${workspace.url}/uitgaande-post   a logged-in member's mail (the local outbox); ${mails.length} received so far${most ? `, the most for ${most[0].split('@')[0]} (${most[1]})` : ''}`,
    `  all ${members} seeded users want notices at <username>@vroegsignaal.local; mail goes to the local SMTP server at ${pipeline.mail.host}:${pipeline.mail.port} only, nothing leaves this machine`,
  ];
}

/** The team ids of the policy by municipality, and the commands that read a team's alerts. */
function teamsToTry(policy: CompiledPolicy): string[] {
  const byMunicipality = new Map<string, string[]>();
  for (const team of policy.teams()) {
    const municipality = team.municipalityCode === null ? 'unrouted' : (policy.municipality(team.municipalityCode)?.name ?? team.municipalityCode);
    byMunicipality.set(municipality, [...(byMunicipality.get(municipality) ?? []), team.id]);
  }
  const width = Math.max(...[...byMunicipality.keys()].map((name) => name.length));
  const example = exampleTeam(policy);
  return [
    `Teams to try (${policy.teams().length}, from the policy), each with its own queue:`,
    ...[...byMunicipality].flatMap(([municipality, ids]) => wrapIds(`  ${municipality.padEnd(width)}  `, ids)),
    `  npx vroegsignaal-team inbox --team ${example}        its open alerts; any team id above works`,
    `  npx vroegsignaal-team show ALERT --team ${example}   one alert in full; then pickup ALERT, close ALERT --result R`,
  ];
}

async function serve(args: ServeArgs): Promise<void> {
  const { policy } = args;
  const terminal = divertHandlerOutput(args.log, { append: true });
  let pipeline: LocalPipeline;
  try {
    pipeline = await startLocalPipeline({ policy, clock: args.nowMs === undefined ? Date.now : () => args.nowMs! });
  } catch (error) {
    await terminal.restore();
    throw error;
  }
  const { standIns } = pipeline;
  let workspace: LocalWorkspace | undefined;
  let stopDigest: (() => void) | undefined;

  const stopped = new Promise<string>((resolveStopped) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolveStopped(signal));
  });

  // A feed or env file that fails stops the stack too: its servers would keep the process alive.
  try {
    // Before the feed, so that its urgent alerts reach them.
    const members = await seedLocalMembers(pipeline);
    // Before the feed: its alerts' notices link to the workspace where it listens.
    workspace = await startLocalWorkspace({ pipeline, port: args.workspacePort, outbox: pipeline.mail });
    pipeline.setWorkspaceOrigin(workspace.url);
    if (args.feed) {
      const counts = await feed(pipeline, args.feed);
      terminal.out(
        `Fed ${args.feedFile}: ${counts.sent} entries taken, ${counts.rejected} rejected (npm run replay lists why); their team messages wait on the team queues; the clock is now ${formatAmsterdamIso(new Date(pipeline.now()))}${counts.clockHeld ? ` (${counts.clockHeld} lines had a Now before the clock)` : ''}.\n`,
      );
    }

    stopDigest = digestEveryQuarterHour(pipeline, (error) => terminal.err(`the notice digest failed: ${error instanceof Error ? error.message : String(error)}\n`));

    const variables: Record<string, string> = {
      AWS_ENDPOINT_URL_EVENTBRIDGE: standIns.eventBridgeEndpoint,
      AWS_ENDPOINT_URL_SQS: standIns.sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: standIns.dynamodbEndpoint,
      AWS_REGION: standIns.region,
      // Where the feed's Now lines left a pinned clock, so that the CLIs judge at the same moment.
      ...(args.now ? { VROEGSIGNAAL_NOW: formatAmsterdamIso(new Date(pipeline.now())) } : {}),
    };
    mkdirSync(dirname(args.envFile), { recursive: true });
    writeFileSync(
      args.envFile,
      `# Written by npm run serve; removed when it stops. Source it: . ${args.envFile}\n${Object.entries(variables)
        .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
        .join('\n')}\n`,
    );
    terminal.out(
      [
        'vroegsignaal local stack is running. Ctrl-C (or SIGTERM) stops it; everything is in memory.',
        `  clock        ${args.now ? `pinned at ${variables.VROEGSIGNAAL_NOW} (pass --now ${variables.VROEGSIGNAAL_NOW} to the CLIs, or source the env file)` : 'the wall clock'}`,
        `  EventBridge  ${standIns.eventBridgeEndpoint}   buses: ${BUSES.signals} (partners and teams send here), ${BUSES.pipeline}`,
        `  SQS          ${standIns.sqsEndpoint}   team queues: ${teamQueueName(LOCAL_QUEUE_PREFIX, '<teamId>')}`,
        `  DynamoDB     ${standIns.dynamodbEndpoint}   table: ${LOCAL_TABLE_NAME}`,
        `  region       ${standIns.region}; any credentials work (the access key id LOCAL<12 digits> names the account)`,
        `  handler logs ${args.log}`,
        '',
        'In another terminal:',
        `  . ${args.envFile}`,
        `  npx vroegsignaal-partner push packages/cli/examples/huurachterstand-export.csv --partner ${EXAMPLE_PARTNER}`,
        ...teamsToTry(policy),
        '',
        ...(await workspaceLogins(pipeline, workspace)),
        '',
        ...noticeLines(pipeline, workspace, members),
        '',
      ].join('\n'),
    );

    if (!args.quiet) {
      // What the pipeline makes of each entry, as it happens: ids and outcomes only, never an address.
      pipeline.onPipelineEvent((event) => {
        const detail = event.detail as Record<string, unknown>;
        const time = new Date().toISOString().slice(11, 19);
        if (event['detail-type'] === PIPELINE_DETAIL_TYPES.signalOutcome) {
          terminal.out(`${time}  signal ${detail.partnerId ?? '?'}/${detail.signalId ?? '?'}: ${detail.outcome}${detail.outcome === 'rejected' && detail.reason ? ` (${String(detail.reason)})` : ''}\n`);
        } else if (event['detail-type'] === PIPELINE_DETAIL_TYPES.teamReportOutcome) {
          terminal.out(`${time}  team ${detail.teamId ?? '?'} report on ${detail.alertId ?? '?'}: ${detail.outcome}${detail.reason ? ` (${String(detail.reason)})` : ''}\n`);
        }
      });
    }
    const signal = await stopped;
    terminal.err(`\n${signal}: stopping the local stack ...\n`);
  } finally {
    rmSync(args.envFile, { force: true });
    stopDigest?.();
    await workspace?.stop();
    await pipeline.stop();
    await terminal.restore();
  }
  process.stderr.write('stopped. Goodbye.\n');
}

if (import.meta.url === `file://${process.argv[1]}` || resolve(process.argv[1] ?? '') === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await runCommand(SERVE, process.argv.slice(2), (args) => serve(serveArgs(args)));
}
