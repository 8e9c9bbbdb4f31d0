/**
 * E-mail notices on plain data (model/member-notices.ts): which team messages call for one, who
 * is mailed about what under their own settings, the team's and the shipped defaults, when a
 * digest is due (a quarter hour in Amsterdam, working days, the urgent exception) and what it
 * counts, and what a mail says: level, team, deadline, wait and a link, escaped in its HTML.
 */
import { describe, expect, it } from 'vitest';
import { amsterdamWallTimeMs } from '@vroegsignaal/calendar';
import type { AlertMessage, ReminderMessage, TeamMessageSent } from '@vroegsignaal/events';
import {
  DIGEST_TIMES,
  digestKey,
  digestSection,
  digestSlotOf,
  digestTeamsDue,
  effectiveNoticeSettings,
  formatNoticeTime,
  isDigestTime,
  mailOffRecipients,
  noticeKey,
  noticeRecipients,
  noticeTriggerOf,
  previousDigestMomentMs,
  renderDigest,
  renderMailOff,
  renderNotice,
  SHIPPED_NOTICE_DEFAULTS,
  type AlertIndexRecord,
  type MemberRecord,
  type NoticeEvent,
  type OpenAlert,
  type TeamNoticeDefaults,
} from '@vroegsignaal/domain';
import { DAY, HOUR } from './fixtures.ts';
import { optedInMember } from '../../support/members.ts';

const TEAM = 'utrecht-voorkom-huisuitzetting';
const COORDINATING = 'utrecht-regie';
const ORIGIN = 'https://werkplaats.example.nl';
const at = (date: string, time: string) => amsterdamWallTimeMs(date, time);
/** Wednesday 9 December 2026, a working day. */
const WEDNESDAY = at('2026-12-09', '08:30');

const member = (memberId: string, overrides: Partial<MemberRecord> = {}): MemberRecord => optedInMember(memberId, { email: `${memberId}@gemeente.example`, teams: [TEAM], ...overrides });

const teamDefaults = (overrides: Partial<TeamNoticeDefaults> = {}): TeamNoticeDefaults => ({ team: TEAM, kinds: { ...SHIPPED_NOTICE_DEFAULTS.kinds }, digestTime: '08:30', setBy: 'coordinator-1', updatedAtMs: 0, ...overrides });

const indexRecord = (overrides: Partial<AlertIndexRecord> = {}): AlertIndexRecord => ({
  alertId: 'al_abc',
  householdRef: 'hh_secret',
  team: TEAM,
  level: 'urgent',
  sequence: 0,
  atMs: WEDNESDAY - 2 * DAY,
  deliveryId: 'al_abc',
  reasonCodes: ['proceeding-verdict'],
  score: 400,
  respondByMs: at('2026-12-09', '17:00'),
  district: 'binnenstad',
  signals: [{ partnerId: 'mitros', signalId: 'mit-1' }],
  expiresAtMs: WEDNESDAY + 400 * DAY,
  ...overrides,
});

const sent = (overrides: Partial<TeamMessageSent> = {}): NoticeEvent => ({
  type: 'TeamMessageSent',
  detail: { schemaVersion: 1, kind: 'alert', team: TEAM, level: 'urgent', alertId: 'al_abc', deliveryId: 'al_abc', at: '2026-12-09T08:30:00+01:00', ...overrides },
});
const assigned = (memberId: string): NoticeEvent => ({ type: 'AlertAssigned', detail: { schemaVersion: 1, team: TEAM, alertId: 'al_abc', memberId, eventId: 'evt-pickup', at: '2026-12-09T08:30:00+01:00' } });

const ids = (recipients: { member: MemberRecord }[]) => recipients.map((r) => r.member.memberId);

