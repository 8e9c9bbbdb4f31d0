/**
 * The municipality's DDAS export (VNG DDAS v1.2): its early-signalling work over a period as
 * one exchange document for the national statistics office. DDAS is about payment arrears, so
 * it holds the rent-arrears signals and the care signals in debt or income, and the cases
 * (alerts) that handled them; nuisance, proceedings and other care stay in the monitor only.
 *
 * The document holds addresses (the client is known to DDAS by postcode and house number; the
 * pipeline never holds a BSN or a birth date): it is made for the municipality's own role only
 * and never logged.
 */
import { addCalendarMonthsMs, amsterdamDate, startOfAmsterdamDayMs } from '@vroegsignaal/calendar';
import type {
  CaseDetail,
  CaseResult,
  ContactChannel,
  DdasAanleverendeOrganisatie,
  DdasContactpoging,
  DdasContactsoort,
  DdasDagdeel,
  DdasEindresultaat,
  DdasSignaalpartner,
  DdasSignaalstatus,
  DdasUitwisselmodel,
  DdasVroegsignaal,
  DdasVroegsignaalzaak,
  NotTakenReason,
  PartOfDay,
} from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import type { AlertIndexRecord } from '../ports.ts';
import type { NormalisedAddress } from './address.ts';
import type { CareDomain, HouseholdState, StoredSignal } from './household.ts';
import { partOfDayAt, type AlertLife } from './timeline.ts';

// ---------------------------------------------------------------------------------------
// The mapping tables: Records over the contract's code lists, so a code added there is a
// compile error here until it is mapped.

/** What a team's AlertNotTaken reason makes of the signals and the case. */
export const NOT_TAKEN_MAPPING: Record<NotTakenReason, { status: DdasSignaalstatus; resultaat: DdasEindresultaat }> = {
  unjustified: { status: 'Niet opgepakt: onterecht signaal', resultaat: 'Niet opgepakt: onterecht signaal' },
  repeat: { status: 'Niet opgepakt: herhaalde melding', resultaat: 'Niet opgepakt: herhaalde melding' },
  other: { status: 'Niet opgepakt: andere reden', resultaat: 'Niet opgepakt: andere reden' },
  'already-in-debt-help': { status: 'Inwoner al bekend bij schuldhulpverlening', resultaat: 'Inwoner al bekend bij schuldhulpverlening' },
  // DDAS has no signal status for another trajectory: the signal was not taken, for another reason.
  'other-trajectory': { status: 'Niet opgepakt: andere reden', resultaat: 'Inwoner heeft al een ander lopend traject' },
  'not-resident': { status: 'Persoon is geen inwoner (meer) in de gemeente', resultaat: 'Persoon is geen inwoner (meer) in de gemeente' },
  deceased: { status: 'Inwoner is overleden', resultaat: 'Inwoner is overleden' },
};

/** A CaseClosed detail (contract v1.1) as the case's resultaat. */
export const CLOSE_DETAIL_MAPPING: Record<CaseDetail, DdasEindresultaat> = {
  'quick-fix': '(Budget)advies en/of quick fix',
  'paid-or-arrangement': 'Inwoner heeft zelf al betaald/betalingsregeling getroffen',
  'self-managing': 'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
  referred: 'Vervolghulp en/of verwijzing',
  'referred-financial': 'Vervolghulp en/of verwijzing financieel',
  'referred-non-financial': 'Vervolghulp en/of verwijzing niet financieel',
  'referred-without-resident': 'Verwijzing zonder tussenkomst inwoner',
  'never-reached': 'Definitief geen contact kunnen krijgen',
  'no-response-after-contact': 'Geen reactie na eerder contact',
  declined: 'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
};

/**
 * A case closed with a v1 result and no detail. `resolved` alone does not say how (a quick
 * fix, paid, or managing alone): no resultaat rather than a guess.
 */
export const CLOSE_RESULT_MAPPING: Record<CaseResult, DdasEindresultaat | undefined> = {
  resolved: undefined,
  referred: 'Vervolghulp en/of verwijzing',
  'no-contact': 'Definitief geen contact kunnen krijgen',
  declined: 'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
};

export const CHANNEL_MAPPING: Record<ContactChannel, DdasContactsoort> = {
  letter: 'Brief',
  card: 'Kaartje',
  phone: 'Telefoon',
  sms: 'SMS/Whatsapp',
  email: 'Mail',
  'home-visit': 'Huisbezoek',
  appointment: 'Afspraak op locatie',
  administrative: 'Administratief',
  other: 'Overige',
};

/** An attempt whose channel is missing (or one the contract does not know) is of an unknown kind. */
export const UNKNOWN_CHANNEL: DdasContactsoort = 'Onbekend';

export const PART_OF_DAY_MAPPING: Record<PartOfDay, DdasDagdeel> = {
  morning: 'Ochtend',
  afternoon: 'Middag',
  evening: 'Avond',
};

