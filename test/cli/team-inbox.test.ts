/**
 * The team's inbox file: messages folded per alert (updates and reminders with their alert,
 * copies counted once), kept on disk for the owner only, and shown readably.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertMessageSchema, type AlertMessage, type ReminderMessage, type UpdateMessage } from '@vroegsignaal/events';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { deriveStatus, emptyInbox, endingOf, findEntry, findEscalation, isAfterEnd, isOverdue, loadInbox, mergeMessage, openEntries, reportsByTime, saveInbox, type InboxReport } from '@vroegsignaal/cli';
import { formatDuration, formatEntry, formatEscalation, formatEscalations, formatTable, listRows, timelineOf } from '@vroegsignaal/cli';
import { codesAsKept, forwardProblem, markReported, optionalPartOfDay, reportEntry, requireCaseDetail, requireChannel, requireMemberId, requireNotTakenReason, requireReached } from '@vroegsignaal/cli';

const NOW = Date.parse('2026-11-15T09:00:00+01:00');

function alert(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return alertMessageSchema.parse({
    kind: 'alert',
    alertId: 'al_first000000000000000000',
    householdRef: 'a'.repeat(64),
    municipalityCode: 'GM0344',
    team: 'utrecht-schuldhulp',
    level: 'signal',
    score: 130,
    reasons: [{ code: 'arrears-1m', text: '1.5 months of rent in arrears, EUR 1318.80 (mitros)' }],
    partners: ['mitros'],
    signals: [{ type: 'RentArrearsReported', partnerId: 'mitros', observedAt: '2026-10-26T00:00:00+01:00', figures: { amountCents: 131880, monthsInArrears: 1.5 } }],
    address: { postcode: '3521BE', houseNumber: 85, houseLetter: 'A', houseNumberAddition: '2' },
    contact: { name: 'Mohamed El Amrani', phone: '06-29336112' },
    household: { minors: 2 },
    createdAt: '2026-11-13T09:00:00+01:00',
    respondBy: '2026-12-11T09:00:00+01:00',
    capacityExceeded: false,
    ...overrides,
  });
}

const update = (overrides: Partial<UpdateMessage> = {}): UpdateMessage => ({ ...alert(), kind: 'update', level: 'case', createdAt: '2026-11-14T10:00:00+01:00', ...overrides }) as UpdateMessage;
const reminder = (): ReminderMessage => {
  const { kind: _k, score: _s, partners: _p, signals: _g, address: _a, contact: _c, household: _h, capacityExceeded: _x, ...rest } = alert();
  return { ...rest, kind: 'reminder', dueAt: '2026-12-01T00:00:00+01:00' };
};

describe('folding messages into the inbox', () => {
  it('keeps one entry per alert, counts copies, and attaches updates and reminders to it', () => {
    const inbox = emptyInbox('utrecht-schuldhulp');
    expect(mergeMessage(inbox, JSON.stringify(alert()), '2026-11-13T09:00:00+01:00')).toBe('alert');
    expect(mergeMessage(inbox, JSON.stringify(alert()), '2026-11-13T09:06:00+01:00')).toBe('duplicate');
    expect(mergeMessage(inbox, JSON.stringify(update()), '2026-11-14T10:00:00+01:00')).toBe('update');
    expect(mergeMessage(inbox, JSON.stringify(update()), '2026-11-14T10:00:00+01:00')).toBe('duplicate');
    expect(mergeMessage(inbox, JSON.stringify(reminder()), '2026-11-14T11:00:00+01:00')).toBe('reminder');
    expect(Object.keys(inbox.alerts)).toEqual(['al_first000000000000000000']);
    const entry = inbox.alerts.al_first000000000000000000!;
    expect(entry).toMatchObject({ status: 'new', duplicates: 2, firstReceivedAt: '2026-11-13T09:00:00+01:00' });
    expect(entry.updates).toHaveLength(1);
    expect(entry.reminders).toHaveLength(1);
  });

  it('keeps what it cannot read, so nothing taken off the queue is lost', () => {
    const inbox = emptyInbox('utrecht-schuldhulp');
    expect(mergeMessage(inbox, 'not json', 't')).toBe('unreadable');
    expect(mergeMessage(inbox, JSON.stringify({ kind: 'alert', alertId: 'x' }), 't')).toBe('unreadable');
    expect(inbox.unreadable.map((u) => u.reason)).toEqual(['not JSON', 'not a contract v1 team message']);
  });

  it('opens an entry from an update whose alert it never saw, as a case the team holds', () => {
    const inbox = emptyInbox('utrecht-schuldhulp');
    mergeMessage(inbox, JSON.stringify(update({ alertId: 'al_other000000000000000000' })), 't');
    expect(inbox.alerts.al_other000000000000000000).toMatchObject({ status: 'picked-up', alert: null });
  });

  it('finds an alert by a unique start of its id', () => {
    const inbox = emptyInbox('utrecht-schuldhulp');
    mergeMessage(inbox, JSON.stringify(alert()), 't');
    mergeMessage(inbox, JSON.stringify(alert({ alertId: 'al_fish000000000000000000' })), 't');
    expect(findEntry(inbox, 'al_fir').alertId).toBe('al_first000000000000000000');
    expect(() => findEntry(inbox, 'al_fi')).toThrow(/matches 2 alerts/);
    expect(() => findEntry(inbox, 'al_zz')).toThrow(/is not in this inbox/);
  });
});

describe('the inbox file', () => {
  it('is written whole, readable by its owner only, and read back as written', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'inbox-')), 'sub', 'team.json');
    const inbox = emptyInbox('utrecht-schuldhulp');
    mergeMessage(inbox, JSON.stringify(alert()), 't');
    saveInbox(path, inbox);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadInbox(path, 'utrecht-schuldhulp')).toEqual(inbox);
    expect(() => loadInbox(path, 'amsterdam-vroeg-eropaf')).toThrow(/is the inbox of team "utrecht-schuldhulp"/);
    expect(loadInbox(join(path, '..', 'none.json'), 'x-team')).toEqual(emptyInbox('x-team'));
  });
});

describe('reports', () => {
  it('are contract entries from team.<id>, and close an entry', () => {
    const entry = reportEntry({ team: 'utrecht-schuldhulp', type: 'CaseClosed', alertId: 'al_x', atMs: NOW, result: 'referred' });
    expect(entry).toEqual({
      Source: 'team.utrecht-schuldhulp',
      DetailType: 'CaseClosed',
      Detail: JSON.stringify({ schemaVersion: 1, alertId: 'al_x', at: '2026-11-15T09:00:00+01:00', result: 'referred' }),
      at: '2026-11-15T09:00:00+01:00',
    });
    expect(() => reportEntry({ team: 'utrecht-schuldhulp', type: 'CaseClosed', alertId: 'al_x', atMs: NOW })).toThrow(/close needs --result/);
    const inbox = emptyInbox('utrecht-schuldhulp');
    mergeMessage(inbox, JSON.stringify(alert()), 't');
    markReported(inbox.alerts.al_first000000000000000000!, { type: 'CaseClosed', at: entry.at, eventId: 'ev', result: 'referred' });
    expect(openEntries(inbox)).toEqual([]);
  });
});

describe('showing alerts', () => {
  it('lists the most pressing first, with how long each has waited', () => {
    const inbox = emptyInbox('utrecht-schuldhulp');
    mergeMessage(inbox, JSON.stringify(alert()), 't');
    mergeMessage(inbox, JSON.stringify(alert({ alertId: 'al_urgent00000000000000000', level: 'urgent', createdAt: '2026-11-15T08:00:00+01:00', respondBy: '2026-11-18T08:00:00+01:00' })), 't');
    const rows = listRows(openEntries(inbox), NOW);
    expect(rows.map((r) => [r.alertId, r.level, r.waited])).toEqual([
      ['al_urgent00000000000000000', 'urgent', '1h'],
      ['al_first000000000000000000', 'signal', '2d'],
    ]);
    expect(rows[1]!.respondBy).toBe('2026-12-11 09:00 (in 26d)');
    const table = formatTable(rows);
    expect(table.split('\n')[0]).toMatch(/^ALERT\s+LEVEL\s+STATUS\s+WAITED\s+RESPOND BY\s+PARTNERS\s+REASONS$/);
    // The list shows no address or contact data; only "show" does.
    expect(table).not.toMatch(/3521|El Amrani|06-/);
  });

  it('shows one alert in full, need-to-know data marked as such', () => {
    const inbox = emptyInbox('utrecht-schuldhulp');
    mergeMessage(inbox, JSON.stringify(alert()), 't');
    mergeMessage(inbox, JSON.stringify(update()), 't');
    const text = formatEntry(inbox.alerts.al_first000000000000000000!, NOW);
    expect(text).toContain('Alert al_first000000000000000000: case, new');
    expect(text).toContain('need-to-know (for the visit only');
    expect(text).toContain('address     3521 BE 85A-2');
    expect(text).toContain('name        Mohamed El Amrani');
    expect(text).toMatch(/timeline\n {4}2026-11-13 09:00 {2}received {2}alert, level signal\n {4}2026-11-14 10:00 {2}received {2}update: level case; arrears-1m\n/);
  });

  it('writes durations as a person would', () => {
    expect(formatDuration(30_000)).toBe('under a minute');
    expect(formatDuration(12 * 60_000)).toBe('12m');
    expect(formatDuration(5 * 3_600_000 + 12 * 60_000)).toBe('5h 12m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000)).toBe('3d 4h');
  });
});

/** A report as the inbox keeps it once the bus took it. */
const sent = (type: InboxReport['type'], at: string, codes: Partial<InboxReport> = {}): InboxReport => ({ type, at: `2026-11-${at}+01:00`, eventId: `ev-${type}-${at}`, ...codes });

