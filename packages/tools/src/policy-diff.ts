/**
 * What a policy change does to a feed: the feed is replayed under both policies on fresh
 * engines, and the alerts per team and level are compared, household by household. The
 * households' final scores under each policy feed the histogram an operator tunes by, and the
 * households that moved are listed by reference with the feed's lines about them (never an
 * address). On the in-memory engine the two policies run side by side, one worker thread each.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { assessHousehold, viewHousehold } from '@vroegsignaal/domain';
import { compilePolicy, LEVELS, loadPolicyDir, type CompiledPolicy, type Level } from '@vroegsignaal/policy';
import { withEngine, type EngineName } from './engines.ts';
import { replayOn } from './replay.ts';

export interface PolicyRun {
  /** Per household, its alerts as `team level` (team and level once, in the order raised). */
  alerts: Map<string, string[]>;
  /** Per household, the feed's line numbers about it. */
  lines: Map<string, number[]>;
  /** Every stored household's final score. */
  scores: number[];
  entries: number;
}

export interface DiffRow {
  team: string;
  level: Level;
  base: number;
  candidate: number;
  gained: number;
  lost: number;
}

/** A household whose alerts differ between the policies. */
export interface HouseholdChange {
  householdRef: string;
  base: string[];
  candidate: string[];
  lines: number[];
}

export interface PolicyDiff {
  rows: DiffRow[];
  changes: HouseholdChange[];
  base: PolicyRun;
  candidate: PolicyRun;
}

/** A feed: a file path (streamed, so a year of signals never sits in memory whole) or its lines. */
export type Feed = string | readonly string[];

function linesOf(feed: Feed): Iterable<string> | AsyncIterable<string> {
  if (typeof feed !== 'string') return feed;
  // crlfDelay: a \r\n split across chunks is one line end, so line numbers stay right.
  return createInterface({ input: createReadStream(feed, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Number.POSITIVE_INFINITY });
}

const alertName = (team: string, level: string) => `${team} ${level}`;

export function runPolicy(feed: Feed, policy: CompiledPolicy, nowMs: number, engineName: EngineName = 'memory'): Promise<PolicyRun> {
  return withEngine(engineName, { policy, clock: () => nowMs }, async (engine) => {
    const run: PolicyRun = { alerts: new Map(), lines: new Map(), scores: [], entries: 0 };
    const result = await replayOn(engine, linesOf(feed), {
      nowMs,
      keep: false,
      onMessage: (message) => {
        if (message.kind !== 'alert') return;
        const alerts = run.alerts.get(message.householdRef) ?? [];
        const name = alertName(message.team, message.level);
        if (!alerts.includes(name)) alerts.push(name);
        run.alerts.set(message.householdRef, alerts);
      },
      onHousehold: (line, householdRef) => {
        if (householdRef === null) return;
        const lines = run.lines.get(householdRef);
        if (lines) lines.push(line);
        else run.lines.set(householdRef, [line]);
      },
    });
    run.entries = result.entries;
    run.scores = (await engine.households()).map((state) => assessHousehold(viewHousehold(state, policy.settings, result.clockMs), policy).score);
    return run;
  });
}

/** Both policies on one feed, one after the other, in this thread. */
export async function diffPolicies(feed: Feed, base: CompiledPolicy, candidate: CompiledPolicy, nowMs: number, engine: EngineName = 'memory'): Promise<PolicyDiff> {
  return comparePolicyRuns(await runPolicy(feed, base, nowMs, engine), await runPolicy(feed, candidate, nowMs, engine));
}

/**
 * Both policies (as directories) on a feed file. On the in-memory engine each runs in its
 * own worker thread, side by side; the stand-ins run one after the other, as they share ports.
 */
export async function diffPolicyDirs(feed: string, baseDir: string, candidateDir: string, nowMs: number, engine: EngineName = 'memory'): Promise<PolicyDiff> {
  // Both are read here first, so that a policy's problems are reported as such, not as a worker's failure.
  const policies = [baseDir, candidateDir].map((dir) => compilePolicy(loadPolicyDir(dir))) as [CompiledPolicy, CompiledPolicy];
  if (engine === 'stand-ins') return diffPolicies(feed, ...policies, nowMs, engine);
  const [base, candidate] = await Promise.all([baseDir, candidateDir].map((policyDir) => runInWorker({ feed, policyDir, nowMs })));
  return comparePolicyRuns(base!, candidate!);
}

export interface PolicyRunJob {
  feed: string;
  policyDir: string;
  nowMs: number;
}

const WORKER_MODULE = new URL('./policy-diff-worker.ts', import.meta.url).href;

/**
 * A worker holds a whole year of one policy's households in memory (the engine's tables), a
 * few KiB each: a million signals from 440,000 households take some GiB. A young generation
 * larger than V8's default lets most of each entry's short-lived objects die without a copy.
 */
const WORKER_MEMORY = { maxOldGenerationSizeMb: 8192, maxYoungGenerationSizeMb: 192 };

function runInWorker(job: PolicyRunJob): Promise<PolicyRun> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit the TypeScript loader the tools run under (tsx), so it loads
    // its module through tsx's API.
    const source = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(WORKER_MODULE)}, ${JSON.stringify(import.meta.url)}))`;
    const worker = new Worker(source, { eval: true, workerData: job, resourceLimits: WORKER_MEMORY });
    worker.once('message', (run: PolicyRun) => resolve(run));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the policy run for ${job.policyDir} stopped with exit code ${code}`)));
  });
}

