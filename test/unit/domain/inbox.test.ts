/**
 * The team inbox and the coordinator's view (issue 15) on plain data: most pressing first
 * (level, then deadline, then score), filtered, counted and paged; overdue is "still raised at
 * its respondBy"; the coordinator sees only overdue or escalated alerts, and nothing of the household.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS } from '@vroegsignaal/events';
import { coordinatorView, INBOX_PAGE_SIZE, inboxView, OPEN_STATUSES, type InboxQuery, type OpenAlert } from '@vroegsignaal/domain';
import { DAY, HOUR, NOW } from './fixtures.ts';

const alert = (alertId: string, overrides: Partial<OpenAlert> = {}): OpenAlert => ({
  alertId,
  team: 'utrecht-schuldhulp',
  level: 'signal',
  score: 120,
  reasonCodes: ['arrears-2m'],
  partners: ['mitros'],
  district: 'binnenstad',
  raisedAtMs: NOW - DAY,
  respondByMs: NOW + 4 * DAY,
  status: 'raised',
  ...overrides,
});

const ids = (rows: { alertId: string }[]) => rows.map((r) => r.alertId);

describe('inboxView', () => {
  it('puts the most pressing first: the higher level, then the earlier deadline, then the higher score, then the alert id', () => {
    const alerts = [
      alert('al-late-deadline', { level: 'case', respondByMs: NOW + 5 * DAY }),
      alert('al-signal', { level: 'signal', respondByMs: NOW + HOUR, score: 190 }),
      alert('al-urgent', { level: 'urgent', respondByMs: NOW + 9 * DAY }),
      alert('al-b-same', { level: 'case', respondByMs: NOW + DAY, score: 250 }),
      alert('al-low-score', { level: 'case', respondByMs: NOW + DAY, score: 210 }),
      alert('al-a-same', { level: 'case', respondByMs: NOW + DAY, score: 250 }),
    ];

    expect(ids(inboxView(alerts, {}, NOW).rows)).toEqual(['al-urgent', 'al-a-same', 'al-b-same', 'al-low-score', 'al-late-deadline', 'al-signal']);
  });

  it('marks as overdue only what is still raised at or after its respondBy, and says how long each waited', () => {
    const alerts = [
      alert('al-due-now', { respondByMs: NOW }),
      alert('al-due-later', { respondByMs: NOW + 1 }),
      alert('al-picked-up-late', { status: 'picked-up', holder: 'm-1', respondByMs: NOW - DAY }),
      alert('al-reached-late', { status: 'reached', respondByMs: NOW - DAY }),
    ];

    const rows = inboxView(alerts, {}, NOW).rows;

    expect(Object.fromEntries(rows.map((r) => [r.alertId, r.overdue]))).toEqual({ 'al-due-now': true, 'al-due-later': false, 'al-picked-up-late': false, 'al-reached-late': false });
    expect(rows.every((r) => r.waitedMs === DAY)).toBe(true);
  });

  it('filters by level, status, district, holder and overdue, and counts per status what the other filters let through', () => {
    const alerts = [
      alert('al-1', { level: 'case', district: 'oost', respondByMs: NOW - HOUR }),
      alert('al-2', { level: 'case', district: 'oost', status: 'picked-up', holder: 'm-1' }),
      alert('al-3', { level: 'urgent', district: 'oost', status: 'picked-up', holder: 'm-2' }),
      alert('al-4', { level: 'case', district: 'west', status: 'reached', holder: 'm-1' }),
      alert('al-5', { level: 'signal', district: 'oost' }),
    ];

    const byCase = inboxView(alerts, { levels: ['case'], district: 'oost' }, NOW);
    expect(ids(byCase.rows)).toEqual(['al-1', 'al-2']);
    expect(byCase.counts).toEqual({ raised: 1, 'picked-up': 1, reached: 0, overdue: 1 });
    expect(byCase.total).toBe(2);

    const pickedUp = inboxView(alerts, { levels: ['case'], district: 'oost', statuses: ['picked-up'] }, NOW);
    expect(ids(pickedUp.rows)).toEqual(['al-2']);
    // The counts stay those of the other filters: they tell what choosing another status shows.
    expect(pickedUp.counts).toEqual(byCase.counts);

    expect(ids(inboxView(alerts, { mine: 'm-1' }, NOW).rows)).toEqual(['al-2', 'al-4']);
    expect(ids(inboxView(alerts, { overdueOnly: true }, NOW).rows)).toEqual(['al-1']);
    expect(ids(inboxView(alerts, { levels: ['urgent', 'signal'] }, NOW).rows)).toEqual(['al-3', 'al-5']);
    expect(inboxView(alerts, { district: 'noord' }, NOW)).toMatchObject({ rows: [], total: 0, page: 1, pages: 1 });
    expect(inboxView(alerts, { district: 'noord' }, NOW).districts).toEqual(['oost', 'west']);
  });

  it('pages by 25, most pressing first, and keeps a page number outside the pages within them', () => {
    const alerts = Array.from({ length: 60 }, (_, i) => alert(`al-${String(i).padStart(2, '0')}`, { respondByMs: NOW + i * HOUR }));

    const pages = [1, 2, 3].map((page) => inboxView(alerts, { page }, NOW));

    expect(pages.map((p) => p.rows.length)).toEqual([INBOX_PAGE_SIZE, INBOX_PAGE_SIZE, 10]);
    expect(pages.flatMap((p) => ids(p.rows))).toEqual(ids(alerts));
    expect(pages.every((p) => p.pages === 3 && p.total === 60)).toBe(true);
    expect(inboxView(alerts, { page: 9 }, NOW).page).toBe(3);
    expect(inboxView(alerts, { page: 0 }, NOW).page).toBe(1);
    expect(inboxView(alerts, { page: Number.NaN }, NOW).page).toBe(1);
  });

  const openAlert: fc.Arbitrary<OpenAlert> = fc.record({
    level: fc.constantFrom(...LEVELS),
    score: fc.integer({ min: 100, max: 480 }),
    district: fc.constantFrom('oost', 'west', '3701'),
    respondByMs: fc.integer({ min: NOW - 3 * DAY, max: NOW + 3 * DAY }),
    status: fc.constantFrom(...OPEN_STATUSES),
    holder: fc.constantFrom(undefined, 'm-1', 'm-2'),
  }).map((fields) => {
    const { holder, ...rest } = fields;
    return { ...alert('x'), ...rest, ...(holder !== undefined && fields.status !== 'raised' ? { holder } : {}) };
  });
  const teamAlerts = fc.array(openAlert, { maxLength: 80 }).map((alerts) => alerts.map((a, i) => ({ ...a, alertId: `al-${i}` })));
  const query: fc.Arbitrary<InboxQuery> = fc.record(
    {
      levels: fc.subarray([...LEVELS]),
      statuses: fc.subarray([...OPEN_STATUSES]),
      district: fc.constantFrom('oost', 'west', '3701'),
      mine: fc.constantFrom('m-1', 'm-2'),
      overdueOnly: fc.boolean(),
    },
    { requiredKeys: [] },
  );

  it('orders totally and stably: the same rows in the same order however they arrive, each at least as pressing as the next', () => {
    const arrivals = teamAlerts.chain((alerts) => fc.tuple(fc.constant(alerts), fc.shuffledSubarray(alerts, { minLength: alerts.length, maxLength: alerts.length })));
    fc.assert(
      fc.property(arrivals, ([alerts, shuffled]) => {
        const pages = Math.max(1, Math.ceil(alerts.length / INBOX_PAGE_SIZE));
        const everyRow = (input: OpenAlert[]) => Array.from({ length: pages }, (_, p) => inboxView(input, { page: p + 1 }, NOW).rows).flat();
        const rows = everyRow(alerts);
        expect(ids(everyRow(shuffled))).toEqual(ids(rows));
        expect(ids(rows).sort()).toEqual(ids(alerts).sort());
        const rank = (x: OpenAlert) => LEVELS.indexOf(x.level);
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [rows[i - 1]!, rows[i]!];
          expect(rank(a) > rank(b) || (rank(a) === rank(b) && (a.respondByMs < b.respondByMs || (a.respondByMs === b.respondByMs && a.score >= b.score)))).toBe(true);
        }
      }),
    );
  });

  it('counts per status exactly the rows the same filters show with that status, before paging', () => {
    fc.assert(
      fc.property(teamAlerts, query, fc.integer({ min: 1, max: 4 }), (alerts, q, page) => {
        const view = inboxView(alerts, { ...q, page }, NOW);
        for (const status of OPEN_STATUSES) expect(view.counts[status]).toBe(inboxView(alerts, { ...q, statuses: [status] }, NOW).total);
        const shownStatuses = q.statuses && q.statuses.length > 0 ? q.statuses : OPEN_STATUSES;
        expect(view.total).toBe(shownStatuses.reduce((sum, s) => sum + view.counts[s], 0));
        expect(view.counts.overdue).toBe(inboxView(alerts, { ...q, statuses: [], overdueOnly: true }, NOW).total);
        expect(view.rows.length).toBe(Math.min(INBOX_PAGE_SIZE, Math.max(0, view.total - (view.page - 1) * INBOX_PAGE_SIZE)));
      }),
    );
  });
});

describe('coordinatorView', () => {
  it('shows the overdue and the escalated alerts of every team, most pressing first, with team, level, wait and deadline only', () => {
    const alerts = [
      alert('al-on-time', { respondByMs: NOW + DAY }),
      alert('al-overdue', { team: 'utrecht-wijkteam-oost', respondByMs: NOW - HOUR }),
      alert('al-escalated', { level: 'urgent', status: 'picked-up', holder: 'm-1', raisedAtMs: NOW - 9 * DAY, respondByMs: NOW - 6 * DAY, escalatedAtMs: NOW - 2 * DAY }),
      alert('al-picked-up-late', { status: 'picked-up', holder: 'm-2', respondByMs: NOW - DAY }),
    ];

    const rows = coordinatorView(alerts, NOW);

    expect(rows).toEqual([
      { alertId: 'al-escalated', team: 'utrecht-schuldhulp', level: 'urgent', status: 'picked-up', raisedAtMs: NOW - 9 * DAY, respondByMs: NOW - 6 * DAY, waitedMs: 9 * DAY, overdue: false, escalatedAtMs: NOW - 2 * DAY },
      { alertId: 'al-overdue', team: 'utrecht-wijkteam-oost', level: 'signal', status: 'raised', raisedAtMs: NOW - DAY, respondByMs: NOW - HOUR, waitedMs: DAY, overdue: true },
    ]);
  });
});
