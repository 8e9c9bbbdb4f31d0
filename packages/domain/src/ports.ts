/**
 * What the use cases need from the outside world. Adapters in packages/adapters implement
 * these on DynamoDB, SQS and EventBridge; the domain never imports an AWS SDK.
 */
import type { AlertAssigned, DeliveryDue, Level, SignalOutcome, TeamMessage, TeamMessageSent, TeamReportOutcome } from '@vroegsignaal/events';
import type { Outcome } from './model/apply.ts';
import type { HouseholdState, StoredWithdrawal } from './model/household.ts';
import type { RejectionRule } from './model/intake.ts';
import type { AlertLife } from './model/timeline.ts';

export interface HouseholdStore {
  get(ref: string): Promise<HouseholdState | undefined>;
  /**
   * Writes the state only if the stored one still has `expectedVersion` (0: none stored yet),
   * and stores it with version `expectedVersion + 1`. False when another writer came first.
   */
  put(state: HouseholdState, expectedVersion: number, expiresAtMs: number): Promise<boolean>;
}

/** What is known of one partner's signalId: the claim that makes a resend a duplicate. */
export interface SignalClaim {
  partnerId: string;
  signalId: string;
  /** Null while only a withdrawal that arrived first is known of it. */
  householdRef: string | null;
  /** The bus event that claimed it, to tell a redelivery of one entry from a partner's resend. */
  eventId: string | null;
  outcome: Outcome['outcome'] | null;
  reason: string | null;
  pendingWithdrawal?: StoredWithdrawal;
  expiresAtMs: number;
}

export interface SignalLedger {
  /** Creates the claim unless one exists; returns the existing claim when it does. */
  claim(claim: SignalClaim): Promise<{ claimed: true } | { claimed: false; existing: SignalClaim }>;
  get(partnerId: string, signalId: string): Promise<SignalClaim | undefined>;
  /**
   * Sets the household and first outcome on a claim that is a withdrawal's placeholder or was
   * made by the same bus event (whose outcome a lost race may have changed); false otherwise.
   */
  recordFirstOutcome(claim: SignalClaim): Promise<boolean>;
  /** Records a withdrawal for a signal not yet seen; false when the signal arrived meanwhile. */
  placeWithdrawal(partnerId: string, signalId: string, withdrawal: StoredWithdrawal, expiresAtMs: number): Promise<boolean>;
  /**
   * Appends a later outcome (withdrawn, picked-up, closed) to a claim. With `onceKey`, once
   * per key: a SignalOutcome delivered twice, or told again after a crash, is kept once.
   */
  recordLaterOutcome(partnerId: string, signalId: string, outcome: string, atMs: number, onceKey?: string): Promise<void>;
  /**
   * Keeps a partner's resend of a claimed signalId (told `duplicate`) on the claim: once per
   * event, never the claiming event's own, the newest MAX_RESENDS_KEPT; nowhere without a claim.
   */
  recordResend(partnerId: string, signalId: string, resend: Resend): Promise<void>;
  /**
   * Keeps a rejection apart from the claim, so that it never blocks nor changes one: per
   * (partner, signalId) the newest rejection; one event's rejection told again does not replace it.
   */
  recordRejection(rejection: RejectionRecord): Promise<void>;
}

/** A partner's resend of a signalId it sent before: the bus event, and when it was judged. */
export interface Resend {
  eventId: string;
  atMs: number;
}

/** Resends kept per claim: enough to show a partner its last few sends, bounded against a flood. */
export const MAX_RESENDS_KEPT = 10;

/** What a partner was told of a rejected entry: the rule and our reason, never what was sent. */
export interface RejectionRecord {
  partnerId: string;
  signalId: string;
  eventId: string | null;
  rule: RejectionRule;
  reason: string;
  atMs: number;
  expiresAtMs: number;
}

/** An alert: what team reports look it up by, and the audit record of its delivery. */
export interface AlertIndexRecord {
  alertId: string;
  householdRef: string;
  team: string;
  level: Level;
  sequence: number;
  /** When it was raised and sent. */
  atMs: number;
  /** The alert id: its deduplication id on the team queue. */
  deliveryId: string;
  /** Reason codes only, the why without the facts. */
  reasonCodes: string[];
  /** The household's score when it was raised: the inbox orders alerts of one level and deadline by it. */
  score: number;
  /** The deadline its message gave the team. */
  respondByMs: number;
  /** The policy district of the address, or its 4-digit postcode area (districtOf): what the inbox filters on instead of the address. */
  district: string;
  /**
   * The municipality the alert is worked for: its address's, as routing decided (also for the
   * catch-all team). Files the record in that municipality's month for the monitor (MonitorSource).
   */
  municipalityCode?: string;
  /** The live signals behind the alert, so partners can be told when a team acts on it. */
  signals: { partnerId: string; signalId: string }[];
  /**
   * A copy of the alert's life on the household item, which goes with the address about 13
   * months after the household's last signal: here it stays readable as long as the record.
   * Absent until the household recorded the alert.
   */
  life?: AlertLife;
  expiresAtMs: number;
}