describe('effective notice settings', () => {
  it("follow the member's own choice, else the team's defaults, else the shipped ones (every kind on, 08:30)", () => {
    const defaults = teamDefaults({ kinds: { ...SHIPPED_NOTICE_DEFAULTS.kinds, digest: false, overdue: false }, digestTime: '09:15' });

    expect(effectiveNoticeSettings(member('m'), undefined)).toEqual({ kinds: { 'urgent-alert': true, assigned: true, overdue: true, escalation: true, digest: true }, digestTime: '08:30' });
    expect(effectiveNoticeSettings(member('m'), defaults)).toEqual({ kinds: { 'urgent-alert': true, assigned: true, overdue: false, escalation: true, digest: false }, digestTime: '09:15' });
    expect(effectiveNoticeSettings(member('m', { kinds: { digest: true, 'urgent-alert': false }, digestTime: '07:00' }), defaults)).toEqual({
      kinds: { 'urgent-alert': false, assigned: true, overdue: false, escalation: true, digest: true },
      digestTime: '07:00',
    });
  });

  it('offer the quarter hours from 06:00 to 22:00 as digest times', () => {
    expect(DIGEST_TIMES).toHaveLength(65);
    expect([DIGEST_TIMES[0], DIGEST_TIMES[1], DIGEST_TIMES.at(-1)]).toEqual(['06:00', '06:15', '22:00']);
    expect([isDigestTime('08:30'), isDigestTime('08:20'), isDigestTime('03:00'), isDigestTime('8:30'), isDigestTime(830)]).toEqual([true, false, false, false, false]);
  });
});

describe('noticeTriggerOf', () => {
  const alertMessage = (level: AlertMessage['level']) => ({ kind: 'alert', alertId: 'al_abc', level }) as AlertMessage;
  const reminder = (reason: ReminderMessage['reason'], alertTeam?: string) => ({ kind: 'reminder', alertId: 'al_abc', level: 'case', reason, ...(alertTeam ? { alertTeam } : {}) }) as ReminderMessage;

  it('makes an event of a new eviction-threat or urgent alert, an overdue reminder and an escalation, and of nothing else', () => {
    const trigger = (message: AlertMessage | ReminderMessage, team = TEAM) => noticeTriggerOf(team, message, 'dlv-1', WEDNESDAY);

    expect(trigger(alertMessage('urgent'))).toEqual({ schemaVersion: 1, kind: 'alert', team: TEAM, level: 'urgent', alertId: 'al_abc', deliveryId: 'dlv-1', at: '2026-12-09T08:30:00+01:00' });
    expect(trigger(alertMessage('eviction-threat'))).toMatchObject({ kind: 'alert', level: 'eviction-threat' });
    expect(trigger(reminder('overdue'))).toEqual({ schemaVersion: 1, kind: 'reminder', reason: 'overdue', team: TEAM, level: 'case', alertId: 'al_abc', deliveryId: 'dlv-1', at: '2026-12-09T08:30:00+01:00' });
    expect(trigger(reminder('overdue-escalated', TEAM), COORDINATING)).toMatchObject({ kind: 'reminder', reason: 'overdue-escalated', team: COORDINATING, alertTeam: TEAM });
    for (const quiet of [alertMessage('signal'), alertMessage('case'), { ...alertMessage('urgent'), kind: 'update' }, reminder('verdict-lapses'), reminder(undefined)]) {
      expect(trigger(quiet as AlertMessage)).toBeUndefined();
    }
  });
});