function entryWith(...reports: InboxReport[]) {
  const inbox = emptyInbox('utrecht-schuldhulp');
  mergeMessage(inbox, JSON.stringify(alert()), 't');
  const entry = inbox.alerts.al_first000000000000000000!;
  for (const report of reports) markReported(entry, report);
  return { inbox, entry };
}

describe("an alert's status, from its reports ordered by their own time", () => {
  it('follows the life of an alert: new, picked-up, reached, closed', () => {
    const { entry } = entryWith();
    expect(entry.status).toBe('new');
    markReported(entry, sent('AlertPickedUp', '15T09:00:00', { by: 'sh-207' }));
    expect(entry.status).toBe('picked-up');
    markReported(entry, sent('ContactAttemptLogged', '15T10:00:00', { channel: 'phone', reached: false }));
    expect(entry.status).toBe('picked-up');
    markReported(entry, sent('ContactAttemptLogged', '16T10:00:00', { channel: 'home-visit', reached: true }));
    expect(entry.status).toBe('reached');
    markReported(entry, sent('CaseClosed', '20T10:00:00', { result: 'resolved', detail: 'paid-or-arrangement' }));
    expect(entry.status).toBe('closed');
  });

  it('lets the earliest ending by `at` end the alert, whatever order the reports were sent in', () => {
    // Closed on the 20th, but the team first sent a forward dated the 18th (a report entered late).
    const { entry } = entryWith(sent('CaseClosed', '20T10:00:00', { result: 'resolved' }), sent('AlertForwarded', '18T10:00:00', { toTeam: 'utrecht-buurtteam-oost' }));
    expect(entry.status).toBe('forwarded');
    expect(deriveStatus(entry)).toBe('forwarded');
    expect(endingOf(entry)?.type).toBe('AlertForwarded');
    // The close after the forward is kept, and marked as of no effect.
    expect(timelineOf(entry).map((line) => line.text)).toEqual(['alert, level signal', 'forwarded to utrecht-buurtteam-oost', 'closed: resolved (after the alert had ended: no effect)']);
  });

  it('counts a reached attempt only before the end, and a pick-up sent after an attempt dated later', () => {
    const late = entryWith(sent('AlertNotTaken', '16T09:00:00', { reason: 'repeat' }), sent('ContactAttemptLogged', '17T09:00:00', { channel: 'phone', reached: true }));
    expect(late.entry.status).toBe('not-taken');
    expect(late.entry.reports.map((r) => isAfterEnd(late.entry, r))).toEqual([false, true]);
    const early = entryWith(sent('ContactAttemptLogged', '17T09:00:00', { channel: 'letter', reached: false }), sent('AlertPickedUp', '16T09:00:00'));
    expect(early.entry.status).toBe('picked-up');
    expect(reportsByTime(early.entry).map((r) => r.type)).toEqual(['AlertPickedUp', 'ContactAttemptLogged']);
  });

  it('reads an inbox file from before v1.1 (reports without codes) as it was', () => {
    const { entry } = entryWith(sent('AlertPickedUp', '15T09:00:00'));
    expect(entry.reports[0]).toEqual({ type: 'AlertPickedUp', at: '2026-11-15T09:00:00+01:00', eventId: 'ev-AlertPickedUp-15T09:00:00' });
    expect(formatEntry(entry, NOW)).toContain('2026-11-15 09:00  sent      picked up\n');
  });
});

