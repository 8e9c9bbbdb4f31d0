/**
 * The policy: every number and route an operator may tune, per municipality.
 * The shipped defaults (packages/policy/defaults) express the eight municipal approaches of
 * docs/policy.md; an operator's own directory replaces them whole.
 */
import * as z from 'zod';
import { ACCOUNT_PATTERN, ddasAanleverendeOrganisatieSchema, LEVELS, MUNICIPALITY_CODE_PATTERN, PARTNER_ID_PATTERN, type Level } from '@vroegsignaal/events';

export { LEVELS, type Level };

export const DOMAINS = ['finance', 'housing', 'health', 'safety', 'youth'] as const;
export type Domain = (typeof DOMAINS)[number];

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected lower-case words joined by "-"');
const teamId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*(-\*)?$/, 'expected a team id like "utrecht-schuldhulp"');
const cbsCode = z.string().regex(MUNICIPALITY_CODE_PATTERN, 'expected a CBS municipality code like "GM0344"');
const accountId = z.string().regex(ACCOUNT_PATTERN, 'expected a 12-digit AWS account id');
/** A 4-digit postcode area ("3511") or an inclusive range of them ("3511-3515"). */
const postcodeAreas = z
  .string()
  .regex(/^[1-9][0-9]{3}(-[1-9][0-9]{3})?$/, 'expected a postcode area "1234" or a range "1234-1240"')
  .refine((areas) => {
    const [from, to = from] = areas.split('-');
    return Number(from) <= Number(to);
  }, 'expected a range whose first area is not above its last');

export const arrearsThresholdSchema = z.strictObject({
  /** Months of rent in arrears at or above which a rent-arrears signal counts. */
  minMonths: z.number().positive(),
  /** Amount at or above which it counts, in euro cents. */
  minAmountCents: z.number().int().nonnegative(),
});

/** A deadline: calendar weeks or days, or working days (Mon-Fri without Dutch public holidays). */
export const termSchema = z.union([
  z.strictObject({ weeks: z.number().int().positive() }),
  z.strictObject({ days: z.number().int().positive() }),
  z.strictObject({ workingDays: z.number().int().positive() }),
]);
export type Term = z.infer<typeof termSchema>;

const termsSchema = z.strictObject({
  signal: termSchema,
  case: termSchema,
  'eviction-threat': termSchema,
  urgent: termSchema,
});

export interface RouteCondition {
  /** The household has minors (true) or none known (false). */
  minors?: boolean;
  /** A live nuisance signal exists (true) or none does (false). */
  nuisance?: boolean;
  /** A live signal in at least one of these domains. */
  domainsAnyOf?: Domain[];
  /** Live signals in at least this many life domains. */
  minDomains?: number;
  /** A live care signal says help has stalled (the Maastricht criterion). */
  careStagnation?: boolean;
  /** At least one of these conditions holds. */
  anyOf?: RouteCondition[];
}

export const routeConditionSchema: z.ZodType<RouteCondition> = z.lazy(() =>
  z.strictObject({
    minors: z.boolean().optional(),
    nuisance: z.boolean().optional(),
    domainsAnyOf: z.array(z.enum(DOMAINS)).min(1).optional(),
    minDomains: z.number().int().min(1).max(DOMAINS.length).optional(),
    careStagnation: z.boolean().optional(),
    anyOf: z.array(routeConditionSchema).min(1).optional(),
  }),
);

export const routeSchema = z.strictObject({
  levels: z.array(z.enum(LEVELS)).min(1),
  when: routeConditionSchema.optional(),
  /** A team id, or `<slug>-<team>-*` to route by postcode district. */
  team: teamId,
  /** The handbook approach behind this rule, for the reader. */
  basis: z.string().optional(),
});
export type Route = z.infer<typeof routeSchema>;

export const teamSchema = z.strictObject({
  id: teamId,
  name: z.string().min(1),
  /** Advisory yearly capacity in distinct households per calendar year (Europe/Amsterdam). */
  capacityPerYear: z.number().int().positive().optional(),
  /** The team's own deadlines per level; levels left out use the policy defaults. */
  terms: termsSchema.partial().optional(),
  /** Send a `reminder` this many months before a verdict lapses (Utrecht). */
  verdictReminderMonthsBeforeLapse: z.number().int().positive().optional(),
  basis: z.string().optional(),
});
export type Team = z.infer<typeof teamSchema>;

