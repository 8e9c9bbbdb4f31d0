/**
 * What a partner sends: the `Detail` of each of the five partner detail types
 * (docs/contract.md, section 1), with the bounds of intake v1.1 ("Values within
 * reason"): numbers and strings within reason, and dates that fit `observedAt` and each other.
 *
 * Checks that need a clock or the raw entry are not here but in the domain: the 64 KiB
 * limit on the detail and the age of `observedAt`. The limits are exported so both sides
 * use the same numbers.
 */
import * as z from 'zod';
import {
  addressSchema,
  contactSchema,
  described,
  enumOf,
  expecting,
  flag,
  householdSchema,
  isoDate,
  isoDateTimeWithOffset,
  municipalityCodeSchema,
  parseWithReason,
  schemaVersionSchema,
  signalIdSchema,
} from './common.ts';
import { addCalendarYears, isCalendarDate } from '@vroegsignaal/calendar';
import { amsterdamDateOf } from './dates.ts';
import { PARTNER_DETAIL_TYPES, type PartnerDetailType } from './names.ts';

/** EventBridge's limit on an entry, and the contract's limit on a detail. */
export const MAX_DETAIL_BYTES = 64 * 1024;
/** `observedAt` may be at most this far ahead of the receiving clock (clock skew). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** `observedAt` may be at most this many days (exact 24-hour days) old. */
export const MAX_SIGNAL_AGE_DAYS = 400;

// Values within reason (intake v1.1). JSON Schema carries the numeric ones; the relative
// dates are checked on the detail and stated in the field descriptions.
/** `arrears.amountCents`: 1 .. EUR 1 million. */
export const MAX_ARREARS_AMOUNT_CENTS = 100_000_000;
/** `arrears.monthsInArrears`: greater than 0, at most 120, ... */
export const MAX_MONTHS_IN_ARREARS = 120;
/** ... and at most two decimals: a multiple of this step. */
export const MONTHS_IN_ARREARS_STEP = 0.01;
/** `arrears.monthlyRentCents`: 1 .. EUR 10,000. */
export const MAX_MONTHLY_RENT_CENTS = 1_000_000;
/** `nuisance.reportCount`: 1 .. 10,000. */
export const MAX_NUISANCE_REPORT_COUNT = 10_000;
/** `proceeding.stageDate` is not more than this many calendar years before the date of `observedAt`. */
export const MAX_STAGE_DATE_YEARS_BEFORE_OBSERVED = 2;
/** `proceeding.scheduledFor` is not more than this many calendar years after `stageDate`. */
export const MAX_SCHEDULED_YEARS_AFTER_STAGE_DATE = 1;

/** Fields every detail has, SignalWithdrawn included (contract: "Fields every detail has"). */
export const commonDetailShape = {
  schemaVersion: schemaVersionSchema,
  signalId: signalIdSchema('Unique per partner; a resend with the same signalId is a duplicate'),
  observedAt: described(
    isoDateTimeWithOffset,
    'When the partner observed this, ISO-8601 with offset; at most 5 minutes in the future and 400 days old',
  ),
  municipalityCode: municipalityCodeSchema,
  address: addressSchema,
  household: householdSchema.optional(),
  contact: contactSchema.optional(),
  crisis: flag('The partner judges the situation acute; makes the household urgent while the signal is live').optional(),
};

/** An integer from `min` to `max`, both included. */
function intFromTo(min: number, max: number, description: string) {
  return expecting(z.int().min(min).max(max).meta({ description }), `an integer from ${min} to ${max}`);
}

/** An integer from 1 to `max`, worded as v1 worded it ("greater than 0") with the new maximum. */
function positiveIntAtMost(max: number, description: string) {
  return expecting(z.int().min(1).max(max).meta({ description }), `an integer greater than 0 and at most ${max}`);
}