export interface AlertIndex {
  /**
   * Creates or replaces the record, but never its life: a record put again keeps the copy it has,
   * and an alert whose life ended stays out of its team's inbox (a resend does not reopen it).
   */
  put(record: Omit<AlertIndexRecord, 'life'>): Promise<void>;
  get(alertId: string): Promise<AlertIndexRecord | undefined>;
  /**
   * Copies the alert's life onto its record, after the household write that decided it. Copies
   * arrive at least once and may race: one whose timeline is not longer than the stored one's is
   * older (or the same), and is not written. Nothing is written for an alert without a record.
   * The copy also decides what the team inbox shows: the status, the holder, the escalation, and
   * once the alert ended, that it is no longer there.
   */
  recordLife(alertId: string, life: AlertLife): Promise<void>;
}

export interface CapacityLedger {
  /** The household's place among the distinct households alerted to the team in that year (1-based). */
  countHousehold(team: string, year: number, householdRef: string): Promise<number>;
}

/** Who was told what about which household, when and why: one record per update or reminder delivered (an alert's is its index record). */
export interface AuditRecord {
  /** The message's deduplication id: a resend of the same message is the same record. */
  deliveryId: string;
  householdRef: string;
  alertId: string;
  team: string;
  kind: 'update' | 'reminder';
  level: Level;
  /** Reason codes only (`arrears-2m`, `domains-3`): the why, without the facts. */
  reasonCodes: string[];
  atMs: number;
  expiresAtMs: number;
}

export interface AuditTrail {
  /** Idempotent per deliveryId: the first record stands. */
  record(entry: AuditRecord): Promise<void>;
}

/** Looks at a household again at a given time: how reminders that are not due yet get sent. */
export interface ReminderScheduler {
  /** Idempotent for the same household and time. */
  scheduleCheck(householdRef: string, atMs: number): Promise<void>;
}

export interface TeamMessenger {
  /** `deduplicationId` makes a resend of the same message a no-op on the team's queue. */
  send(team: string, message: TeamMessage, deduplicationId: string, groupId: string): Promise<void>;
}

export type PipelineEvent =
  | { type: 'SignalOutcome'; detail: SignalOutcome }
  | { type: 'TeamReportOutcome'; detail: TeamReportOutcome }
  | { type: 'DeliveryDue'; detail: DeliveryDue }
  | { type: 'TeamMessageSent'; detail: TeamMessageSent }
  | { type: 'AlertAssigned'; detail: AlertAssigned };

export interface EventPublisher {
  publish(events: PipelineEvent[]): Promise<void>;
}

/**
 * One open alert as a team's inbox lists it (the workspace): codes, times and a pseudonymous
 * member id only. Never an address, a contact, free text or the household reference: whoever
 * looks over a shoulder at the inbox learns that there is work, not who it is about.
 */
export interface OpenAlert {
  alertId: string;
  team: string;
  level: Level;
  score: number;
  /** Reason codes (`arrears-2m`, `domains-3`), the inbox's "reasons in short". */
  reasonCodes: string[];
  /** Partner ids whose live signals raised it. */
  partners: string[];
  /** The policy's district of the address, or its 4-digit postcode area where the municipality has none. */
  district: string;
  raisedAtMs: number;
  /** The deadline its message gave the team. */
  respondByMs: number;
  status: 'raised' | 'picked-up' | 'reached';
  /** The member who picked it up (pseudonymous id), while it is picked up. */
  holder?: string;
  /** The coordinating team was told it is overdue (overdue-escalated). */
  escalatedAtMs?: number;
}

/** The open alerts of a team, read without a scan (on DynamoDB: one index query, by team). */
export interface TeamInbox {
  /** Every open alert of the team (raised, picked up or reached), in no particular order. */
  openAlerts(team: string): Promise<OpenAlert[]>;
}