describe('overdue alerts and escalations', () => {
  const AFTER_DEADLINE = Date.parse('2026-12-12T09:00:00+01:00');

  it('marks a new alert past its respond-by, or one an overdue reminder came for, and no longer once it is picked up', () => {
    const { inbox, entry } = entryWith();
    expect(isOverdue(entry, NOW)).toBe(false);
    expect(isOverdue(entry, AFTER_DEADLINE)).toBe(true);
    expect(listRows(openEntries(inbox), AFTER_DEADLINE)[0]!.status).toBe('new, overdue');
    mergeMessage(inbox, JSON.stringify({ ...reminder(), reason: 'overdue', dueAt: '2026-11-15T08:00:00+01:00', alertCreatedAt: alert().createdAt }), 't');
    expect(isOverdue(entry, NOW)).toBe(true);
    expect(listRows(openEntries(inbox), NOW)[0]!.status).toBe('new, overdue (1 reminder)');
    markReported(entry, sent('AlertPickedUp', '15T09:00:00'));
    expect(isOverdue(entry, AFTER_DEADLINE)).toBe(false);
  });

  it('keeps the deadline the alert was raised with when an update for the still new alert gives a later one', () => {
    const { inbox, entry } = entryWith();
    mergeMessage(inbox, JSON.stringify(update({ respondBy: '2027-01-08T09:00:00+01:00' })), 't');
    expect(entry.status).toBe('new');
    expect(isOverdue(entry, AFTER_DEADLINE)).toBe(true);
  });

  it("keeps an overdue-escalated reminder (no household) apart, as another team's alert to chase, not to report on", () => {
    const inbox = emptyInbox('utrecht-coordinatie');
    const { householdRef: _h, ...rest } = reminder();
    const escalated = { ...rest, alertId: 'al_late0000000000000000000', team: 'utrecht-coordinatie', alertTeam: 'utrecht-schuldhulp', reason: 'overdue-escalated', dueAt: '2026-12-04T09:00:00+01:00', alertCreatedAt: '2026-11-13T09:00:00+01:00' };
    expect(mergeMessage(inbox, JSON.stringify(escalated), '2026-12-04T09:01:00+01:00')).toBe('escalation');
    expect(mergeMessage(inbox, JSON.stringify(escalated), 't')).toBe('duplicate');
    expect(inbox.alerts).toEqual({});
    expect(openEntries(inbox)).toEqual([]);
    const table = formatEscalations(Object.values(inbox.escalations!), Date.parse('2026-12-04T10:00:00+01:00'));
    expect(table.split('\n')).toEqual([
      expect.stringMatching(/^ALERT\s+TEAM\s+LEVEL\s+WAITED\s+RESPOND BY\s+ESCALATED$/),
      expect.stringMatching(/^al_late0000000000000000000\s+utrecht-schuldhulp\s+signal\s+21d 1h\s+2026-12-11 09:00 \(in 6d 23h\)\s+2026-12-04 09:00$/),
    ]);
    expect(() => findEntry(inbox, 'al_late')).toThrow(/is an alert of team utrecht-schuldhulp, escalated to you as overdue; only that team can report on it/);
    const shown = formatEscalation(findEscalation(inbox, 'al_late')!, Date.parse('2026-12-04T10:00:00+01:00'));
    expect(shown).toContain('Escalation al_late0000000000000000000: signal, an alert of team utrecht-schuldhulp still untouched\n');
    expect(shown).toContain('  escalated     2026-12-04 09:00 (received 2026-12-04 09:01)\n');
    expect(shown).toContain('  what to do    chase team utrecht-schuldhulp: only that team can pick up, forward or close the alert\n');
  });
});

