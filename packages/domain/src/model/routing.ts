/**
 * Which team a household goes to: the first route of its municipality's policy that matches
 * its level and profile. Rules: docs/policy.md, "Routing per municipality".
 * Every household lands somewhere: no policy, no matching route or an address outside the
 * district map all have a named team, and the reason says why.
 * The address decides the municipality (contract v1.1): a partner's `municipalityCode` is a
 * cross-check at intake, never the route, so no partner can steer a household elsewhere.
 */
import type { CompiledPolicy, Level, RouteCondition } from '@vroegsignaal/policy';
import { postcodeArea, type NormalisedAddress } from './address.ts';
import type { Reason } from './assessment.ts';
import type { HouseholdView } from './view.ts';

export interface Routing {
  team: string;
  municipalityCode: string;
  /** Why the household went to a catch-all team, when it did. */
  reasons: Reason[];
}

export function matchesCondition(condition: RouteCondition, view: HouseholdView): boolean {
  const checks: boolean[] = [];
  if (condition.minors !== undefined) checks.push(((view.minors ?? 0) > 0) === condition.minors);
  if (condition.nuisance !== undefined) checks.push(view.live.some((s) => s.type === 'NuisanceReported') === condition.nuisance);
  if (condition.domainsAnyOf) checks.push(condition.domainsAnyOf.some((d) => view.domains.has(d)));
  if (condition.minDomains !== undefined) checks.push(view.domains.size >= condition.minDomains);
  if (condition.careStagnation !== undefined) {
    checks.push(view.live.some((s) => s.care?.stagnation === true) === condition.careStagnation);
  }
  if (condition.anyOf) checks.push(condition.anyOf.some((c) => matchesCondition(c, view)));
  return checks.every(Boolean);
}

export function routeHousehold(
  view: HouseholdView,
  level: Level,
  address: NormalisedAddress,
  policy: CompiledPolicy,
): Routing {
  const unrouted = policy.settings.unroutedTeam.id;
  const municipalityCode = municipalityOfAddress(address, view.municipalityCode, policy);
  const municipality = policy.municipality(municipalityCode);
  if (!municipality) {
    return {
      team: unrouted,
      municipalityCode,
      reasons: [{ code: 'no-municipal-policy', text: `no policy for municipality ${municipalityCode}: sent to the catch-all queue` }],
    };
  }
  const route = municipality.routes.find((r) => r.levels.includes(level) && (!r.when || matchesCondition(r.when, view)));
  if (!route) {
    return {
      team: unrouted,
      municipalityCode,
      reasons: [{ code: 'no-route', text: `no route in the ${municipality.name} policy for level ${level}: sent to the catch-all queue` }],
    };
  }
  if (!route.team.endsWith('-*')) return { team: route.team, municipalityCode, reasons: [] };
  const district = policy.districtTeam(municipality, route, postcodeArea(address));
  return {
    team: district.team,
    municipalityCode,
    reasons: district.inMap
      ? []
      : [{ code: 'district-unknown', text: `postcode area not in the ${municipality.name} district map: sent to the fallback team` }],
  };
}

/**
 * The municipality a household is routed in: the policy municipality its postcode area lies
 * in; only for an address outside every policy municipality, the code its signals give
 * (routing: that of its latest live signal).
 */
export function municipalityOfAddress(address: NormalisedAddress, signalledCode: string | undefined, policy: CompiledPolicy): string {
  return policy.municipalityOfPostcodeArea(postcodeArea(address)) ?? signalledCode ?? 'unknown';
}

/**
 * Where in its municipality an address lies, coarsely enough to say nothing of the dwelling:
 * the policy district whose map holds its postcode area, else the 4-digit area itself (a
 * municipality without districts, or an area outside the map). The team inbox filters on it.
 */
export function districtOf(address: NormalisedAddress, municipalityCode: string, policy: CompiledPolicy): string {
  const area = postcodeArea(address);
  return policy.district(municipalityCode, area) ?? String(area);
}
