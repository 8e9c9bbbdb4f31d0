/**
 * E-mail notices to team members (issue 17): who is told what, when the daily digest is due, and
 * the words of every mail. Pure: the members, the alert's index record and the clock come from
 * the caller (use-cases/notify.ts).
 *
 * A mail tells a person that there is work, never who it is about: the level, the team's name,
 * the deadline, how long it has waited and a link into the workspace. Nothing here reads an
 * address, a contact, a reason or the household reference, so nothing here can write one.
 */
import { addCalendarDays, amsterdamDate, amsterdamWallTimeMs, formatAmsterdamIso, isDutchWorkingDay } from '@vroegsignaal/calendar';
import type { AlertAssigned, Level, TeamMessage, TeamMessageSent } from '@vroegsignaal/events';
import type { TeamPolicy } from '@vroegsignaal/policy';
import { NOTICE_KINDS, type AlertIndexRecord, type MailKind, type MailStatus, type MemberRecord, type NoticeKind, type OpenAlert, type OutgoingMail, type TeamNoticeDefaults } from '../ports.ts';
import { isOverdue, OPEN_STATUSES } from './inbox.ts';

/** What a member's notices follow: a choice per kind and the digest time. */
export interface NoticeSettings {
  kinds: Record<NoticeKind, boolean>;
  /** `HH:MM`, Europe/Amsterdam, one of DIGEST_TIMES. */
  digestTime: string;
}

/** Where a team's coordinator set nothing: every kind on (a member still opts in first), the digest at half past eight. */
export const SHIPPED_NOTICE_DEFAULTS: Readonly<NoticeSettings> = Object.freeze({
  kinds: Object.freeze(Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, true])) as Record<NoticeKind, boolean>),
  digestTime: '08:30',
});

/** The settings a member's notices about one team follow: their own choice, else the team's defaults, else the shipped ones. */
export function effectiveNoticeSettings(member: Pick<MemberRecord, 'kinds' | 'digestTime'>, teamDefaults: Pick<TeamNoticeDefaults, 'kinds' | 'digestTime'> | undefined): NoticeSettings {
  const kinds = Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, member.kinds[kind] ?? teamDefaults?.kinds[kind] ?? SHIPPED_NOTICE_DEFAULTS.kinds[kind]])) as Record<NoticeKind, boolean>;
  return { kinds, digestTime: member.digestTime ?? teamDefaults?.digestTime ?? SHIPPED_NOTICE_DEFAULTS.digestTime };
}

/** Whether anything may be mailed to the member about their work: they opted in and their address takes mail. */
export function takesNotices(member: Pick<MemberRecord, 'optedIn' | 'mail'>): boolean {
  return member.optedIn && member.mail === 'active';
}

// ---------------------------------------------------------------------------------------
// The digest's times and days

/** The earliest and latest digest time: a working day's hours, and never in the night's clock change. */
const FIRST_DIGEST_MINUTE = 6 * 60;
const LAST_DIGEST_MINUTE = 22 * 60;
const pad2 = (n: number) => String(n).padStart(2, '0');