describe('noticeRecipients', () => {
  const off = member('m-off', { optedIn: false });
  const bounced = member('m-bounced', { mail: 'bounced' });
  const noUrgent = member('m-no-urgent', { kinds: { 'urgent-alert': false, overdue: false } });
  const other = member('m-other-team', { teams: ['utrecht-schuldhulp'] });
  const members = [member('m-1'), member('m-2', { locale: 'en' }), off, bounced, noUrgent, other];
  const directory = { members, defaults: [] };

  it('mails an urgent alert to every member of the team who opted in, whose mail works and who has the kind on', () => {
    expect(ids(noticeRecipients(sent(), directory, indexRecord()))).toEqual(['m-1', 'm-2']);
    expect(noticeRecipients(sent(), directory, indexRecord()).map((r) => r.kind)).toEqual(['urgent-alert', 'urgent-alert']);
  });

  it("follows the team's defaults where a member chose nothing", () => {
    const quietTeam = { members, defaults: [teamDefaults({ kinds: { ...SHIPPED_NOTICE_DEFAULTS.kinds, 'urgent-alert': false } })] };
    const chosen = { members: [...members, member('m-wants', { kinds: { 'urgent-alert': true } })], defaults: quietTeam.defaults };

    expect(noticeRecipients(sent(), quietTeam, indexRecord())).toEqual([]);
    expect(ids(noticeRecipients(sent(), chosen, indexRecord()))).toEqual(['m-wants']);
  });

  it('mails an assignment only to the member it names, while that member is in the team', () => {
    expect(ids(noticeRecipients(assigned('m-2'), directory, indexRecord()))).toEqual(['m-2']);
    expect(noticeRecipients(assigned('m-2'), directory, indexRecord())[0]!.kind).toBe('assigned');
    expect(noticeRecipients(assigned('m-other-team'), directory, indexRecord())).toEqual([]);
    expect(noticeRecipients(assigned('m-off'), directory, indexRecord())).toEqual([]);
  });

  it('mails an overdue alert to its holder, or to the whole team while nobody in it holds it', () => {
    const overdue = sent({ kind: 'reminder', reason: 'overdue', level: 'case', deliveryId: 'al_abc-overdue' });
    const held = (holder: string) => indexRecord({ life: { timeline: [], status: 'picked-up', holder } });

    expect(ids(noticeRecipients(overdue, directory, held('m-2')))).toEqual(['m-2']);
    expect(noticeRecipients(overdue, directory, held('m-no-urgent'))).toEqual([]);
    expect(ids(noticeRecipients(overdue, directory, indexRecord()))).toEqual(['m-1', 'm-2']);
    // A holder who left the team: the team is told.
    expect(ids(noticeRecipients(overdue, directory, held('m-other-team')))).toEqual(['m-1', 'm-2']);
  });

  it("mails an escalation to the coordinating team's members, not to the alert's team", () => {
    const coordinator = member('m-regie', { teams: [COORDINATING] });
    const escalation = sent({ kind: 'reminder', reason: 'overdue-escalated', team: COORDINATING, alertTeam: TEAM, deliveryId: 'al_abc-escalated' });

    expect(noticeRecipients(escalation, { members: [...members, coordinator], defaults: [] }, indexRecord()).map((r) => [r.member.memberId, r.kind])).toEqual([['m-regie', 'escalation']]);
  });

  it('mails nothing about an alert that is unknown or has ended', () => {
    expect(noticeRecipients(sent(), directory, undefined)).toEqual([]);
    for (const status of ['closed', 'not-taken', 'forwarded'] as const) {
      expect(noticeRecipients(sent(), directory, indexRecord({ life: { timeline: [], status } }))).toEqual([]);
    }
    expect(ids(noticeRecipients(sent(), directory, indexRecord({ life: { timeline: [], status: 'reached' } })))).toEqual(['m-1', 'm-2']);
  });

  it('keys a notice by its event and member, a digest by member, day and slot', () => {
    expect(noticeKey(sent({ deliveryId: 'al_abc-overdue' }), 'm-1')).toBe('notice#al_abc-overdue#m-1');
    expect(noticeKey(assigned('m-2'), 'm-2')).toBe('notice#evt-pickup#m-2');
    expect(digestKey('m-1', WEDNESDAY, '08:30')).toBe('digest#m-1#2026-12-09#08:30');
  });
});

