/**
 * The team's inbox file: messages folded per alert (updates and reminders with their alert,
 * copies counted once), kept on disk for the owner only, and shown readably.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertMessageSchema, type AlertMessage, type ReminderMessage, type UpdateMessage } from '@vroegsignaal/events';
import { emptyInbox, findEntry, loadInbox, mergeMessage, openEntries, saveInbox } from '@vroegsignaal/cli';
import { formatDuration, formatEntry, formatTable, listRows } from '@vroegsignaal/cli';
import { markReported, reportEntry } from '@vroegsignaal/cli';

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
    expect(text).toMatch(/updates\n {4}- 2026-11-14 10:00: level case/);
  });

  it('writes durations as a person would', () => {
    expect(formatDuration(30_000)).toBe('under a minute');
    expect(formatDuration(12 * 60_000)).toBe('12m');
    expect(formatDuration(5 * 3_600_000 + 12 * 60_000)).toBe('5h 12m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000)).toBe('3d 4h');
  });
});
