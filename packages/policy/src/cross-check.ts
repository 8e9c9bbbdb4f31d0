/**
 * Checks that span files: the schema alone cannot see that a route names a team that does not
 * exist, that two districts or two municipalities claim one postcode area, that a team can
 * never be reached, or that two partners send from one AWS account.
 */
import type { PolicyProblem } from './load.ts';
import { LEVELS, type Municipality, type Policy } from './schema.ts';

export function expandAreas(areas: string): number[] {
  const [from, to = from] = areas.split('-').map(Number) as [number, number?];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function districtTeamId(routeTeam: string, district: string): string {
  return routeTeam.replace(/\*$/, district);
}

export function crossCheckPolicy(policy: Policy, fileOf: (code: string) => string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const seenCodes = new Set<string>();
  const seenTeams = new Set<string>([policy.settings.unroutedTeam.id]);
  policy.municipalities.forEach((municipality) => {
    const file = fileOf(municipality.code);
    if (seenCodes.has(municipality.code)) {
      problems.push({ file, path: 'code', message: `municipality ${municipality.code} is defined twice` });
    }
    seenCodes.add(municipality.code);
    municipality.teams.forEach((team, i) => {
      if (seenTeams.has(team.id)) problems.push({ file, path: `teams.${i}.id`, message: `team ${team.id} is defined twice` });
      seenTeams.add(team.id);
      if (!team.id.startsWith(`${municipality.slug}-`)) {
        problems.push({ file, path: `teams.${i}.id`, message: `expected a team id starting with "${municipality.slug}-"` });
      }
    });
    problems.push(...checkMunicipality(municipality, file));
  });
  problems.push(...checkPostcodeAreaOwners(policy.municipalities, fileOf));
  const partnerIds = new Set<string>();
  const partnerOfAccount = new Map<string, string>();
  policy.partners.forEach((partner, i) => {
    if (partnerIds.has(partner.id)) {
      problems.push({ file: 'partners.yaml', path: `partners.${i}.id`, message: `partner ${partner.id} is registered twice` });
    }
    partnerIds.add(partner.id);
    if (partner.accountId === undefined) return;
    // The account is how the pipeline knows who sent an entry: a shared one would let each
    // partner send as the other.
    const other = partnerOfAccount.get(partner.accountId);
    if (other !== undefined && other !== partner.id) {
      problems.push({
        file: 'partners.yaml',
        path: `partners.${i}.accountId`,
        message: `partners ${other} and ${partner.id} have the same AWS account ${partner.accountId}: every partner needs an account of its own`,
      });
    } else partnerOfAccount.set(partner.accountId, partner.id);
  });
  return problems;
}

/**
 * The address decides the municipality, so one postcode area may belong to one municipality
 * only: a second owner would have the other's signals refused. Reported once per entry of
 * `postcodeAreas` and per earlier municipality it overlaps.
 */
function checkPostcodeAreaOwners(municipalities: readonly Municipality[], fileOf: (code: string) => string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const owners = new Map<number, { municipality: Municipality; index: number }>();
  for (const municipality of municipalities) {
    municipality.postcodeAreas?.forEach((areas, i) => {
      const shared = new Map<string, { owner: { municipality: Municipality; index: number }; areas: number[] }>();
      for (const area of expandAreas(areas)) {
        const owner = owners.get(area);
        // Two files with one code are reported as such ("defined twice").
        if (owner && owner.municipality.code !== municipality.code) {
          const key = `${owner.municipality.code} ${owner.index}`;
          const entry = shared.get(key) ?? { owner, areas: [] };
          entry.areas.push(area);
          shared.set(key, entry);
        } else if (!owner) owners.set(area, { municipality, index: i });
      }
      for (const { owner, areas: overlap } of shared.values()) {
        const { municipality: other, index } = owner;
        problems.push({
          file: fileOf(municipality.code),
          path: `postcodeAreas.${i}`,
          message:
            `postcode area(s) ${summariseAreas(overlap)} of ${municipality.name} (${municipality.code}) are also claimed by ` +
            `${other.name} (${other.code}) in ${fileOf(other.code)} at postcodeAreas.${index}: ` +
            'a postcode area belongs to one municipality only, remove it from the one it does not lie in',
        });
      }
    });
  }
  return problems;
}

function checkMunicipality(municipality: Municipality, file: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const teamIds = new Set(municipality.teams.map((t) => t.id));
  const reached = new Set<string>();
  const areaOwner = new Map<number, string>();
  for (const [district, areaList] of Object.entries(municipality.districts ?? {})) {
    areaList.forEach((areas, i) => {
      for (const area of expandAreas(areas)) {
        const owner = areaOwner.get(area);
        if (owner && owner !== district) {
          problems.push({
            file,
            path: `districts.${district}.${i}`,
            message: `postcode area ${area} is already in district "${owner}": districts must not overlap`,
          });
        }
        areaOwner.set(area, district);
      }
    });
  }
  municipality.routes.forEach((route, i) => {
    const path = `routes.${i}.team`;
    if (route.team.endsWith('-*')) {
      if (!municipality.districts) {
        problems.push({ file, path, message: 'a district route ("-*") needs a "districts" map in this file' });
        return;
      }
      for (const district of Object.keys(municipality.districts)) {
        const id = districtTeamId(route.team, district);
        reached.add(id);
        if (!teamIds.has(id)) problems.push({ file, path, message: `district "${district}" needs a team "${id}" in teams` });
      }
      const fallback = municipality.districtFallbackTeam;
      if (!fallback) problems.push({ file, path, message: 'a district route needs "districtFallbackTeam" for addresses outside the map' });
      else {
        reached.add(fallback);
        if (!teamIds.has(fallback)) problems.push({ file, path: 'districtFallbackTeam', message: `team "${fallback}" is not in teams` });
      }
    } else {
      reached.add(route.team);
      if (!teamIds.has(route.team)) problems.push({ file, path, message: `team "${route.team}" is not in teams` });
    }
  });
  if (municipality.districts && municipality.postcodeAreas) {
    const own = new Set(municipality.postcodeAreas.flatMap((areas) => expandAreas(areas)));
    for (const [district, areaList] of Object.entries(municipality.districts)) {
      areaList.forEach((areas, i) => {
        const foreign = expandAreas(areas).filter((area) => !own.has(area));
        if (foreign.length > 0) {
          problems.push({
            file,
            path: `districts.${district}.${i}`,
            message: `postcode area(s) ${summariseAreas(foreign)} of district "${district}" are not in the municipality's postcodeAreas: add them there, or take them out of the district`,
          });
        }
      });
    }
    municipality.postcodeAreas.forEach((areas, i) => {
      const uncovered = expandAreas(areas).filter((area) => !areaOwner.has(area));
      if (uncovered.length > 0) {
        problems.push({
          file,
          path: `postcodeAreas.${i}`,
          message: `postcode area(s) ${summariseAreas(uncovered)} are in the municipality but in no district: add them to a district`,
        });
      }
    });
  }
  for (const level of LEVELS) {
    if (!municipality.routes.some((route) => route.levels.includes(level) && !route.when)) {
      problems.push({
        file,
        path: 'routes',
        message: `no route takes level "${level}" without a condition: a household that matches no condition would go to the catch-all queue; end with a route for "${level}" without "when"`,
      });
    }
  }
  municipality.teams.forEach((team, i) => {
    if (!reached.has(team.id)) {
      problems.push({ file, path: `teams.${i}.id`, message: `team "${team.id}" is not reached by any route` });
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