/** An overdue alert's escalation without its own multiple waits this many terms (contract v1.1 section 3). */
export const DEFAULT_AFTER_TERM_MULTIPLE = 3;

/**
 * The municipality's coordinating team, told of an alert still untouched at `createdAt` plus
 * `afterTermMultiple` times its term (counted as the term is), without any household data.
 */
export const overdueEscalationSchema = z.strictObject({
  /** A team of this municipality (policy:check says so when it is not). */
  team: teamId,
  /** How many of the alert's terms after its createdAt; default 3. */
  afterTermMultiple: z.number().int().positive().optional(),
});
export type OverdueEscalation = z.infer<typeof overdueEscalationSchema>;

export const municipalitySchema = z.strictObject({
  code: cbsCode,
  slug,
  name: z.string().min(1),
  /**
   * Residents, for the monitor's signals per 1,000 residents: the defaults give CBS's figure of
   * 1 January 2024 rounded to thousands; a municipality puts in its own current figure.
   */
  residents: z.number().int().positive().optional(),
  arrearsThreshold: arrearsThresholdSchema.optional(),
  /**
   * All the municipality's 4-digit postcode areas, not only its district map's: the address
   * decides the municipality, so a signal whose area is listed under another municipality is
   * refused. No area may be listed under two municipalities; a district map must cover every
   * one of them and hold no other.
   */
  postcodeAreas: z.array(postcodeAreas).min(1).optional(),
  teams: z.array(teamSchema).min(1),
  /** District slug -> postcode areas, for routes whose team ends in `-*`. */
  districts: z.record(slug, z.array(postcodeAreas).min(1)).optional(),
  /** Where a district route sends an address outside the district map. */
  districtFallbackTeam: teamId.optional(),
  routes: z.array(routeSchema).min(1),
  /** Off when absent: no team is told of another team's overdue alerts. */
  overdueEscalation: overdueEscalationSchema.optional(),
  /**
   * The DDAS export's delivering organisation (`naam`, `kvk-nummer`, `contactpersonen`, in the
   * standard's own names): the municipality, or whoever handles its signals. When absent, the
   * export names the municipality alone.
   */
  ddas: z.strictObject({ aanleverendeOrganisatie: ddasAanleverendeOrganisatieSchema }).optional(),
});
export type Municipality = z.infer<typeof municipalitySchema>;

export const partnerSchema = z.strictObject({
  id: z.string().regex(PARTNER_ID_PATTERN, 'expected a partner id like "mitros"'),
  name: z.string().min(1),
  kind: z.enum(['corporation', 'police', 'health', 'care']),
  /** CBS codes the partner may report in, or "all". */
  municipalities: z.union([z.literal('all'), z.array(cbsCode).min(1)]),
  /** The AWS account the partner sends from; required for a deployment, optional locally. */
  accountId: accountId.optional(),
});
export type Partner = z.infer<typeof partnerSchema>;

export const settingsSchema = z.strictObject({
  /** Calendar months a signal stays live after its observedAt. */
  lookbackMonths: z.number().int().positive(),
  /** Calendar months a proceeding stays live after its latest stageDate (a verdict stays executable 12 months). */
  proceedingLiveMonths: z.number().int().positive(),
  /** Calendar months within which a household gets one alert per team and level. */
  alertWindowMonths: z.number().int().positive(),
  /** Days a team and level stay quiet after the team closed the case. */
  quietPeriodDays: z.number().int().nonnegative(),
  /** A proceeding scheduled within this many weeks of now makes the household urgent. */
  urgentScheduledWithinWeeks: z.number().int().positive(),
  arrearsThreshold: arrearsThresholdSchema,
  terms: termsSchema,
  /** The catch-all team for municipalities without a policy. */
  unroutedTeam: z.strictObject({ id: teamId, name: z.string().min(1) }),
});
export type Settings = z.infer<typeof settingsSchema>;

export const policySchema = z.strictObject({
  settings: settingsSchema,
  partners: z.array(partnerSchema).min(1),
  municipalities: z.array(municipalitySchema),
});
export type Policy = z.infer<typeof policySchema>;