/**
 * Who saw an address or contact data of which alert, or took the municipality's addresses out in
 * a DDAS export, when (NEN 7513: logging access to care records). Read by the municipality's
 * privacy officer, never by teams.
 */
export type AccessRecord = AlertAccessRecord | ExportAccessRecord;
/** An access record as a store keeps it, its expiry held its own way (a TTL attribute). */
export type StoredAccessRecord = Omit<AlertAccessRecord, 'expiresAtMs'> | Omit<ExportAccessRecord, 'expiresAtMs'>;

interface AccessRecordBase {
  municipalityCode: string;
  /** The member's pseudonymous id (the identity provider's subject); for a pull, the machine client's id. */
  memberId: string;
  atMs: number;
  expiresAtMs: number;
}

/** The alert page was shown (address, contacts, household). */
export interface AlertAccessRecord extends AccessRecordBase {
  view: 'alert';
  team: string;
  alertId: string;
}

/** A DDAS export of a period (the addresses of its signals) left the workspace. */
export interface ExportAccessRecord extends AccessRecordBase {
  view: 'ddas-export';
  /** A member's download from the monitor page, or the statistics office's pull (`POST /gegevens`). */
  channel: 'download' | 'pull';
  /** The period's first and last day (`YYYY-MM-DD`). */
  from: string;
  to: string;
}

export interface AccessLog {
  /** Every view is kept, also the same member seeing the same alert twice. */
  record(entry: AccessRecord): Promise<void>;
  /** The records of one municipality in one calendar month (`2026-11`, Amsterdam time), oldest first. */
  month(municipalityCode: string, month: string): Promise<AccessRecord[]>;
}

/**
 * What the municipality's monitor and the DDAS export read, per municipality and calendar
 * month (Amsterdam time): kept as it happens in month indexes, so that counting never scans the
 * table. The figures are computed from these records by pure functions (the monitor's recount
 * test holds them to the raw timelines).
 */
export interface MonitorSource {
  /** Every entry judged in the month that belongs to the municipality (by its address), with its first outcome. */
  entriesJudged(municipalityCode: string, month: string): Promise<JudgedEntry[]>;
  /** Every alert raised in the month by a team of the municipality, with its life. */
  alertsRaised(municipalityCode: string, month: string): Promise<AlertIndexRecord[]>;
  /** The households behind alerts and entries, for the export (addresses; never for the monitor's aggregate). */
  households(refs: readonly string[]): Promise<HouseholdState[]>;
}

/** One judged entry as the monitor counts it: codes and times only. */
export interface JudgedEntry {
  partnerId: string;
  /** The entry's detail type (RentArrearsSignal, NuisanceSignal, ...). */
  detailType: string;
  outcome: Outcome['outcome'];
  /** For a rejection, the rule it broke. */
  rule?: RejectionRule;
  /** Absent for a rejection whose address gave no household. */
  householdRef?: string;
  atMs: number;
}

/**
 * Where ingest files every entry it judged, for the monitor (MonitorSource.entriesJudged): one
 * record per bus event, so an entry delivered twice is counted once.
 */
export interface JudgedEntryLog {
  /** The first record of a bus event stands: a redelivery, judged again, adds nothing and changes nothing. */
  record(entry: JudgedEntryRecord): Promise<void>;
}

export interface JudgedEntryRecord extends JudgedEntry {
  /** The bus event that brought the entry. */
  eventId: string;
  /**
   * The municipality of the entry's address (municipalityOfAddress). An entry rejected before
   * its address could be read (broken contract, unknown partner) belongs to no municipality and
   * is not filed: the operator's metrics count it, no municipality's monitor does.
   */
  municipalityCode: string;
  expiresAtMs: number;
}

/**
 * Where the monthly monitor is filed (on AWS an S3 bucket encrypted with the deployment's key),
 * and how a municipality's operators hear it is there (an SNS topic, filtered by municipality).
 * Aggregates only: the export, which holds addresses, never goes this way.
 */