describe("the report options, checked in the user's words before anything is sent", () => {
  const policy = compilePolicy(loadPolicyDir());

  it('names the codes, and the nearest one to a typo', () => {
    expect(() => requireChannel('phnoe')).toThrow('attempt needs --channel, one of letter, card, phone, sms, email, home-visit, appointment, administrative, other, not "phnoe"; did you mean phone?');
    expect(() => requireNotTakenReason(undefined)).toThrow(/^not-taken needs --reason, one of unjustified, repeat, already-in-debt-help/);
    expect(() => optionalPartOfDay('night')).toThrow('--part-of-day must be, one of morning, afternoon, evening, not "night"');
    expect(() => requireReached(true, true)).toThrow(/either --reached or --not-reached/);
    expect(requireReached(undefined, true)).toBe(false);
  });

  it('checks a detail against its result, listing the details that fit', () => {
    expect(requireCaseDetail('no-contact', 'never-reached')).toBe('never-reached');
    expect(() => requireCaseDetail('resolved', 'never-reached')).toThrow(
      '--detail "never-reached" does not fit --result resolved; for resolved give one of: quick-fix (advice or a quick fix), paid-or-arrangement (paid, or a payment plan agreed), self-managing (needs no help)',
    );
  });

  it('takes --by only as a pseudonymous id, never a name or an e-mail address', () => {
    expect(requireMemberId('sh-207')).toBe('sh-207');
    expect(() => requireMemberId('j.jansen@utrecht.nl')).toThrow(/--by must be a pseudonymous member id .* never a name or e-mail address; this looks like an e-mail address/);
    expect(() => requireMemberId('Jan Jansen')).toThrow(/this looks like a name/);
  });

  it('forwards only to another team of the municipality, or unrouted', () => {
    expect(forwardProblem(policy, 'GM0344', 'utrecht-schuldhulp', 'unrouted')).toBeUndefined();
    const utrechtTeam = policy.teams().find((t) => t.municipalityCode === 'GM0344' && t.id !== 'utrecht-schuldhulp')!.id;
    expect(forwardProblem(policy, 'GM0344', 'utrecht-schuldhulp', utrechtTeam)).toBeUndefined();
    expect(forwardProblem(policy, 'GM0344', 'utrecht-schuldhulp', 'utrecht-schuldhulp')).toBe("the alert is already team utrecht-schuldhulp's");
    expect(forwardProblem(policy, 'GM0344', 'utrecht-schuldhulp', 'amsterdam-vroeg-eropaf')).toMatch(
      /^team amsterdam-vroeg-eropaf works for municipality GM0363, and this alert is about a household in GM0344: an alert goes only to a team of its own municipality \(forward to .*unrouted\)$/,
    );
    expect(forwardProblem(policy, 'GM0344', 'utrecht-schuldhulp', 'utrecht-schuldhulpp')).toMatch(/^team "utrecht-schuldhulpp" is not in the policy/);
  });

  it('builds each report as the contract has it, with its codes', () => {
    const attempt = reportEntry({ team: 'utrecht-schuldhulp', type: 'ContactAttemptLogged', alertId: 'al_x', atMs: NOW, channel: 'phone', reached: true, by: 'sh-207' });
    expect(JSON.parse(attempt.Detail)).toEqual({ schemaVersion: 1, alertId: 'al_x', at: '2026-11-15T09:00:00+01:00', channel: 'phone', reached: true, by: 'sh-207' });
    expect(() => reportEntry({ team: 'utrecht-schuldhulp', type: 'AlertForwarded', alertId: 'al_x', atMs: NOW, toTeam: 'unrouted', reason: 'Other district!' })).toThrow(/the report would not be valid: reason: expected a kebab-case code/);
  });

  it("keeps an attempt sent without --part-of-day with the part of day the pipeline fills in from its time, in Amsterdam", () => {
    const attempt = { team: 'utrecht-schuldhulp', type: 'ContactAttemptLogged' as const, alertId: 'al_x', atMs: NOW, channel: 'phone' as const, reached: false };
    expect(codesAsKept(attempt, '2026-11-15T11:59:59+01:00')).toEqual({ codes: { channel: 'phone', reached: false, partOfDay: 'morning' }, partOfDayFilled: true });
    expect(codesAsKept(attempt, '2026-11-15T12:00:00+01:00').codes.partOfDay).toBe('afternoon');
    // The same moment in UTC is still evening in Amsterdam.
    expect(codesAsKept(attempt, '2026-11-15T17:30:00Z').codes.partOfDay).toBe('evening');
    expect(codesAsKept({ ...attempt, partOfDay: 'evening' }, '2026-11-15T09:00:00+01:00')).toEqual({ codes: { channel: 'phone', reached: false, partOfDay: 'evening' }, partOfDayFilled: false });
    expect(codesAsKept({ team: 'utrecht-schuldhulp', type: 'AlertPickedUp', alertId: 'al_x', atMs: NOW, by: 'sh-207' }, '2026-11-15T09:00:00+01:00')).toEqual({ codes: { by: 'sh-207' }, partOfDayFilled: false });
  });
});