export function comparePolicyRuns(base: PolicyRun, candidate: PolicyRun): PolicyDiff {
  const rows = new Map<string, DiffRow>();
  const row = (name: string): DiffRow => {
    let found = rows.get(name);
    if (!found) {
      const [team, level] = name.split(' ') as [string, Level];
      found = { team, level, base: 0, candidate: 0, gained: 0, lost: 0 };
      rows.set(name, found);
    }
    return found;
  };
  const changes: HouseholdChange[] = [];
  for (const ref of new Set([...base.alerts.keys(), ...candidate.alerts.keys()])) {
    const before = base.alerts.get(ref) ?? [];
    const after = candidate.alerts.get(ref) ?? [];
    for (const name of before) {
      row(name).base++;
      if (!after.includes(name)) row(name).lost++;
    }
    for (const name of after) {
      row(name).candidate++;
      if (!before.includes(name)) row(name).gained++;
    }
    if (before.length !== after.length || before.some((name) => !after.includes(name))) {
      const lines = [...new Set([...(base.lines.get(ref) ?? []), ...(candidate.lines.get(ref) ?? [])])].sort((a, b) => a - b);
      changes.push({ householdRef: ref, base: [...before].sort(), candidate: [...after].sort(), lines });
    }
  }
  return {
    rows: [...rows.values()].sort((a, b) => a.team.localeCompare(b.team) || a.level.localeCompare(b.level)),
    changes: changes.sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0) || a.householdRef.localeCompare(b.householdRef)),
    base,
    candidate,
  };
}

/** The households that moved, one JSON object a line: reference, alerts under each policy, and the feed's lines. */
export function formatChanges(diff: PolicyDiff): string {
  return diff.changes.map((change) => `${JSON.stringify(change)}\n`).join('');
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const signed = (count: number) => (count > 0 ? `+${count}` : count < 0 ? `-${-count}` : '0');

/** Households per level at the end of the feed: index 0 for no level, then signal to urgent. */
function householdsPerLevel(scores: readonly number[]): number[] {
  const counts = new Array<number>(LEVELS.length + 1).fill(0);
  for (const score of scores) counts[Math.min(LEVELS.length, Math.floor(score / 100))]!++;
  return counts;
}

/** What changed, in a sentence or three: the alerts, where most, and the levels households end at. */
export function summariseDiff(diff: PolicyDiff): string {
  const changed = diff.rows.filter((r) => r.gained > 0 || r.lost > 0);
  const sentences: string[] = [];
  if (changed.length === 0) sentences.push('The candidate policy raises exactly the same alerts as the base policy on this feed.');
  else {
    const total = (key: 'base' | 'candidate' | 'gained' | 'lost') => diff.rows.reduce((n, r) => n + r[key], 0);
    const net = total('candidate') - total('base');
    const direction = net === 0 ? 'as many alerts as' : `${Math.abs(net)} ${net > 0 ? 'more' : 'fewer'} alert${Math.abs(net) === 1 ? '' : 's'} than`;
    sentences.push(
      `The candidate policy raises ${direction} the base policy on this feed (${total('candidate')} against ${total('base')}): ` +
        `${total('gained')} gained and ${total('lost')} lost, in ${changed.length} of ${plural(diff.rows.length, 'team and level row')}; ${plural(diff.changes.length, 'household')} moved.`,
    );
    const largest = [...changed].sort((a, b) => b.gained + b.lost - (a.gained + a.lost) || a.team.localeCompare(b.team)).slice(0, 3);
    sentences.push(`Most changed: ${largest.map((r) => `${r.team} at ${r.level} (${r.gained > 0 ? `+${r.gained}` : ''}${r.gained > 0 && r.lost > 0 ? ' ' : ''}${r.lost > 0 ? `-${r.lost}` : ''})`).join(', ')}.`);
  }
  const before = householdsPerLevel(diff.base.scores);
  const after = householdsPerLevel(diff.candidate.scores);
  const moved = before.flatMap((count, level) => (count === after[level] ? [] : [`${level === 0 ? 'no level' : LEVELS[level - 1]} ${count} -> ${after[level]} (${signed(after[level]! - count)})`]));
  if (moved.length > 0) sentences.push(`Households per level at the end of the feed, base -> candidate: ${moved.join(', ')}.`);
  return `${sentences.join('\n')}\n`;
}

/** The summary first, then the rows that changed (every row with `all`). */
export function formatDiff(diff: PolicyDiff, options: { all?: boolean } = {}): string {
  const shown = options.all ? diff.rows : diff.rows.filter((r) => r.gained > 0 || r.lost > 0);
  const hidden = diff.rows.length - shown.length;
  const lines = [summariseDiff(diff)];
  if (shown.length > 0) {
    const width = Math.max(4, ...shown.map((r) => r.team.length));
    lines.push(
      `${'team'.padEnd(width)}  ${'level'.padEnd(15)}  ${'base'.padStart(5)}  ${'cand.'.padStart(5)}  ${'gained'.padStart(6)}  ${'lost'.padStart(5)}`,
      ...shown.map(
        (r) =>
          `${r.team.padEnd(width)}  ${r.level.padEnd(15)}  ${String(r.base).padStart(5)}  ${String(r.candidate).padStart(5)}  ${`+${r.gained}`.padStart(6)}  ${`-${r.lost}`.padStart(5)}`,
      ),
    );
  }
  if (hidden > 0) lines.push(`(${plural(hidden, 'unchanged row')} not shown; --all shows every row)`);
  return `${lines.join('\n')}\n`;
}
