/**
 * The policy indexed for the hot path: lookups by partner, municipality, team and postcode
 * area in O(1), built once per policy version.
 */
import { districtTeamId, expandAreas } from './cross-check.ts';
import { DEFAULT_AFTER_TERM_MULTIPLE, type Level, type Municipality, type Partner, type Policy, type Route, type Settings, type Term } from './schema.ts';

export interface TeamPolicy {
  id: string;
  name: string;
  municipalityCode: string | null;
  capacityPerYear?: number;
  terms: Record<Level, Term>;
  verdictReminderMonthsBeforeLapse?: number;
  /** The municipality's coordinating team for this team's overdue alerts, with its multiple filled in. */
  overdueEscalation?: { team: string; afterTermMultiple: number };
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly settings: Settings;
  partner(id: string): Partner | undefined;
  municipality(code: string): Municipality | undefined;
  team(id: string): TeamPolicy | undefined;
  teams(): TeamPolicy[];
  arrearsThreshold(municipalityCode: string): Settings['arrearsThreshold'];
  /** The district team for a district route, or the municipality's fallback team. */
  districtTeam(municipality: Municipality, route: Route, postcodeArea: number): { team: string; inMap: boolean };
  /** The district of the municipality's map that holds this 4-digit postcode area, if the municipality has one that does. */
  district(municipalityCode: string, postcodeArea: number): string | undefined;
  /** The policy municipality (CBS code) whose postcode areas include this 4-digit area, if any. */
  municipalityOfPostcodeArea(area: number): string | undefined;
}

export function compilePolicy(policy: Policy): CompiledPolicy {
  const partners = new Map(policy.partners.map((p) => [p.id, p]));
  const municipalities = new Map(policy.municipalities.map((m) => [m.code, m]));
  const teams = new Map<string, TeamPolicy>();
  const { settings } = policy;
  teams.set(settings.unroutedTeam.id, {
    id: settings.unroutedTeam.id,
    name: settings.unroutedTeam.name,
    municipalityCode: null,
    terms: settings.terms,
  });
  const districtsByCode = new Map<string, Map<number, string>>();
  for (const municipality of policy.municipalities) {
    const escalation = municipality.overdueEscalation;
    const overdueEscalation = escalation && { team: escalation.team, afterTermMultiple: escalation.afterTermMultiple ?? DEFAULT_AFTER_TERM_MULTIPLE };
    for (const team of municipality.teams) {
      teams.set(team.id, {
        id: team.id,
        name: team.name,
        municipalityCode: municipality.code,
        capacityPerYear: team.capacityPerYear,
        terms: { ...settings.terms, ...team.terms },
        verdictReminderMonthsBeforeLapse: team.verdictReminderMonthsBeforeLapse,
        ...(overdueEscalation ? { overdueEscalation } : {}),
      });
    }
    const areaToDistrict = new Map<number, string>();
    for (const [district, areaList] of Object.entries(municipality.districts ?? {})) {
      for (const areas of areaList) for (const area of expandAreas(areas)) areaToDistrict.set(area, district);
    }
    districtsByCode.set(municipality.code, areaToDistrict);
  }
  const municipalityByArea = municipalitiesByPostcodeArea(policy.municipalities);

  return {
    policy,
    settings,
    partner: (id) => partners.get(id),
    municipality: (code) => municipalities.get(code),
    team: (id) => teams.get(id),
    teams: () => [...teams.values()],
    arrearsThreshold: (code) => municipalities.get(code)?.arrearsThreshold ?? settings.arrearsThreshold,
    districtTeam(municipality, route, postcodeArea) {
      const district = districtsByCode.get(municipality.code)?.get(postcodeArea);
      if (district) return { team: districtTeamId(route.team, district), inMap: true };
      return { team: municipality.districtFallbackTeam ?? settings.unroutedTeam.id, inMap: false };
    },
    district: (code, postcodeArea) => districtsByCode.get(code)?.get(postcodeArea),
    municipalityOfPostcodeArea: (area) => municipalityByArea.get(area),
  };
}

/**
 * Postcode area -> the CBS code of the municipality whose `postcodeAreas` list it. An area two
 * municipalities claim belongs to neither: policy:check refuses such a policy, but one that
 * reached the functions without the check must not let either municipality refuse the other's
 * signals (a missing area only loses the cross-check; a wrong one refuses real signals).
 */
function municipalitiesByPostcodeArea(municipalities: readonly Municipality[]): Map<number, string> {
  const owners = new Map<number, string | null>();
  for (const municipality of municipalities) {
    for (const areas of municipality.postcodeAreas ?? []) {
      for (const area of expandAreas(areas)) {
        const owner = owners.get(area);
        owners.set(area, owner === undefined || owner === municipality.code ? municipality.code : null);
      }
    }
  }
  const byArea = new Map<number, string>();
  for (const [area, code] of owners) if (code !== null) byArea.set(area, code);
  return byArea;
}
