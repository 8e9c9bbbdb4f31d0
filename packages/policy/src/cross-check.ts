/**
 * Checks that span files: the schema alone cannot see that a route names a team that does not
 * exist, that two districts or two municipalities claim one postcode area, that a team can
 * never be reached, or that two partners send from one AWS account.
 */
import { formatPath, nearestName, type PolicyPath, type PolicyProblem } from './problems.ts';
import { LEVELS, type Municipality, type Partner, type Settings } from './schema.ts';

export function expandAreas(areas: string): number[] {
  const [from, to = from] = areas.split('-').map(Number) as [number, number?];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function districtTeamId(routeTeam: string, district: string): string {
  return routeTeam.replace(/\*$/, district);
}

/**
 * What could be read of a file: a part the schema refused is missing (a list keeps its other
 * items in place), and `intact` tells such a part from one that was never there.
 */
export type Readable<T> = T extends readonly (infer Item)[]
  ? readonly (Readable<Item> | undefined)[]
  : T extends object
    ? { readonly [K in keyof T]?: Readable<T[K]> }
    : T;

export interface FileView<T> {
  /** The file, relative to the policy directory. */
  file: string;
  value: Readable<T>;
  /** Whether the value at this path is as written: no schema problem took it or a part of it away. */
  intact(...path: PolicyPath): boolean;
}

export interface PolicyView {
  settings?: FileView<Settings>;
  partners?: FileView<{ partners: Partner[] }>;
  municipalities: FileView<Municipality>[];
}

/**
 * The checks across files, on what could be read. A check that needs a part some schema
 * problem left unknown is skipped rather than guessed at, so that no problem is reported that
 * only follows from another one.
 */
export function crossCheckPolicy(policy: PolicyView): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const fileOfCode = new Map<string, string>();
  const fileOfTeam = new Map<string, string>();
  const unroutedTeam = policy.settings?.value.unroutedTeam?.id;
  if (unroutedTeam !== undefined) fileOfTeam.set(unroutedTeam, policy.settings!.file);
  for (const view of policy.municipalities) {
    const { file, value: municipality } = view;
    const { code, slug } = municipality;
    if (code !== undefined) {
      const other = fileOfCode.get(code);
      if (other !== undefined) problems.push({ file, path: ['code'], message: `municipality ${code} is defined twice (also in ${other})` });
      else fileOfCode.set(code, file);
    }
    municipality.teams?.forEach((team, i) => {
      if (team?.id === undefined) return;
      const other = fileOfTeam.get(team.id);
      if (other !== undefined) problems.push({ file, path: ['teams', i, 'id'], message: `team ${team.id} is defined twice (also in ${other})` });
      else fileOfTeam.set(team.id, file);
      if (slug !== undefined && !team.id.startsWith(`${slug}-`)) {
        problems.push({ file, path: ['teams', i, 'id'], message: `expected a team id starting with "${slug}-"` });
      }
    });
    problems.push(...checkMunicipality(view));
  }
  problems.push(...checkPostcodeAreaOwners(policy.municipalities));
  if (policy.partners) problems.push(...checkPartners(policy.partners));
  return problems;
}

function checkPartners({ file, value }: FileView<{ partners: Partner[] }>): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const partnerIds = new Set<string>();
  const partnerOfAccount = new Map<string, string>();
  value.partners?.forEach((partner, i) => {
    if (partner?.id === undefined) return;
    if (partnerIds.has(partner.id)) problems.push({ file, path: ['partners', i, 'id'], message: `partner ${partner.id} is registered twice` });
    partnerIds.add(partner.id);
    if (partner.accountId === undefined) return;
    // The account is how the pipeline knows who sent an entry: a shared one would let each
    // partner send as the other.
    const other = partnerOfAccount.get(partner.accountId);
    if (other !== undefined && other !== partner.id) {
      problems.push({
        file,
        path: ['partners', i, 'accountId'],
        message: `partners ${other} and ${partner.id} have the same AWS account ${partner.accountId}: every partner needs an account of its own`,
      });
    } else partnerOfAccount.set(partner.accountId, partner.id);
  });
  return problems;
}

/** The areas a list of `postcodeAreas` entries covers, skipping entries the schema refused. */
function areasOf(entries: readonly (string | undefined)[] | undefined): number[] {
  return (entries ?? []).flatMap((areas) => (areas === undefined ? [] : expandAreas(areas)));
}

/**
 * The address decides the municipality, so one postcode area may belong to one municipality
 * only: a second owner would have the other's signals refused. Reported once per entry of
 * `postcodeAreas` and per earlier municipality it overlaps.
 */
function checkPostcodeAreaOwners(municipalities: readonly FileView<Municipality>[]): PolicyProblem[] {
  interface Owner {
    view: FileView<Municipality>;
    index: number;
  }
  const problems: PolicyProblem[] = [];
  const owners = new Map<number, Owner>();
  const nameOf = ({ value }: FileView<Municipality>) => `${value.name ?? value.code} (${value.code})`;
  for (const view of municipalities) {
    const { code } = view.value;
    if (code === undefined) continue;
    view.value.postcodeAreas?.forEach((areas, i) => {
      if (areas === undefined) return;
      const shared = new Map<string, { owner: Owner; areas: number[] }>();
      for (const area of expandAreas(areas)) {
        const owner = owners.get(area);
        // Two files with one code are reported as such ("defined twice").
        if (owner && owner.view.value.code !== code) {
          const key = `${owner.view.file} ${owner.index}`;
          const entry = shared.get(key) ?? { owner, areas: [] };
          entry.areas.push(area);
          shared.set(key, entry);
        } else if (!owner) owners.set(area, { view, index: i });
      }
      for (const { owner, areas: overlap } of shared.values()) {
        problems.push({
          file: view.file,
          path: ['postcodeAreas', i],
          message:
            `postcode area(s) ${summariseAreas(overlap)} of ${nameOf(view)} are also claimed by ${nameOf(owner.view)} ` +
            `in ${owner.view.file} at ${formatPath(['postcodeAreas', owner.index])}: ` +
            'a postcode area belongs to one municipality only, remove it from the one it does not lie in',
        });
      }
    });
  }
  return problems;
}