/** Care domains that are payment arrears in DDAS's sense. */
export const EXPORTED_CARE_DOMAINS: readonly CareDomain[] = ['debt', 'income'];

// ---------------------------------------------------------------------------------------
// The document

export interface DdasExportInput {
  municipalityCode: string;
  /** The period's first and last day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  /** The alerts raised in the months the period touches (MonitorSource.alertsRaised). */
  alerts: readonly AlertIndexRecord[];
  /** The households behind them and behind the entries judged in those months. */
  households: readonly HouseholdState[];
  /** When the document is made: its aanleverdatumEnTijd. */
  nowMs: number;
  /** codeGegevensleverancier: the product and its version. */
  supplier: string;
  /** Replaces the policy's organisation (or, without one, the municipality's name). */
  organisation?: DdasAanleverendeOrganisatie;
}

/** The signal's type as DDAS knows it, or undefined when DDAS is not about it. */
export function signaalpartnerOf(signal: Pick<StoredSignal, 'type' | 'care'>): DdasSignaalpartner | undefined {
  if (signal.type === 'RentArrearsReported') return 'Huur';
  if (signal.type === 'CareSignalReported' && signal.care?.domains.some((d) => EXPORTED_CARE_DOMAINS.includes(d))) return 'Overige';
  return undefined;
}

/** The signal's id in the document: unique within the levering, as a partner's signalId is unique per partner. */
export function ddasSignalId(signal: Pick<StoredSignal, 'partnerId' | 'signalId'>): string {
  return `${signal.partnerId}:${signal.signalId}`;
}

function dateOf(ms: number): string {
  return amsterdamDate(new Date(ms));
}

/** The address as DDAS's client: postcode `1234AB`, the house number as a string, letter and addition joined by a space. */
export function clientOf(address: NormalisedAddress): DdasVroegsignaal['client'] {
  const toevoeging = [address.houseLetter, address.houseNumberAddition].filter((part) => part !== undefined).join(' ');
  return { postcode: address.postcode, huisnummer: String(address.houseNumber), ...(toevoeging ? { huisnummertoevoeging: toevoeging } : {}) };
}

/** What the alert's life says of its signals: picked up, not taken and why, or not yet. */
export function signaalstatusOf(life: AlertLife | undefined): DdasSignaalstatus {
  if (life?.ending === 'not-taken') {
    const reason = life.timeline.find((e) => e.type === 'not-taken' && !e.afterEnd)?.reason;
    return isNotTakenReason(reason) ? NOT_TAKEN_MAPPING[reason].status : 'Niet opgepakt: andere reden';
  }
  return life?.pickedUpAtMs !== undefined ? 'Opgepakt' : 'Nog niet opgepakt';
}

/** How the case ended, in DDAS's words; undefined while it is open (or closed without a telling result). */
export function resultaatOf(life: AlertLife | undefined): DdasEindresultaat | undefined {
  if (life?.ending === 'not-taken') {
    const reason = life.timeline.find((e) => e.type === 'not-taken' && !e.afterEnd)?.reason;
    return isNotTakenReason(reason) ? NOT_TAKEN_MAPPING[reason].resultaat : 'Niet opgepakt: andere reden';
  }
  if (life?.ending !== 'closed') return undefined;
  if (isCaseDetail(life.detail)) return CLOSE_DETAIL_MAPPING[life.detail];
  return isCaseResult(life.result) ? CLOSE_RESULT_MAPPING[life.result] : undefined;
}

function isNotTakenReason(reason: string | undefined): reason is NotTakenReason {
  return reason !== undefined && Object.hasOwn(NOT_TAKEN_MAPPING, reason);
}
function isCaseDetail(detail: string | undefined): detail is CaseDetail {
  return detail !== undefined && Object.hasOwn(CLOSE_DETAIL_MAPPING, detail);
}
function isCaseResult(result: string | undefined): result is CaseResult {
  return result !== undefined && Object.hasOwn(CLOSE_RESULT_MAPPING, result);
}
function isChannel(channel: string | undefined): channel is ContactChannel {
  return channel !== undefined && Object.hasOwn(CHANNEL_MAPPING, channel);
}

/** The attempts that count (not those set aside as dated after the alert's end), oldest first. */
export function contactpogingenOf(life: AlertLife | undefined): DdasContactpoging[] {
  return (life?.timeline ?? [])
    .filter((e) => e.type === 'attempt' && !e.afterEnd)
    .map((e) => ({
      soort: isChannel(e.channel) ? CHANNEL_MAPPING[e.channel] : UNKNOWN_CHANNEL,
      bereikt: e.reached === true,
      datum: dateOf(e.atMs),
      dagdeel: PART_OF_DAY_MAPPING[e.partOfDay ?? partOfDayAt(e.atMs)],
    }));
}

/** An exported signal with the household it belongs to. */
interface HeldSignal {
  signal: StoredSignal;
  household: HouseholdState;
  type: DdasSignaalpartner;
}