describe('the digest', () => {
  const open = (alertId: string, overrides: Partial<OpenAlert> = {}): OpenAlert => ({
    alertId,
    team: TEAM,
    level: 'case',
    score: 100,
    reasonCodes: ['domains-3'],
    partners: ['mitros'],
    district: 'binnenstad',
    raisedAtMs: WEDNESDAY - 3 * DAY,
    respondByMs: WEDNESDAY + 5 * DAY,
    status: 'raised',
    ...overrides,
  });
  const team = { id: TEAM, name: 'Voorkom huisuitzetting! (GG&GD)' };

  it('serves the quarter hour a run lies in, Amsterdam time', () => {
    expect(digestSlotOf(at('2026-12-09', '08:30'))).toBe('08:30');
    expect(digestSlotOf(at('2026-12-09', '08:44') + 59_000)).toBe('08:30');
    expect(digestSlotOf(at('2026-07-01', '23:59'))).toBe('23:45');
  });

  it('counts as new what was raised since the same slot on the previous working day: Friday for a Monday, Friday for the day after King\'s Day', () => {
    expect(previousDigestMomentMs(at('2026-12-09', '08:30'), '08:30')).toBe(at('2026-12-08', '08:30'));
    // Monday 7 December 2026: the weekend counts as new.
    expect(previousDigestMomentMs(at('2026-12-07', '08:30'), '08:30')).toBe(at('2026-12-04', '08:30'));
    // Tuesday 28 April 2026, after King's Day on Monday the 27th.
    expect(previousDigestMomentMs(at('2026-04-28', '09:00'), '09:00')).toBe(at('2026-04-24', '09:00'));
    // Monday 30 March 2026, across the clock change to summer time.
    expect(previousDigestMomentMs(at('2026-03-30', '08:30'), '08:30')).toBe(at('2026-03-27', '08:30'));
  });

  it('counts per team the new, open and overdue alerts and the longest wait of those nobody picked up', () => {
    const since = WEDNESDAY - DAY;
    const alerts = [
      open('al-new', { raisedAtMs: WEDNESDAY - HOUR }),
      open('al-overdue', { raisedAtMs: WEDNESDAY - 6 * DAY, respondByMs: WEDNESDAY - DAY }),
      open('al-held-long', { raisedAtMs: WEDNESDAY - 20 * DAY, status: 'picked-up', holder: 'm-1', respondByMs: WEDNESDAY - 10 * DAY }),
    ];

    expect(digestSection(team, alerts, since, WEDNESDAY)).toEqual({ team: TEAM, teamName: team.name, fresh: 1, open: 3, overdue: 1, oldestWaitingMs: 6 * DAY });
    expect(digestSection(team, [alerts[2]!], since, WEDNESDAY)).toEqual({ team: TEAM, teamName: team.name, fresh: 0, open: 1, overdue: 0 });
    expect(digestSection(team, [], since, WEDNESDAY)).toBeUndefined();
  });

  it('on a weekend day or public holiday sends a section only while an eviction threat or urgent alert waits unpicked', () => {
    const saturday = at('2026-12-12', '08:30');
    const kingsDay = at('2026-04-27', '08:30');
    const cases = [open('al-case')];
    const urgentRaised = [...cases, open('al-urgent', { level: 'urgent' })];
    const urgentHeld = [...cases, open('al-urgent', { level: 'urgent', status: 'picked-up', holder: 'm-1' })];
    const threat = [open('al-threat', { level: 'eviction-threat' })];

    for (const restDay of [saturday, kingsDay]) {
      expect(digestSection(team, cases, restDay - DAY, restDay)).toBeUndefined();
      expect(digestSection(team, urgentHeld, restDay - DAY, restDay)).toBeUndefined();
      expect(digestSection(team, urgentRaised, restDay - DAY, restDay)).toMatchObject({ open: 2 });
      expect(digestSection(team, threat, restDay - DAY, restDay)).toMatchObject({ open: 1 });
    }
    expect(digestSection(team, cases, WEDNESDAY - DAY, WEDNESDAY)).toMatchObject({ open: 1 });
  });

  it("is due for a member's teams whose digest is on at their effective time in this slot", () => {
    const defaults = (t: string) => (t === 'team-nine' ? teamDefaults({ team: t, digestTime: '09:00' }) : undefined);
    const both = member('m', { teams: [TEAM, 'team-nine'] });

    expect(digestTeamsDue(both, defaults, '08:30')).toEqual([TEAM]);
    expect(digestTeamsDue(both, defaults, '09:00')).toEqual(['team-nine']);
    expect(digestTeamsDue({ ...both, digestTime: '07:45' }, defaults, '07:45')).toEqual([TEAM, 'team-nine']);
    expect(digestTeamsDue({ ...both, kinds: { digest: false } }, defaults, '08:30')).toEqual([]);
    expect(digestTeamsDue({ ...both, optedIn: false }, defaults, '08:30')).toEqual([]);
  });
});