/** The digest times a member or coordinator may choose: every quarter hour from 06:00 to 22:00, Europe/Amsterdam. */
export const DIGEST_TIMES: readonly string[] = Array.from({ length: (LAST_DIGEST_MINUTE - FIRST_DIGEST_MINUTE) / 15 + 1 }, (_, i) => {
  const minute = FIRST_DIGEST_MINUTE + i * 15;
  return `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;
});

export function isDigestTime(value: unknown): value is string {
  return typeof value === 'string' && DIGEST_TIMES.includes(value);
}

/** The quarter hour (`HH:MM`, Europe/Amsterdam) an instant lies in: the digest slot a run at that instant serves. */
export function digestSlotOf(nowMs: number): string {
  const wall = formatAmsterdamIso(new Date(nowMs));
  const minute = Number(wall.slice(14, 16));
  return `${wall.slice(11, 13)}:${pad2(minute - (minute % 15))}`;
}

/** How far back "new since the last digest" may reach: a long holiday weekend fits, a forgotten month does not. */
const MAX_DIGEST_LOOKBACK_DAYS = 7;

/** The Amsterdam date `days` calendar days from `date` (noon keeps a clock change from moving it a day). */
function shiftDate(date: string, days: number): string {
  return amsterdamDate(addCalendarDays(new Date(amsterdamWallTimeMs(date, '12:00')), days));
}

/**
 * The moment the previous digest in `slot` went out: the same slot on the previous Dutch working
 * day, at most 7 days back. A digest's "new" counts the alerts raised since then, so Monday's
 * digest counts the weekend's and the day after King's Day counts the day before's.
 */
export function previousDigestMomentMs(nowMs: number, slot: string): number {
  const today = amsterdamDate(new Date(nowMs));
  for (let back = 1; back < MAX_DIGEST_LOOKBACK_DAYS; back++) {
    const date = shiftDate(today, -back);
    const moment = amsterdamWallTimeMs(date, slot);
    if (isDutchWorkingDay(new Date(moment))) return moment;
  }
  return amsterdamWallTimeMs(shiftDate(today, -MAX_DIGEST_LOOKBACK_DAYS), slot);
}

/** One team's part of a digest: counts and the longest wait, nothing of any household. */
export interface DigestSection {
  team: string;
  teamName: string;
  /** Open alerts raised since the previous digest moment. */
  fresh: number;
  open: number;
  overdue: number;
  /** The longest wait among the alerts nobody picked up yet; absent when every open alert is picked up. */
  oldestWaitingMs?: number;
}

/** The levels that may not wait for a working day. */
const PRESSING_LEVELS: ReadonlySet<Level> = new Set<Level>(['eviction-threat', 'urgent']);

/**
 * A team's digest section from its open alerts, or undefined when it has none to tell. On a
 * weekend day or a Dutch public holiday a section goes out only while an `eviction-threat` or
 * `urgent` alert of the team waits unpicked: the rest can wait for the next working day.
 */
export function digestSection(team: Pick<TeamPolicy, 'id' | 'name'>, alerts: readonly OpenAlert[], sinceMs: number, nowMs: number): DigestSection | undefined {
  if (alerts.length === 0) return undefined;
  const raised = alerts.filter((alert) => alert.status === 'raised');
  if (!isDutchWorkingDay(new Date(nowMs)) && !raised.some((alert) => PRESSING_LEVELS.has(alert.level))) return undefined;
  const oldest = Math.min(...raised.map((alert) => alert.raisedAtMs));
  return {
    team: team.id,
    teamName: team.name,
    fresh: alerts.filter((alert) => alert.raisedAtMs >= sinceMs).length,
    open: alerts.length,
    overdue: alerts.filter((alert) => isOverdue(alert, nowMs)).length,
    ...(raised.length > 0 ? { oldestWaitingMs: Math.max(0, nowMs - oldest) } : {}),
  };
}

/** The teams whose digest is due for the member in `slot`: digest on and the effective time the slot. Nothing for a member who takes no notices. */
export function digestTeamsDue(member: MemberRecord, defaultsOf: (team: string) => TeamNoticeDefaults | undefined, slot: string): string[] {
  if (!takesNotices(member)) return [];
  return member.teams.filter((team) => {
    const settings = effectiveNoticeSettings(member, defaultsOf(team));
    return settings.kinds.digest && settings.digestTime === slot;
  });
}

// ---------------------------------------------------------------------------------------
// Triggers and recipients

/** The events notify takes from its buffer. */
export type NoticeEvent = { type: 'TeamMessageSent'; detail: TeamMessageSent } | { type: 'AlertAssigned'; detail: AlertAssigned };

/**
 * The TeamMessageSent a message put on a team queue calls for, or undefined: a new alert at
 * `eviction-threat` or `urgent`, an overdue reminder, or an escalation to the coordinating team.
 * Updates, lower levels and lapsing verdicts are the digest's to tell.
 */
export function noticeTriggerOf(team: string, message: TeamMessage, deliveryId: string, nowMs: number): TeamMessageSent | undefined {
  const base = { schemaVersion: 1 as const, team, level: message.level, alertId: message.alertId, deliveryId, at: formatAmsterdamIso(new Date(nowMs)) };
  if (message.kind === 'alert') return PRESSING_LEVELS.has(message.level) ? { ...base, kind: 'alert' } : undefined;
  if (message.kind !== 'reminder') return undefined;
  if (message.reason === 'overdue') return { ...base, kind: 'reminder', reason: 'overdue' };
  if (message.reason === 'overdue-escalated' && message.alertTeam !== undefined) return { ...base, kind: 'reminder', reason: 'overdue-escalated', alertTeam: message.alertTeam };
  return undefined;
}

/** The notices about one alert: every kind but the digest. */
export type AlertNoticeKind = Exclude<NoticeKind, 'digest'>;

/** The kind of notice an event is, or undefined when it calls for none. */
export function noticeKindOf(event: NoticeEvent): AlertNoticeKind | undefined {
  if (event.type === 'AlertAssigned') return 'assigned';
  const { detail } = event;
  if (detail.kind === 'alert') return PRESSING_LEVELS.has(detail.level) ? 'urgent-alert' : undefined;
  return detail.reason === 'overdue' ? 'overdue' : detail.reason === 'overdue-escalated' ? 'escalation' : undefined;
}

/** Idempotency keys: one notice per (event, member), one digest per (member, day, slot), one mail-off mail per (switch-off, coordinator). */
export function noticeKey(event: NoticeEvent, memberId: string): string {
  return `notice#${event.type === 'AlertAssigned' ? event.detail.eventId : event.detail.deliveryId}#${memberId}`;
}
export function digestKey(memberId: string, nowMs: number, slot: string): string {
  return `digest#${memberId}#${amsterdamDate(new Date(nowMs))}#${slot}`;
}
export function mailOffKey(memberId: string, offAtMs: number, coordinatorId: string): string {
  return `mail-off#${memberId}#${offAtMs}#${coordinatorId}`;
}

/** The members and the teams' defaults, as MemberDirectory.all gives them. */
export interface NoticeDirectory {
  members: readonly MemberRecord[];
  defaults: readonly TeamNoticeDefaults[];
}

export interface NoticeRecipient {
  member: MemberRecord;
  kind: AlertNoticeKind;
}

/** Whether the alert is still open as its index record's life says (a record without life yet was just raised). */
export function isOpenAlert(record: Pick<AlertIndexRecord, 'life'>): boolean {
  return record.life === undefined || (OPEN_STATUSES as readonly string[]).includes(record.life.status);
}

/**
 * Who is mailed about an event: none when the alert is unknown or has ended; an urgent alert
 * its team's members, an assignment the member it names, an overdue alert its holder (or, while
 * nobody holds it, the team: an unanswered eviction threat is the worst failure), an escalation
 * the coordinating team's members. Each only with mail on and that kind on for that team.
 */
export function noticeRecipients(event: NoticeEvent, directory: NoticeDirectory, record: AlertIndexRecord | undefined): NoticeRecipient[] {
  const kind = noticeKindOf(event);
  if (!kind || !record || !isOpenAlert(record)) return [];
  const { team } = event.detail;
  const defaults = directory.defaults.find((d) => d.team === team);
  const wants = (member: MemberRecord) => takesNotices(member) && effectiveNoticeSettings(member, defaults).kinds[kind];
  const inTeam = directory.members.filter((member) => member.teams.includes(team));
  let chosen: MemberRecord[];
  if (event.type === 'AlertAssigned') {
    chosen = inTeam.filter((member) => member.memberId === event.detail.memberId);
  } else if (kind === 'overdue') {
    const holder = inTeam.find((member) => member.memberId === record.life?.holder);
    chosen = holder ? [holder] : inTeam;
  } else {
    chosen = inTeam;
  }
  return chosen.filter(wants).map((member) => ({ member, kind }));
}

/** The coordinators told when a member's mail is switched off: those of a municipality of one of the member's teams whose own mail works (service mail: no opt-in needed). */
export function mailOffRecipients(member: MemberRecord, members: readonly MemberRecord[], teamOf: (team: string) => TeamPolicy | undefined): { coordinator: MemberRecord; teams: TeamPolicy[] }[] {
  const teams = member.teams.map(teamOf).filter((team): team is TeamPolicy => team !== undefined && team.municipalityCode !== null);
  return members
    .filter((other) => other.memberId !== member.memberId && other.mail === 'active')
    .map((coordinator) => ({ coordinator, teams: teams.filter((team) => coordinator.coordinatorOf.includes(team.municipalityCode!)) }))
    .filter(({ teams: theirs }) => theirs.length > 0);
}

// ---------------------------------------------------------------------------------------
// The words

type Locale = MemberRecord['locale'];
type Plural = (n: number) => string;

/** The levels in words, as the mails and the workspace's pages name them. */
export const LEVEL_WORDS = {
  nl: { signal: 'signaal', case: 'casus', 'eviction-threat': 'dreigende huisuitzetting', urgent: 'urgent' },
  en: { signal: 'signal', case: 'case', 'eviction-threat': 'eviction threat', urgent: 'urgent' },
} as const satisfies Record<Locale, Record<Level, string>>;

const WORDS = {
  nl: {
    levels: LEVEL_WORDS.nl,
    days: ((n) => `${n} dag${n === 1 ? '' : 'en'}`) as Plural,
    hours: ((n) => `${n} uur`) as Plural,
    minutes: ((n) => `${n} min`) as Plural,
    level: 'Niveau',
    team: 'Team',
    deadline: 'Reageren vóór',
    waited: 'Wacht al',
    openAlert: 'Bekijk de melding',
    noneWaiting: 'geen: alles is opgepakt',
    notice: {
      'urgent-alert': {
        subject: (level: Level, team: string) => (level === 'urgent' ? `Vroegsignaal: nieuwe urgente melding voor ${team}` : `Vroegsignaal: nieuwe melding dreigende huisuitzetting voor ${team}`),
        intro: (team: string) => `Er is een nieuwe melding voor ${team} die niet kan wachten.`,
      },
      assigned: {
        subject: (_level: Level, team: string) => `Vroegsignaal: melding aan u toegewezen (${team})`,
        intro: (team: string) => `Een melding van ${team} is aan u toegewezen.`,
      },
      overdue: {
        subject: (_level: Level, team: string) => `Vroegsignaal: melding over de termijn (${team})`,
        intro: (team: string) => `Een melding van ${team} is over de termijn en nog niet opgepakt.`,
      },
      escalation: {
        subject: (_level: Level, team: string) => `Vroegsignaal: melding van ${team} over de termijn (regie)`,
        intro: (team: string) => `Een melding van ${team} is na de termijn nog niet opgepakt. U krijgt dit bericht als regieteam van de gemeente.`,
      },
    },
    why: 'Dit bericht noemt bewust geen naam, adres of reden: die staan alleen in de werkplaats, voor wie de melding behandelt.',
    footer: 'Meldingen per e-mail aanpassen of uitzetten',
    digest: {
      subject: (date: string) => `Vroegsignaal: overzicht van uw meldingen, ${date}`,
      intro: 'Uw dagelijkse overzicht van de open meldingen per team.',
      restDay: 'Vandaag is geen werkdag. U krijgt dit overzicht omdat er een urgente melding of een dreigende huisuitzetting wacht.',
      fresh: 'Nieuw sinds het vorige overzicht',
      open: 'Open',
      overdue: 'Over de termijn',
      oldest: 'Langst wachtend, nog niet opgepakt',
      inbox: (team: string) => `Naar de meldingen van ${team}`,
    },
    mailOff: {
      subject: 'Vroegsignaal: e-mail aan een teamlid komt niet aan',
      intro: (status: Exclude<MailStatus, 'active'>, teams: string) =>
        status === 'bounced'
          ? `E-mail van Vroegsignaal aan een lid van ${teams} kwam niet aan. Vroegsignaal stuurt dit lid geen e-mail meer tot het zijn instellingen opnieuw opslaat.`
          : `Een lid van ${teams} heeft e-mail van Vroegsignaal als ongewenst gemeld. Vroegsignaal stuurt dit lid geen e-mail meer tot het zijn instellingen opnieuw opslaat.`,
      settings: (team: string) => `Instellingen van ${team}`,
    },
    and: 'en',
  },
  en: {
    levels: LEVEL_WORDS.en,
    days: ((n) => `${n} day${n === 1 ? '' : 's'}`) as Plural,
    hours: ((n) => `${n} h`) as Plural,
    minutes: ((n) => `${n} min`) as Plural,
    level: 'Level',
    team: 'Team',
    deadline: 'Respond by',
    waited: 'Waiting for',
    openAlert: 'Open the alert',
    noneWaiting: 'none: everything is picked up',
    notice: {
      'urgent-alert': {
        subject: (level: Level, team: string) => (level === 'urgent' ? `Vroegsignaal: new urgent alert for ${team}` : `Vroegsignaal: new eviction threat alert for ${team}`),
        intro: (team: string) => `There is a new alert for ${team} that cannot wait.`,
      },
      assigned: {
        subject: (_level: Level, team: string) => `Vroegsignaal: alert assigned to you (${team})`,
        intro: (team: string) => `An alert of ${team} has been assigned to you.`,
      },
      overdue: {
        subject: (_level: Level, team: string) => `Vroegsignaal: alert past its deadline (${team})`,
        intro: (team: string) => `An alert of ${team} is past its deadline and not picked up yet.`,
      },
      escalation: {
        subject: (_level: Level, team: string) => `Vroegsignaal: alert of ${team} past its deadline (coordination)`,
        intro: (team: string) => `An alert of ${team} was not picked up within its deadline. You receive this as the municipality's coordinating team.`,
      },
    },
    why: 'This message names no name, address or reason on purpose: those are only in the workspace, for whoever handles the alert.',
    footer: 'Change or switch off e-mail notices',
    digest: {
      subject: (date: string) => `Vroegsignaal: your alerts overview, ${date}`,
      intro: 'Your daily overview of the open alerts per team.',
      restDay: 'Today is not a working day. You receive this overview because an urgent alert or an eviction threat is waiting.',
      fresh: 'New since the previous overview',
      open: 'Open',
      overdue: 'Past the deadline',
      oldest: 'Longest waiting, not picked up yet',
      inbox: (team: string) => `To the alerts of ${team}`,
    },
    mailOff: {
      subject: 'Vroegsignaal: e-mail to a team member does not arrive',
      intro: (status: Exclude<MailStatus, 'active'>, teams: string) =>
        status === 'bounced'
          ? `E-mail from Vroegsignaal to a member of ${teams} did not arrive. Vroegsignaal sends this member no more e-mail until they save their settings again.`
          : `A member of ${teams} reported e-mail from Vroegsignaal as unwanted. Vroegsignaal sends this member no more e-mail until they save their settings again.`,
      settings: (team: string) => `Settings of ${team}`,
    },
    and: 'and',
  },
} satisfies Record<Locale, unknown>;

const INTL_LOCALE: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A moment as the mails write it, Amsterdam time: "wo 9 dec 2026 17:00" (without the time: "wo 9 dec 2026"). */
export function formatNoticeTime(locale: Locale, ms: number, withTime = true): string {
  const key = `${locale}|${withTime}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone: 'Europe/Amsterdam', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}) });
    dateFormats.set(key, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]));
  const date = `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
  return withTime ? `${date} ${parts.hour}:${parts.minute}` : date;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** How long something waited, in its largest whole unit: "3 dagen", "5 uur", "12 min" (the workspace's pages say it the same way). */
export function formatWaited(locale: Locale, ms: number): string {
  const words = WORDS[locale];
  const span = Math.max(0, ms);
  if (span >= DAY_MS) return words.days(Math.floor(span / DAY_MS));
  if (span >= HOUR_MS) return words.hours(Math.floor(span / HOUR_MS));
  return words.minutes(Math.floor(span / MINUTE_MS));
}

/** A list in the locale's words: "a, b en c". */
export function formatList(locale: Locale, items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${WORDS[locale].and} ${items.at(-1)}`;
}

/** A mail's body as blocks, written once and rendered twice: as plain text and as simple HTML. */
type Block = { kind: 'paragraph'; text: string } | { kind: 'heading'; text: string } | { kind: 'facts'; facts: readonly (readonly [string, string])[] } | { kind: 'link'; label: string; url: string };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'heading':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'facts':
      return block.facts.map(([label, value]) => `${label}: ${value}`).join('\n');
    case 'link':
      return `${block.label}: ${block.url}`;
  }
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'heading':
      return `<h2>${escapeHtml(block.text)}</h2>`;
    case 'facts':
      return `<ul>${block.facts.map(([label, value]) => `<li>${escapeHtml(label)}: ${escapeHtml(value)}</li>`).join('')}</ul>`;
    case 'link':
      return `<p><a href="${escapeHtml(block.url)}">${escapeHtml(block.label)}</a></p>`;
  }
}

function htmlOf(locale: Locale, subject: string, blocks: readonly Block[]): string {
  return `<!DOCTYPE html>\n<html lang="${locale}">\n<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n${blocks.map(blockHtml).join('\n')}\n</body>\n</html>\n`;
}

/** The settings page: every mail's footer link and its List-Unsubscribe header. */
export function settingsUrl(origin: string): string {
  return `${origin}/instellingen`;
}

function mail(to: MemberRecord, kind: MailKind, subject: string, blocks: readonly Block[], origin: string): OutgoingMail {
  const unsubscribeUrl = settingsUrl(origin);
  const all: Block[] = [...blocks, { kind: 'link', label: WORDS[to.locale].footer, url: unsubscribeUrl }];
  return { to: to.email, subject, text: `${all.map(blockText).join('\n\n')}\n`, html: htmlOf(to.locale, subject, all), unsubscribeUrl, memberId: to.memberId, kind };
}

/** What a notice about one alert says: codes and times of its index record, and the names of the teams in the policy. */
export interface NoticeFacts {
  kind: AlertNoticeKind;
  alertId: string;
  level: Level;
  /** The name of the alert's own team (for an escalation: not the coordinating team that is told). */
  teamName: string;
  respondByMs: number;
  raisedAtMs: number;
}

/** The facts of a notice from the alert's index record; the team's name from the policy (its id where the policy no longer has it). */
export function noticeFactsOf(kind: NoticeFacts['kind'], record: AlertIndexRecord, teamOf: (team: string) => Pick<TeamPolicy, 'name'> | undefined): NoticeFacts {
  return { kind, alertId: record.alertId, level: record.level, teamName: teamOf(record.team)?.name ?? record.team, respondByMs: record.respondByMs, raisedAtMs: record.atMs };
}

export function renderNotice(member: MemberRecord, facts: NoticeFacts, origin: string, nowMs: number): OutgoingMail {
  const words = WORDS[member.locale];
  const text = words.notice[facts.kind];
  return mail(
    member,
    facts.kind,
    text.subject(facts.level, facts.teamName),
    [
      { kind: 'paragraph', text: text.intro(facts.teamName) },
      {
        kind: 'facts',
        facts: [
          [words.level, words.levels[facts.level]],
          [words.team, facts.teamName],
          [words.deadline, formatNoticeTime(member.locale, facts.respondByMs)],
          [words.waited, formatWaited(member.locale, nowMs - facts.raisedAtMs)],
        ],
      },
      { kind: 'link', label: words.openAlert, url: `${origin}/meldingen/${encodeURIComponent(facts.alertId)}` },
      { kind: 'paragraph', text: words.why },
    ],
    origin,
  );
}

export function renderDigest(member: MemberRecord, sections: readonly DigestSection[], origin: string, nowMs: number): OutgoingMail {
  const words = WORDS[member.locale];
  const blocks: Block[] = [{ kind: 'paragraph', text: words.digest.intro }];
  if (!isDutchWorkingDay(new Date(nowMs))) blocks.push({ kind: 'paragraph', text: words.digest.restDay });
  for (const section of sections) {
    blocks.push(
      { kind: 'heading', text: section.teamName },
      {
        kind: 'facts',
        facts: [
          [words.digest.fresh, String(section.fresh)],
          [words.digest.open, String(section.open)],
          [words.digest.overdue, String(section.overdue)],
          [words.digest.oldest, section.oldestWaitingMs === undefined ? words.noneWaiting : formatWaited(member.locale, section.oldestWaitingMs)],
        ],
      },
      { kind: 'link', label: words.digest.inbox(section.teamName), url: `${origin}/meldingen?team=${encodeURIComponent(section.team)}` },
    );
  }
  blocks.push({ kind: 'paragraph', text: words.why });
  return mail(member, 'digest', words.digest.subject(formatNoticeTime(member.locale, nowMs, false)), blocks, origin);
}

/** The coordinator's mail when a member's mail was switched off: which of their teams, and where to look; never who nor the address. */
export function renderMailOff(coordinator: MemberRecord, teams: readonly Pick<TeamPolicy, 'id' | 'name'>[], status: Exclude<MailStatus, 'active'>, origin: string): OutgoingMail {
  const words = WORDS[coordinator.locale];
  return mail(
    coordinator,
    'mail-off',
    words.mailOff.subject,
    [
      { kind: 'paragraph', text: words.mailOff.intro(status, formatList(coordinator.locale, teams.map((team) => team.name))) },
      ...teams.map((team): Block => ({ kind: 'link', label: words.mailOff.settings(team.name), url: `${origin}/instellingen/team/${encodeURIComponent(team.id)}` })),
    ],
    origin,
  );
}