/**
 * The DDAS document of one municipality over a period, from the month indexes' records:
 * - vroegsignalen: the exported signals observed in the period, and those an exported case
 *   handled; a signal the partner withdrew as sent in error is no signal and is left out;
 * - vroegsignaalzaken: every alert raised in the period whose live signals include exported
 *   ones, except an alert forwarded to another team (the receiving team's alert is the case).
 * A signal's status follows the latest case that handled it; without one it is not yet picked up.
 */
export function ddasDocument(input: DdasExportInput, policy: CompiledPolicy): DdasUitwisselmodel {
  const startMs = startOfAmsterdamDayMs(input.from);
  const endMs = addCalendarDaysMs(input.to);
  const held = new Map<string, HeldSignal>();
  for (const household of input.households) {
    for (const signal of household.signals) {
      const type = signaalpartnerOf(signal);
      if (type === undefined || signal.municipalityCode !== input.municipalityCode) continue;
      if (household.withdrawals.some((w) => w.reason === 'error' && w.partnerId === signal.partnerId && w.signalId === signal.signalId)) continue;
      held.set(ddasSignalId(signal), { signal, household, type });
    }
  }

  const cases = input.alerts
    .filter((alert) => alert.atMs >= startMs && alert.atMs < endMs && alert.life?.ending !== 'forwarded')
    .map((alert) => ({ alert, ids: alert.signals.map(ddasSignalId).filter((id) => held.has(id)) }))
    .filter((c) => c.ids.length > 0)
    .sort((a, b) => a.alert.atMs - b.alert.atMs || (a.alert.alertId < b.alert.alertId ? -1 : 1));

  const statusById = new Map<string, DdasSignaalstatus>();
  for (const { alert, ids } of cases) for (const id of ids) statusById.set(id, signaalstatusOf(alert.life));

  const exported = [...held.entries()]
    .filter(([id, { signal }]) => statusById.has(id) || (signal.observedAtMs >= startMs && signal.observedAtMs < endMs))
    .sort(([a, x], [b, y]) => x.signal.observedAtMs - y.signal.observedAtMs || (a < b ? -1 : 1));

  const vroegsignalen = exported.map(([id, { signal, household, type }]): DdasVroegsignaal => ({
    ID: id,
    crisissignaal: signal.crisis === true,
    ...(signal.arrears ? { bedrag: Math.floor(signal.arrears.amountCents / 100) } : {}),
    signaaldatum: dateOf(signal.observedAtMs),
    status: statusById.get(id) ?? 'Nog niet opgepakt',
    signaalpartner: { type },
    client: clientOf(household.address),
  }));

  const vroegsignaalzaken = cases.map(({ alert, ids }): DdasVroegsignaalzaak => {
    const resultaat = resultaatOf(alert.life);
    const attempts = contactpogingenOf(alert.life);
    return {
      ...(resultaat ? { resultaat } : {}),
      matchingsdatum: dateOf(alert.atMs),
      // The signals matched are those live at the alert: observed within the lookback before it.
      startdatumMatchingperiode: dateOf(addCalendarMonthsMs(alert.atMs, -policy.settings.lookbackMonths)),
      einddatumMatchingperiode: dateOf(alert.atMs),
      ...(alert.life?.pickedUpAtMs !== undefined ? { datumOpgepakt: dateOf(alert.life.pickedUpAtMs) } : {}),
      vroegsignalen: [...new Set(ids)].map((ID) => ({ ID })),
      ...(attempts.length > 0 ? { contactpogingen: attempts } : {}),
    };
  });

  const municipality = policy.municipality(input.municipalityCode);
  const organisation = input.organisation ?? municipality?.ddas?.aanleverendeOrganisatie ?? { naam: `Gemeente ${municipality?.name ?? input.municipalityCode}` };
  return {
    startdatumLevering: input.from,
    einddatumLevering: input.to,
    aanleverdatumEnTijd: new Date(input.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    codeGegevensleverancier: input.supplier,
    leveringen: [{ teller: 1, gemeentecode: input.municipalityCode, aanleverendeOrganisatie: organisation, vroegsignalen, vroegsignaalzaken }],
  };
}

/** The start of the day after `date` in Amsterdam: the period's end, exclusive. */
function addCalendarDaysMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return startOfAmsterdamDayMs(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10));
}

const PERIOD_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar months (`2026-10`) the period touches, oldest first: those whose month indexes the export reads. */
export function monthsOfPeriod(from: string, to: string): string[] {
  if (!PERIOD_DATE.test(from) || !PERIOD_DATE.test(to) || from > to) throw new RangeError('a period runs from a date to a date not before it (YYYY-MM-DD)');
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let key = from.slice(0, 7); key <= to.slice(0, 7); key = `${year}-${String(month).padStart(2, '0')}`) {
    months.push(key);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}