describe('what a mail says', () => {
  const facts = { kind: 'urgent-alert' as const, alertId: 'al_abc', level: 'urgent' as const, teamName: 'Voorkom huisuitzetting! (GG&GD)', respondByMs: at('2026-12-09', '17:00'), raisedAtMs: WEDNESDAY - 2 * DAY - 3 * HOUR };

  it('writes a deadline as the users read it, Amsterdam time', () => {
    expect(formatNoticeTime('nl', at('2026-12-09', '17:00'))).toBe('wo 9 dec 2026 17:00');
    expect(formatNoticeTime('en', at('2026-12-09', '17:00'))).toBe('Wed 9 Dec 2026 17:00');
    expect(formatNoticeTime('nl', at('2026-12-09', '17:00'), false)).toBe('wo 9 dec 2026');
  });

  it('tells level, team, deadline, wait and the link, with the settings page in the footer and the header', () => {
    const mail = renderNotice(member('m-1'), facts, ORIGIN, WEDNESDAY);

    expect(mail).toMatchObject({ to: 'm-1@gemeente.example', memberId: 'm-1', kind: 'urgent-alert', unsubscribeUrl: `${ORIGIN}/instellingen`, subject: 'Vroegsignaal: nieuwe urgente melding voor Voorkom huisuitzetting! (GG&GD)' });
    expect(mail.text).toContain('Niveau: urgent\nTeam: Voorkom huisuitzetting! (GG&GD)\nReageren vóór: wo 9 dec 2026 17:00\nWacht al: 2 dagen');
    expect(mail.text).toContain(`Bekijk de melding: ${ORIGIN}/meldingen/al_abc`);
    expect(mail.text).toContain(`Meldingen per e-mail aanpassen of uitzetten: ${ORIGIN}/instellingen`);
    expect(mail.html).toContain('<html lang="nl">');
    expect(mail.html).toContain('<li>Team: Voorkom huisuitzetting! (GG&#38;GD)</li>');
    expect(mail.html).toContain(`<a href="${ORIGIN}/meldingen/al_abc">Bekijk de melding</a>`);
    expect(mail.html).not.toMatch(/style=|<img|<script/);
  });

  it('speaks English to a member who chose it, and names each kind in its subject', () => {
    const en = member('m-2', { locale: 'en' });

    expect(renderNotice(en, facts, ORIGIN, WEDNESDAY).text).toContain('Level: urgent\nTeam: Voorkom huisuitzetting! (GG&GD)\nRespond by: Wed 9 Dec 2026 17:00\nWaiting for: 2 days');
    expect(renderNotice(en, { ...facts, kind: 'assigned' }, ORIGIN, WEDNESDAY).subject).toBe('Vroegsignaal: alert assigned to you (Voorkom huisuitzetting! (GG&GD))');
    expect(renderNotice(member('m-1'), { ...facts, level: 'eviction-threat' }, ORIGIN, WEDNESDAY).subject).toBe('Vroegsignaal: nieuwe melding dreigende huisuitzetting voor Voorkom huisuitzetting! (GG&GD)');
    expect(renderNotice(member('m-1'), { ...facts, kind: 'overdue' }, ORIGIN, WEDNESDAY).subject).toBe('Vroegsignaal: melding over de termijn (Voorkom huisuitzetting! (GG&GD))');
    expect(renderNotice(member('m-1'), { ...facts, kind: 'escalation' }, ORIGIN, WEDNESDAY).subject).toBe('Vroegsignaal: melding van Voorkom huisuitzetting! (GG&GD) over de termijn (regie)');
  });

  it('escapes whatever a team is called in the HTML', () => {
    const mail = renderNotice(member('m-1'), { ...facts, teamName: 'Team <b>"Zuid"</b> & \'Oost\'' }, ORIGIN, WEDNESDAY);

    expect(mail.html).toContain('Team &#60;b&#62;&#34;Zuid&#34;&#60;/b&#62; &#38; &#39;Oost&#39;');
    expect(mail.html).not.toContain('<b>');
  });

  it('sums a digest up per team with a link to its inbox, and says why it came on a rest day', () => {
    const section = { team: TEAM, teamName: 'Voorkom huisuitzetting! (GG&GD)', fresh: 1, open: 3, overdue: 1, oldestWaitingMs: 6 * DAY };
    const weekday = renderDigest(member('m-1'), [section, { ...section, team: 'utrecht-schuldhulp', teamName: 'Schuldhulp', oldestWaitingMs: undefined }], ORIGIN, WEDNESDAY);
    const saturday = renderDigest(member('m-1'), [section], ORIGIN, at('2026-12-12', '08:30'));

    expect(weekday.subject).toBe('Vroegsignaal: overzicht van uw meldingen, wo 9 dec 2026');
    expect(weekday.kind).toBe('digest');
    expect(weekday.text).toContain('Nieuw sinds het vorige overzicht: 1\nOpen: 3\nOver de termijn: 1\nLangst wachtend, nog niet opgepakt: 6 dagen');
    expect(weekday.text).toContain(`Naar de meldingen van Voorkom huisuitzetting! (GG&GD): ${ORIGIN}/meldingen?team=${TEAM}`);
    expect(weekday.text).toContain('Langst wachtend, nog niet opgepakt: geen: alles is opgepakt');
    expect(weekday.text).not.toContain('geen werkdag');
    expect(saturday.text).toContain('Vandaag is geen werkdag.');
  });

  it("tells a coordinator which team's member no longer gets mail and where to look, never who", () => {
    const coordinator = member('m-regie', { teams: [COORDINATING], coordinatorOf: ['GM0344'] });
    const mail = renderMailOff(coordinator, [{ id: TEAM, name: 'Voorkom huisuitzetting! (GG&GD)' }], 'bounced', ORIGIN);

    expect(mail).toMatchObject({ to: 'm-regie@gemeente.example', kind: 'mail-off', subject: 'Vroegsignaal: e-mail aan een teamlid komt niet aan' });
    expect(mail.text).toContain('aan een lid van Voorkom huisuitzetting! (GG&GD) kwam niet aan');
    expect(mail.text).toContain(`Instellingen van Voorkom huisuitzetting! (GG&GD): ${ORIGIN}/instellingen/team/${TEAM}`);
    expect(renderMailOff(coordinator, [{ id: TEAM, name: 'T' }], 'complained', ORIGIN).text).toContain('als ongewenst gemeld');
  });

  it("tells the coordinators of the municipalities of the member's teams whose own mail works", () => {
    const teams: Record<string, { id: string; name: string; municipalityCode: string | null; terms: never }> = {
      [TEAM]: { id: TEAM, name: 'VH', municipalityCode: 'GM0344', terms: undefined as never },
      unrouted: { id: 'unrouted', name: 'Vangnet', municipalityCode: null, terms: undefined as never },
    };
    const bouncing = member('m-1', { teams: [TEAM, 'unrouted'] });
    const coordinator = member('m-regie', { teams: [COORDINATING], coordinatorOf: ['GM0344'], optedIn: false });
    const elsewhere = member('m-elders', { coordinatorOf: ['GM0363'] });
    const offline = member('m-regie-2', { coordinatorOf: ['GM0344'], mail: 'complained' });

    const told = mailOffRecipients(bouncing, [bouncing, coordinator, elsewhere, offline], (t) => teams[t]);

    expect(told.map(({ coordinator: c, teams: ts }) => [c.memberId, ts.map((t) => t.id)])).toEqual([['m-regie', [TEAM]]]);
  });
});
