/**
 * What a policy change does to a feed: the feed is replayed under both policies on fresh local
 * pipelines, and the alerts per team and level are compared, household by household. The
 * households' final scores under each policy feed the histogram an operator tunes by.
 */
import { assessHousehold, viewHousehold } from '@vroegsignaal/domain';
import type { CompiledPolicy, Level } from '@vroegsignaal/policy';
import type { TeamMessage } from '@vroegsignaal/events';
import { withLocalPipeline } from '@vroegsignaal/stand-ins';
import { replayOn } from './replay.ts';

export interface PolicyRun {
  alerts: Set<string>;
  scores: number[];
}

export interface DiffRow {
  team: string;
  level: Level;
  base: number;
  candidate: number;
  gained: number;
  lost: number;
}

export interface PolicyDiff {
  rows: DiffRow[];
  base: PolicyRun;
  candidate: PolicyRun;
}

const SEPARATOR = '\u0000';

/** One alert as the comparison sees it: the same household, team and level under both policies. */
function alertKey(message: Extract<TeamMessage, { kind: 'alert' }>): string {
  return [message.householdRef, message.team, message.level].join(SEPARATOR);
}

export function runPolicy(lines: string[], policy: CompiledPolicy, nowMs: number): Promise<PolicyRun> {
  return withLocalPipeline({ policy, clock: () => nowMs }, async (pipeline) => {
    const result = await replayOn(pipeline, lines, { nowMs });
    const alerts = new Set(result.messages.flatMap(({ message }) => (message.kind === 'alert' ? [alertKey(message)] : [])));
    const scores = (await pipeline.households()).map((state) => assessHousehold(viewHousehold(state, policy.settings, nowMs), policy).score);
    return { alerts, scores };
  });
}

export async function diffPolicies(lines: string[], base: CompiledPolicy, candidate: CompiledPolicy, nowMs: number): Promise<PolicyDiff> {
  const baseRun = await runPolicy(lines, base, nowMs);
  const candidateRun = await runPolicy(lines, candidate, nowMs);
  const rows = new Map<string, DiffRow>();
  const row = (key: string): DiffRow => {
    const [, team, level] = key.split(SEPARATOR) as [string, string, Level];
    const id = `${team}${SEPARATOR}${level}`;
    let found = rows.get(id);
    if (!found) {
      found = { team, level, base: 0, candidate: 0, gained: 0, lost: 0 };
      rows.set(id, found);
    }
    return found;
  };
  for (const key of baseRun.alerts) {
    row(key).base++;
    if (!candidateRun.alerts.has(key)) row(key).lost++;
  }
  for (const key of candidateRun.alerts) {
    row(key).candidate++;
    if (!baseRun.alerts.has(key)) row(key).gained++;
  }
  return {
    rows: [...rows.values()].sort((a, b) => a.team.localeCompare(b.team) || a.level.localeCompare(b.level)),
    base: baseRun,
    candidate: candidateRun,
  };
}

export function formatDiff(diff: PolicyDiff): string {
  const changed = diff.rows.filter((r) => r.gained > 0 || r.lost > 0);
  const width = Math.max(4, ...diff.rows.map((r) => r.team.length));
  const lines = [
    `${'team'.padEnd(width)}  ${'level'.padEnd(15)}  ${'base'.padStart(5)}  ${'cand.'.padStart(5)}  ${'gained'.padStart(6)}  ${'lost'.padStart(5)}`,
    ...diff.rows.map(
      (r) =>
        `${r.team.padEnd(width)}  ${r.level.padEnd(15)}  ${String(r.base).padStart(5)}  ${String(r.candidate).padStart(5)}  ${`+${r.gained}`.padStart(6)}  ${`-${r.lost}`.padStart(5)}${r.gained || r.lost ? '  *' : ''}`,
    ),
    '',
    changed.length === 0
      ? 'The candidate policy raises exactly the same alerts as the base policy on this feed.'
      : `${changed.reduce((n, r) => n + r.gained, 0)} alert(s) gained and ${changed.reduce((n, r) => n + r.lost, 0)} lost, in ${changed.length} team/level row(s) marked *.`,
  ];
  return `${lines.join('\n')}\n`;
}
