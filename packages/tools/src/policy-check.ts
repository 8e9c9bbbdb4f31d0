/**
 * policy:check's findings in words: every problem of a policy directory in one report, or what
 * a valid policy holds; and the teams it routes to, as a table.
 */
import { compilePolicy, countProblems, districtTeamId, formatProblem, LEVELS, readPolicyDir, type Level, type Policy } from '@vroegsignaal/policy';

export type PolicyCheck = { ok: true; summary: string; policy: Policy } | { ok: false; report: string };

export function checkPolicyDir(dir: string): PolicyCheck {
  const { policy, problems } = readPolicyDir(dir);
  if (!policy) {
    const files = new Set(problems.map((problem) => problem.file)).size;
    return {
      ok: false,
      report: `policy in ${dir} has ${countProblems(problems.length)}${files > 1 ? ` in ${files} files` : ''}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
    };
  }
  const teams = compilePolicy(policy).teams().length;
  return {
    ok: true,
    summary: `policy in ${dir} is valid: ${policy.municipalities.length} municipalities, ${teams} teams (every one reached by a route), ${policy.partners.length} partners`,
    policy,
  };
}

export interface TeamRow {
  id: string;
  /** `Utrecht (GM0344)`, or `catch-all` for the team of addresses no policy covers. */
  municipality: string;
  /** The levels some route sends to the team, in level order. */
  levels: Level[];
  capacityPerYear?: number;
  /** The municipality's coordinating team, told of this team's alerts still raised long past respondBy. */
  overdueEscalatedTo?: string;
  /** This team is the municipality's coordinating team for overdue alerts. */
  coordinatesOverdue?: true;
}

/** Every team, in the order of the files and of the teams in them, the catch-all last. */
export function teamRows(policy: Policy): TeamRow[] {
  const rows: TeamRow[] = [];
  for (const municipality of policy.municipalities) {
    const levels = new Map<string, Set<Level>>();
    const send = (team: string, routed: readonly Level[]) => {
      const set = levels.get(team) ?? new Set<Level>();
      for (const level of routed) set.add(level);
      levels.set(team, set);
    };
    for (const route of municipality.routes) {
      if (!route.team.endsWith('-*')) send(route.team, route.levels);
      else {
        for (const district of Object.keys(municipality.districts ?? {})) send(districtTeamId(route.team, district), route.levels);
        if (municipality.districtFallbackTeam) send(municipality.districtFallbackTeam, route.levels);
      }
    }
    const coordinating = municipality.overdueEscalation?.team;
    for (const team of municipality.teams) {
      rows.push({
        id: team.id,
        municipality: `${municipality.name} (${municipality.code})`,
        levels: LEVELS.filter((level) => levels.get(team.id)?.has(level)),
        capacityPerYear: team.capacityPerYear,
        ...(coordinating === undefined ? {} : team.id === coordinating ? { coordinatesOverdue: true as const } : { overdueEscalatedTo: coordinating }),
      });
    }
  }
  rows.push({ id: policy.settings.unroutedTeam.id, municipality: 'catch-all', levels: [...LEVELS] });
  return rows;
}

export function formatTeamTable(rows: readonly TeamRow[]): string {
  const cells = [
    ['team', 'municipality', 'levels', 'capacity per year', 'overdue escalated to'],
    ...rows.map((row) => [
      row.id,
      row.municipality,
      row.levels.join(', '),
      row.capacityPerYear === undefined ? '-' : String(row.capacityPerYear),
      row.coordinatesOverdue ? '(coordinates the others)' : (row.overdueEscalatedTo ?? '-'),
    ]),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((cell) => cell[column]!.length)));
  return `${cells.map((cell) => cell.map((text, column) => text.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n')}\n`;
}
