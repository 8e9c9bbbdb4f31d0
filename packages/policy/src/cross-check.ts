/**
 * Checks that span files: the schema alone cannot see that a route names a team that does not
 * exist, that two districts claim one postcode area, or that a team can never be reached.
 */
import type { PolicyProblem } from './load.ts';
import type { Municipality, Policy } from './schema.ts';

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
  const partnerIds = new Set<string>();
  policy.partners.forEach((partner, i) => {
    if (partnerIds.has(partner.id)) {
      problems.push({ file: 'partners.yaml', path: `partners.${i}.id`, message: `partner ${partner.id} is registered twice` });
    }
    partnerIds.add(partner.id);
  });
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
  municipality.teams.forEach((team, i) => {
    if (!reached.has(team.id)) {
      problems.push({ file, path: `teams.${i}.id`, message: `team "${team.id}" is not reached by any route` });
    }
  });
  return problems;
}