export interface MonitorReports {
  /** Writes one file of a report; the same key again replaces it (a rerun of the month). */
  put(key: string, body: string, contentType: string): Promise<void>;
  /** Tells the municipality's operators; the text names the month and the files, no figure of a household. */
  notify(municipalityCode: string, subject: string, message: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// E-mail notices to team members (the workspace's members). A notice tells a person that there
// is work: level, team, deadline, waiting time and a link. Never an address, a name, a phone
// number, a reason text or the household reference (model/member-notices.ts renders them).

/** What a member can be e-mailed about. */
export const NOTICE_KINDS = ['urgent-alert', 'assigned', 'overdue', 'escalation', 'digest'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Whether mail reaches the member: switched off by a hard bounce or a complaint, until they save their settings again. */
export type MailStatus = 'active' | 'bounced' | 'complained';

/**
 * A member of the workspace as notices know them: registered at their first login (or by the
 * local stack's seed), with their e-mail address from the identity provider. The address is an
 * attribute, never in a key, a log line or a metric.
 */
export interface MemberRecord {
  /** The identity provider's subject: the pseudonymous `by` of their reports. */
  memberId: string;
  email: string;
  locale: 'nl' | 'en';
  /** Their teams, from the identity provider's groups at their last login. */
  teams: string[];
  /** The municipalities they coordinate (group `coordinator.<GM>`): they hear of bounces and set team defaults. */
  coordinatorOf: string[];
  /** Nothing is sent until the member switches notices on (opt-in). */
  optedIn: boolean;
  /** The member's own choice per kind; a kind not set follows the team's defaults. */
  kinds: Partial<Record<NoticeKind, boolean>>;
  /** Their digest time, `HH:MM` in Europe/Amsterdam on a quarter hour; absent: the team's. */
  digestTime?: string;
  mail: MailStatus;
  /** When mail was switched off (bounce or complaint). */
  mailOffAtMs?: number;
  updatedAtMs: number;
}

/** What a team's coordinator sets as the starting point for the team's members. */
export interface TeamNoticeDefaults {
  team: string;
  kinds: Record<NoticeKind, boolean>;
  /** `HH:MM`, Europe/Amsterdam, on a quarter hour. */
  digestTime: string;
  /** The coordinator who set them (pseudonymous id). */
  setBy: string;
  updatedAtMs: number;
}

export interface MemberDirectory {
  /** Every member and every team's defaults (on DynamoDB one partition: one query, paged). */
  all(): Promise<{ members: MemberRecord[]; defaults: TeamNoticeDefaults[] }>;
  get(memberId: string): Promise<MemberRecord | undefined>;
  put(member: MemberRecord): Promise<void>;
  /** The defaults one team's coordinator set, or undefined (the shipped ones then apply). */
  defaultsOf(team: string): Promise<TeamNoticeDefaults | undefined>;
  putDefaults(defaults: TeamNoticeDefaults): Promise<void>;
  /** Switches mail off; false when the member is unknown or mail was off already (so the coordinator is told once). */
  switchOff(memberId: string, status: Exclude<MailStatus, 'active'>, atMs: number): Promise<boolean>;
}

/** A notice sent to a member, as their settings page lists it: codes and times only. */
export interface SentNotice {
  memberId: string;
  /** The idempotency key it was sent under (event or delivery, and member). */
  key: string;
  kind: NoticeKind;
  team: string;
  alertId?: string;
  level?: Level;
  atMs: number;
  expiresAtMs: number;
}

export interface NoticeLog {
  /** Keeps what was sent, once per key. */
  record(notice: SentNotice): Promise<void>;
  /** A member's newest notices first. */
  recent(memberId: string, limit: number): Promise<SentNotice[]>;
}

/**
 * Runs work once per key: a key whose run completed is skipped; a run that failed (threw) may run
 * again; a key another run holds right now throws (so its caller's record is tried again later,
 * and then finds it done or free). On AWS Powertools' idempotency on the household table, where a
 * run that died holding its key frees it after an in-progress window; in memory a map.
 */
export interface OnceGate {
  /** True when `run` ran now, false when a completed run of the key was found. */
  once(key: string, run: () => Promise<void>): Promise<boolean>;
}

/** What a mail is: a notice of one of the kinds, or `mail-off`, the service mail that tells coordinators a member's mail was switched off. */
export type MailKind = NoticeKind | 'mail-off';

/** One e-mail, rendered. `to` is the only personal data in it: the member's own address. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The settings page: the List-Unsubscribe header and the mail's own footer link. */
  unsubscribeUrl: string;
  /** Pseudonymous, for the bounce and complaint feedback (SES message tags, a local header). */
  memberId: string;
  kind: MailKind;
}

/**
 * `sent`: handed over (SES may still bounce it later, through its feedback); `rejected`: the
 * receiving server refused the address for good (an SMTP 5xx on RCPT), which is a hard bounce.
 * A temporary failure throws, so the notice is tried again.
 */
export type MailResult = { status: 'sent'; messageId: string } | { status: 'rejected'; reason: string };

export interface Mailer {
  send(mail: OutgoingMail): Promise<MailResult>;
}