/** Adds a rule's problem at `path`, worded for the reason (see `formatIssues`). */
function addProblem(ctx: z.RefinementCtx, path: PropertyKey[], problem: string): void {
  ctx.addIssue({ code: 'custom', path, message: problem, params: { problem } });
}

/** The problem a date after the date of `observedAt` gets. */
const AFTER_OBSERVED_AT = 'must not be after the date of observedAt';

// ---------------------------------------------------------------------------------------
// RentArrearsReported (huurachterstand)

export const rentArrearsDetailSchema = z
  .strictObject({
    ...commonDetailShape,
    arrears: expecting(
      z.strictObject({
        amountCents: positiveIntAtMost(MAX_ARREARS_AMOUNT_CENTS, 'Rent arrears in euro cents, at most EUR 1 million'),
        monthsInArrears: expecting(
          // zod's multipleOf allows for binary floating point (0.29 and 1.1 pass, 0.005 fails);
          // a JSON Schema validator may need a tolerance for multipleOf (Ajv: multipleOfPrecision).
          z
            .number()
            .positive()
            .max(MAX_MONTHS_IN_ARREARS)
            .multipleOf(MONTHS_IN_ARREARS_STEP)
            .meta({
              description:
                'Months of rent in arrears; 1.5 is one and a half months. Greater than 0, at most 120, with at most two decimals (a multiple of 0.01, compared with a tolerance for binary floating point)',
            }),
          `a number greater than 0 and at most ${MAX_MONTHS_IN_ARREARS}, with at most two decimals`,
        ),
        monthlyRentCents: positiveIntAtMost(MAX_MONTHLY_RENT_CENTS, 'Monthly rent in euro cents, at most EUR 10,000').optional(),
        reminderSentAt: described(
          isoDate,
          'When the last reminder was sent; not after the date of observedAt (in Europe/Amsterdam)',
        ).optional(),
        paymentArrangement: flag('A payment plan is agreed').optional(),
      }),
      'an object with amountCents and monthsInArrears',
    ),
  })
  .superRefine((detail, ctx) => {
    // Defensive reads: zod runs this after continuable issues too (e.g. a malformed observedAt).
    const reminderSentAt: unknown = detail.arrears?.reminderSentAt;
    if (!isCalendarDate(reminderSentAt)) return;
    const observedDate = amsterdamDateOf(detail.observedAt);
    if (observedDate !== undefined && reminderSentAt > observedDate) {
      addProblem(ctx, ['arrears', 'reminderSentAt'], AFTER_OBSERVED_AT);
    }
  })
  .meta({ description: 'Rent arrears (huurachterstand) reported by a landlord' });
export type RentArrearsDetail = z.infer<typeof rentArrearsDetailSchema>;

// ---------------------------------------------------------------------------------------
// NuisanceReported (woonoverlast)

export const NUISANCE_CATEGORIES = ['noise', 'threat', 'drugs', 'neglect', 'pollution', 'hoarding', 'other'] as const;
export type NuisanceCategory = (typeof NUISANCE_CATEGORIES)[number];
export const NUISANCE_SEVERITIES = ['low', 'medium', 'high'] as const;
export type NuisanceSeverity = (typeof NUISANCE_SEVERITIES)[number];

export const nuisanceDetailSchema = z
  .strictObject({
    ...commonDetailShape,
    nuisance: expecting(
      z.strictObject({
        category: enumOf(NUISANCE_CATEGORIES, 'Kind of nuisance'),
        severity: enumOf(NUISANCE_SEVERITIES, 'Severity as the partner judges it'),
        reportCount: intFromTo(1, MAX_NUISANCE_REPORT_COUNT, 'Number of complaints behind this signal').optional(),
        verified: flag('Seen by the corporation or police themselves').optional(),
      }),
      'an object with category and severity',
    ),
  })
  .meta({ description: 'Nuisance from a dwelling (woonoverlast)' });
export type NuisanceDetail = z.infer<typeof nuisanceDetailSchema>;

// ---------------------------------------------------------------------------------------
// EvictionProceedingUpdated (ontruimingsprocedure)