function checkMunicipality({ file, value: municipality, intact }: FileView<Municipality>): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const teams = municipality.teams ?? [];
  const teamIds = teams.flatMap((team) => (team?.id === undefined ? [] : [team.id]));
  // Whether a team is missing is only known when every team's id could be read.
  const teamsKnown = municipality.teams !== undefined && teamIds.length === teams.length;
  const notInTeams = (path: PolicyPath, team: string) => {
    if (!teamsKnown || teamIds.includes(team)) return;
    const guess = nearestName(team, teamIds);
    // The team the route was meant for is not also reported as reached by no route.
    if (guess !== undefined) reached.add(guess);
    problems.push({ file, path, message: `team "${team}" is not in teams${guess ? `; did you mean "${guess}"?` : ''}` });
  };
  const { districts, districtFallbackTeam } = municipality;
  const reached = new Set<string>();
  const areaOwner = new Map<number, string>();
  for (const [district, areaList] of Object.entries(districts ?? {})) {
    areaList?.forEach((areas, i) => {
      if (areas === undefined) return;
      for (const area of expandAreas(areas)) {
        const owner = areaOwner.get(area);
        if (owner && owner !== district) {
          problems.push({
            file,
            path: ['districts', district, i],
            message: `postcode area ${area} is already in district "${owner}": districts must not overlap`,
          });
        }
        areaOwner.set(area, district);
      }
    });
  }
  municipality.routes?.forEach((route, i) => {
    if (route?.team === undefined) return;
    const path = ['routes', i, 'team'];
    if (!route.team.endsWith('-*')) {
      reached.add(route.team);
      notInTeams(path, route.team);
      return;
    }
    if (!districts) {
      if (intact('districts')) problems.push({ file, path, message: 'a district route ("-*") needs a "districts" map in this file' });
      return;
    }
    for (const district of Object.keys(districts)) {
      const id = districtTeamId(route.team, district);
      reached.add(id);
      if (teamsKnown && !teamIds.includes(id)) problems.push({ file, path, message: `district "${district}" needs a team "${id}" in teams` });
    }
    if (districtFallbackTeam !== undefined) {
      reached.add(districtFallbackTeam);
      notInTeams(['districtFallbackTeam'], districtFallbackTeam);
    } else if (intact('districtFallbackTeam')) {
      problems.push({ file, path, message: 'a district route needs "districtFallbackTeam" for addresses outside the map' });
    }
  });
  const coordinating = municipality.overdueEscalation?.team;
  if (coordinating !== undefined) {
    // A coordinating team hears of the others' overdue alerts: it has work without any route.
    reached.add(coordinating);
    notInTeams(['overdueEscalation', 'team'], coordinating);
  }
  if (districts && municipality.postcodeAreas) {
    const own = new Set(areasOf(municipality.postcodeAreas));
    if (intact('postcodeAreas')) {
      for (const [district, areaList] of Object.entries(districts)) {
        areaList?.forEach((areas, i) => {
          const foreign = areas === undefined ? [] : expandAreas(areas).filter((area) => !own.has(area));
          if (foreign.length > 0) {
            problems.push({
              file,
              path: ['districts', district, i],
              message: `postcode area(s) ${summariseAreas(foreign)} of district "${district}" are not in the municipality's postcodeAreas: add them there, or take them out of the district`,
            });
          }
        });
      }
    }
    if (intact('districts')) {
      municipality.postcodeAreas.forEach((areas, i) => {
        const uncovered = areas === undefined ? [] : expandAreas(areas).filter((area) => !areaOwner.has(area));
        if (uncovered.length > 0) {
          problems.push({
            file,
            path: ['postcodeAreas', i],
            message: `postcode area(s) ${summariseAreas(uncovered)} are in the municipality but in no district: add them to a district`,
          });
        }
      });
    }
  }
  // Which levels the routes cover, and which teams they reach, is only known from routes read whole.
  const routesKnown = municipality.routes !== undefined && intact('routes') && intact('districts') && intact('districtFallbackTeam');
  if (!routesKnown) return problems;
  const routes = municipality.routes ?? [];
  for (const level of LEVELS) {
    if (!routes.some((route) => route?.levels?.includes(level) && !route.when)) {
      problems.push({
        file,
        path: ['routes'],
        message: `no route takes level "${level}" without a condition: a household that matches no condition would go to the catch-all queue; end with a route for "${level}" without "when"`,
      });
    }
  }
  teams.forEach((team, i) => {
    if (team?.id !== undefined && !reached.has(team.id)) {
      problems.push({ file, path: ['teams', i, 'id'], message: `team "${team.id}" is not reached by any route` });
    }
  });
  return problems;
}

/** "3511-3513, 3520" for a sorted list of areas. */
function summariseAreas(areas: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < areas.length; ) {
    let j = i;
    while (j + 1 < areas.length && areas[j + 1] === areas[j]! + 1) j++;
    ranges.push(i === j ? `${areas[i]}` : `${areas[i]}-${areas[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}