/** In the order the contract uses to break ties on the same `stageDate`. */
export const PROCEEDING_STAGES = ['summons', 'filed', 'verdict', 'scheduled', 'executed', 'withdrawn'] as const;
export type ProceedingStage = (typeof PROCEEDING_STAGES)[number];
export const PROCEEDING_GROUNDS = ['arrears', 'nuisance', 'other'] as const;
export type ProceedingGround = (typeof PROCEEDING_GROUNDS)[number];

const proceedingSchema = expecting(
  z
    .strictObject({
      stage: enumOf(PROCEEDING_STAGES, 'Stage of the court procedure'),
      stageDate: described(
        isoDate,
        `When the proceeding reached this stage; not after the date of observedAt (in Europe/Amsterdam), and not more than ${MAX_STAGE_DATE_YEARS_BEFORE_OBSERVED} years before it`,
      ),
      scheduledFor: described(
        isoDate,
        `Date the eviction is scheduled for; required when stage is scheduled. Not before stageDate, and not more than ${MAX_SCHEDULED_YEARS_AFTER_STAGE_DATE} year after it`,
      ).optional(),
      ground: enumOf(PROCEEDING_GROUNDS, 'Ground of the procedure'),
    })
    .superRefine((proceeding, ctx) => {
      if (proceeding.stage === 'scheduled' && proceeding.scheduledFor === undefined) {
        addProblem(ctx, ['scheduledFor'], 'required when stage is "scheduled", expected a date like "2026-03-01"');
      }
      const { stageDate, scheduledFor } = proceeding as { stageDate?: unknown; scheduledFor?: unknown };
      if (isCalendarDate(stageDate) && isCalendarDate(scheduledFor)) {
        const latest = addCalendarYears(stageDate, MAX_SCHEDULED_YEARS_AFTER_STAGE_DATE);
        if (scheduledFor < stageDate) addProblem(ctx, ['scheduledFor'], 'must not be before stageDate');
        else if (latest !== undefined && scheduledFor > latest) {
          addProblem(ctx, ['scheduledFor'], `must not be more than ${MAX_SCHEDULED_YEARS_AFTER_STAGE_DATE} year after stageDate`);
        }
      }
    })
    .meta({
      // The refinement above, for JSON Schema readers.
      if: { properties: { stage: { const: 'scheduled' } }, required: ['stage'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
      then: { required: ['scheduledFor'] },
    }),
  'an object with stage, stageDate and ground',
);

export const evictionProceedingDetailSchema = z
  .strictObject({
    ...commonDetailShape,
    proceeding: proceedingSchema,
  })
  .superRefine((detail, ctx) => {
    // Defensive reads, as for the arrears: a malformed date is reported by its own check.
    const stageDate: unknown = detail.proceeding?.stageDate;
    const observedDate = amsterdamDateOf(detail.observedAt);
    if (observedDate === undefined || !isCalendarDate(stageDate)) return;
    const earliest = addCalendarYears(observedDate, -MAX_STAGE_DATE_YEARS_BEFORE_OBSERVED);
    if (stageDate > observedDate) addProblem(ctx, ['proceeding', 'stageDate'], AFTER_OBSERVED_AT);
    else if (earliest !== undefined && stageDate < earliest) {
      addProblem(
        ctx,
        ['proceeding', 'stageDate'],
        `must not be more than ${MAX_STAGE_DATE_YEARS_BEFORE_OBSERVED} years before the date of observedAt`,
      );
    }
  })
  .meta({ description: 'A step in an eviction procedure (ontruimingsprocedure)' });
export type EvictionProceedingDetail = z.infer<typeof evictionProceedingDetailSchema>;

// ---------------------------------------------------------------------------------------
// CareSignalReported (zorgsignaal)

export const CARE_DOMAINS = [
  'debt',
  'income',
  'mentalHealth',
  'addiction',
  'youth',
  'domesticViolence',
  'health',
  'safety',
] as const;
export type CareDomain = (typeof CARE_DOMAINS)[number];

const careDomainsSchema = expecting(
  z
    .array(enumOf(CARE_DOMAINS, 'Life domain'))
    .min(1)
    .superRefine((domains, ctx) => {
      // The contract calls it a set: a repeat is a partner's mistake worth telling.
      domains.forEach((domain, index) => {
        if (domains.indexOf(domain) !== index) {
          const problem = 'repeats an earlier domain, expected each domain at most once';
          ctx.addIssue({ code: 'custom', path: [index], message: problem, params: { problem } });
        }
      });
    })
    .meta({ description: 'Life domains with problems: a non-empty set', uniqueItems: true }),
  `a non-empty list of distinct domains from ${CARE_DOMAINS.map((d) => `"${d}"`).join(', ')}`,
);

export const careSignalDetailSchema = z
  .strictObject({
    ...commonDetailShape,
    care: expecting(
      z.strictObject({
        domains: careDomainsSchema,
        stagnation: flag('Help is stuck (the Maastricht criterion)').optional(),
      }),
      'an object with domains',
    ),
  })
  .meta({ description: 'A care signal (zorgsignaal) from GGD, police, youth care or social work' });
export type CareSignalDetail = z.infer<typeof careSignalDetailSchema>;

// ---------------------------------------------------------------------------------------
// SignalWithdrawn

export const WITHDRAWAL_REASONS = ['resolved', 'paymentArrangement', 'error'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

export const signalWithdrawnDetailSchema = z
  .strictObject({
    ...commonDetailShape,
    withdrawal: expecting(
      z.strictObject({
        signalId: signalIdSchema("The partner's own earlier signalId that is withdrawn"),
        reason: enumOf(WITHDRAWAL_REASONS, 'Why the signal is withdrawn'),
      }),
      'an object with signalId and reason',
    ),
  })
  .meta({ description: "Withdraws one of the partner's earlier signals" });
export type SignalWithdrawnDetail = z.infer<typeof signalWithdrawnDetailSchema>;

// ---------------------------------------------------------------------------------------
// By detail type

export const partnerDetailSchemas = {
  RentArrearsReported: rentArrearsDetailSchema,
  NuisanceReported: nuisanceDetailSchema,
  EvictionProceedingUpdated: evictionProceedingDetailSchema,
  CareSignalReported: careSignalDetailSchema,
  SignalWithdrawn: signalWithdrawnDetailSchema,
} as const satisfies Record<PartnerDetailType, z.ZodType>;

export type PartnerDetailByType = {
  [K in PartnerDetailType]: z.infer<(typeof partnerDetailSchemas)[K]>;
};
export type PartnerSignalDetail = PartnerDetailByType[PartnerDetailType];
export type PartnerSignal = {
  [K in PartnerDetailType]: { detailType: K; detail: PartnerDetailByType[K] };
}[PartnerDetailType];

export function isPartnerDetailType(value: string): value is PartnerDetailType {
  return (PARTNER_DETAIL_TYPES as readonly string[]).includes(value);
}

export type PartnerDetailParseResult = { ok: true; signal: PartnerSignal } | { ok: false; reason: string };

/**
 * Validates a partner's detail against its detail type. On failure, `reason` is one
 * sentence naming field paths and what was expected; it never contains the values sent.
 */
export function parsePartnerDetail(detailType: string, detail: unknown): PartnerDetailParseResult {
  if (!isPartnerDetailType(detailType)) {
    // The detail type itself is not repeated: it is whatever the entry carried.
    return { ok: false, reason: `unknown detail type; expected one of ${PARTNER_DETAIL_TYPES.join(', ')}` };
  }
  const parsed = parseWithReason(partnerDetailSchemas[detailType] as z.ZodType, detail);
  return parsed.ok ? { ok: true, signal: { detailType, detail: parsed.value } as PartnerSignal } : parsed;
}
