import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addCalendarMonths,
  addTerm,
  addWorkingDays,
  amsterdamDate,
  amsterdamWallTimeMs,
  amsterdamYear,
  dutchPublicHolidays,
  formatAmsterdamIso,
  isDutchWorkingDay,
  startOfAmsterdamDay,
  startOfAmsterdamDayMs,
} from '@vroegsignaal/calendar';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const at = (iso: string): Date => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`bad test date ${iso}`);
  return d;
};
const fmt = formatAmsterdamIso;

describe('addCalendarMonths', () => {
  it('keeps the wall-clock time and day of month', () => {
    expect(fmt(addCalendarMonths(at('2026-01-15T10:00:00+01:00'), 1))).toBe('2026-02-15T10:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2026-01-15T10:00:00+01:00'), 12))).toBe('2027-01-15T10:00:00+01:00');
  });

  it('clamps the day to the end of the target month', () => {
    expect(fmt(addCalendarMonths(at('2026-01-31T10:00:00+01:00'), 1))).toBe('2026-02-28T10:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2026-03-31T10:00:00+02:00'), 1))).toBe('2026-04-30T10:00:00+02:00');
    expect(fmt(addCalendarMonths(at('2026-08-31T10:00:00+02:00'), 1))).toBe('2026-09-30T10:00:00+02:00');
  });

  it('handles leap years', () => {
    expect(fmt(addCalendarMonths(at('2024-01-31T10:00:00+01:00'), 1))).toBe('2024-02-29T10:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2024-02-29T10:00:00+01:00'), 12))).toBe('2025-02-28T10:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2024-02-29T10:00:00+01:00'), 48))).toBe('2028-02-29T10:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2100-01-31T10:00:00+01:00'), 1))).toBe('2100-02-28T10:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2000-01-31T10:00:00+01:00'), 1))).toBe('2000-02-29T10:00:00+01:00');
  });

  it('preserves wall time across the March DST change (offset +01:00 → +02:00)', () => {
    const start = at('2026-03-15T10:00:00+01:00');
    const result = addCalendarMonths(start, 1);
    expect(fmt(result)).toBe('2026-04-15T10:00:00+02:00');
    expect(result.getTime() - start.getTime()).toBe(31 * DAY - HOUR);
  });

  it('preserves wall time across the October DST change (offset +02:00 → +01:00)', () => {
    const start = at('2026-10-10T10:00:00+02:00');
    const result = addCalendarMonths(start, 1);
    expect(fmt(result)).toBe('2026-11-10T10:00:00+01:00');
    expect(result.getTime() - start.getTime()).toBe(31 * DAY + HOUR);
  });

  it('moves a non-existent wall time (spring-forward gap) forward by the gap', () => {
    // 2026-03-29 02:30 does not exist in Amsterdam.
    expect(fmt(addCalendarMonths(at('2026-01-29T02:30:00+01:00'), 2))).toBe('2026-03-29T03:30:00+02:00');
  });

  it('resolves an ambiguous wall time (fall-back overlap) to the starting offset', () => {
    // 2026-10-25 02:30 occurs at +02:00 and again at +01:00.
    expect(fmt(addCalendarMonths(at('2026-09-25T02:30:00+02:00'), 1))).toBe('2026-10-25T02:30:00+02:00');
    expect(fmt(addCalendarMonths(at('2026-11-25T02:30:00+01:00'), -1))).toBe('2026-10-25T02:30:00+01:00');
  });

  it('supports negative months, across year boundaries and with clamping', () => {
    expect(fmt(addCalendarMonths(at('2026-01-15T10:00:00+01:00'), -1))).toBe('2025-12-15T10:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2026-03-31T12:00:00+02:00'), -1))).toBe('2026-02-28T12:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2026-03-31T12:00:00+02:00'), -13))).toBe('2025-02-28T12:00:00+01:00');
    expect(fmt(addCalendarMonths(at('2026-05-01T00:00:00+02:00'), -24))).toBe('2024-05-01T00:00:00+02:00');
  });

  it('uses the Amsterdam date, not the UTC date', () => {
    // 2026-01-31T23:30Z is already 1 February in Amsterdam.
    expect(fmt(addCalendarMonths(at('2026-01-31T23:30:00Z'), 1))).toBe('2026-03-01T00:30:00+01:00');
  });

  it('keeps milliseconds and returns a copy for 0 months', () => {
    const start = at('2026-01-15T10:00:00.123+01:00');
    expect(addCalendarMonths(start, 1).toISOString()).toBe('2026-02-15T09:00:00.123Z');
    const same = addCalendarMonths(start, 0);
    expect(same.getTime()).toBe(start.getTime());
    expect(same).not.toBe(start);
  });

  it('rejects non-integer months and invalid dates', () => {
    expect(() => addCalendarMonths(at('2026-01-15T10:00:00Z'), 1.5)).toThrow(RangeError);
    expect(() => addCalendarMonths(new Date(NaN), 1)).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it('is 23 hours across the March DST change', () => {
    const start = at('2026-03-28T12:00:00+01:00');
    const result = addCalendarDays(start, 1);
    expect(fmt(result)).toBe('2026-03-29T12:00:00+02:00');
    expect(result.getTime() - start.getTime()).toBe(23 * HOUR);
  });

  it('is 25 hours across the October DST change', () => {
    const start = at('2026-10-24T12:00:00+02:00');
    const result = addCalendarDays(start, 1);
    expect(fmt(result)).toBe('2026-10-25T12:00:00+01:00');
    expect(result.getTime() - start.getTime()).toBe(25 * HOUR);
  });

  it('counts calendar days for weeks and negative days', () => {
    expect(fmt(addCalendarDays(at('2026-02-26T09:00:00+01:00'), 14))).toBe('2026-03-12T09:00:00+01:00');
    expect(fmt(addCalendarDays(at('2026-03-01T09:00:00+01:00'), -1))).toBe('2026-02-28T09:00:00+01:00');
    expect(fmt(addCalendarDays(at('2024-02-28T09:00:00+01:00'), 1))).toBe('2024-02-29T09:00:00+01:00');
    expect(fmt(addCalendarDays(at('2026-12-31T23:59:59+01:00'), 1))).toBe('2027-01-01T23:59:59+01:00');
  });
});

describe('dutchPublicHolidays', () => {
  const known: Record<number, { easter: string; goodFriday: string; easterMonday: string; kingsDay: string; ascension: string; whitSunday: string; whitMonday: string }> = {
    2024: { easter: '2024-03-31', goodFriday: '2024-03-29', easterMonday: '2024-04-01', kingsDay: '2024-04-27', ascension: '2024-05-09', whitSunday: '2024-05-19', whitMonday: '2024-05-20' },
    2025: { easter: '2025-04-20', goodFriday: '2025-04-18', easterMonday: '2025-04-21', kingsDay: '2025-04-26', ascension: '2025-05-29', whitSunday: '2025-06-08', whitMonday: '2025-06-09' },
    2026: { easter: '2026-04-05', goodFriday: '2026-04-03', easterMonday: '2026-04-06', kingsDay: '2026-04-27', ascension: '2026-05-14', whitSunday: '2026-05-24', whitMonday: '2026-05-25' },
    2027: { easter: '2027-03-28', goodFriday: '2027-03-26', easterMonday: '2027-03-29', kingsDay: '2027-04-27', ascension: '2027-05-06', whitSunday: '2027-05-16', whitMonday: '2027-05-17' },
  };

  for (const [year, h] of Object.entries(known)) {
    it(`lists the Algemene termijnenwet holidays for ${year}`, () => {
      expect(dutchPublicHolidays(Number(year))).toEqual([
        `${year}-01-01`,
        h.goodFriday,
        h.easter,
        h.easterMonday,
        h.kingsDay,
        `${year}-05-05`,
        h.ascension,
        h.whitSunday,
        h.whitMonday,
        `${year}-12-25`,
        `${year}-12-26`,
      ].sort());
    });
  }

  it("moves King's Day to 26 April when 27 April is a Sunday", () => {
    expect(dutchPublicHolidays(2025)).toContain('2025-04-26');
    expect(dutchPublicHolidays(2025)).not.toContain('2025-04-27');
    expect(dutchPublicHolidays(2031)).toContain('2031-04-26'); // 27 April 2031 is a Sunday
  });

  it('counts Liberation Day every year, not only every fifth year', () => {
    for (const year of [2024, 2025, 2026, 2027, 2028]) expect(dutchPublicHolidays(year)).toContain(`${year}-05-05`);
  });

  it('de-duplicates coinciding holidays (Ascension on 5 May 2016)', () => {
    const h2016 = dutchPublicHolidays(2016);
    expect(h2016.filter((d) => d === '2016-05-05')).toHaveLength(1);
    expect(new Set(h2016).size).toBe(h2016.length);
  });

  it('returns a fresh array each call', () => {
    const a = dutchPublicHolidays(2026);
    a.push('garbage');
    expect(dutchPublicHolidays(2026)).not.toContain('garbage');
  });
});

describe('addWorkingDays / isDutchWorkingDay', () => {
  it('skips a weekend', () => {
    expect(fmt(addWorkingDays(at('2026-03-06T09:00:00+01:00'), 1))).toBe('2026-03-09T09:00:00+01:00'); // Fri → Mon
    expect(fmt(addWorkingDays(at('2026-03-06T09:00:00+01:00'), 5))).toBe('2026-03-13T09:00:00+01:00');
    expect(fmt(addWorkingDays(at('2026-03-07T09:00:00+01:00'), 1))).toBe('2026-03-09T09:00:00+01:00'); // Sat → Mon
    expect(fmt(addWorkingDays(at('2026-03-09T09:00:00+01:00'), -1))).toBe('2026-03-06T09:00:00+01:00'); // Mon → Fri
  });

  it('skips Good Friday and Easter Monday (2026: 3 and 6 April)', () => {
    expect(fmt(addWorkingDays(at('2026-04-02T09:00:00+02:00'), 1))).toBe('2026-04-07T09:00:00+02:00');
    expect(fmt(addWorkingDays(at('2026-04-07T09:00:00+02:00'), -1))).toBe('2026-04-02T09:00:00+02:00');
  });

  it("skips King's Day, Liberation Day, Ascension and Whit Monday", () => {
    expect(fmt(addWorkingDays(at('2026-04-24T09:00:00+02:00'), 1))).toBe('2026-04-28T09:00:00+02:00'); // Mon 27 Apr
    expect(fmt(addWorkingDays(at('2026-05-04T09:00:00+02:00'), 1))).toBe('2026-05-06T09:00:00+02:00'); // Tue 5 May
    expect(fmt(addWorkingDays(at('2026-05-13T09:00:00+02:00'), 1))).toBe('2026-05-15T09:00:00+02:00'); // Thu 14 May
    expect(fmt(addWorkingDays(at('2026-05-22T09:00:00+02:00'), 1))).toBe('2026-05-26T09:00:00+02:00'); // Mon 25 May
  });

  it('skips Christmas and Boxing Day', () => {
    expect(fmt(addWorkingDays(at('2025-12-24T09:00:00+01:00'), 1))).toBe('2025-12-29T09:00:00+01:00');
    expect(fmt(addWorkingDays(at('2026-12-24T09:00:00+01:00'), 1))).toBe('2026-12-28T09:00:00+01:00');
    expect(fmt(addWorkingDays(at('2026-12-24T09:00:00+01:00'), 10))).toBe('2027-01-11T09:00:00+01:00'); // also skips 1 Jan
  });

  it('keeps the wall-clock time across DST', () => {
    expect(fmt(addWorkingDays(at('2026-03-27T10:00:00+01:00'), 1))).toBe('2026-03-30T10:00:00+02:00');
    expect(fmt(addWorkingDays(at('2026-10-23T10:00:00+02:00'), 1))).toBe('2026-10-26T10:00:00+01:00');
  });

  it('decides working days on the Amsterdam date', () => {
    expect(isDutchWorkingDay(at('2026-04-06T12:00:00+02:00'))).toBe(false); // Easter Monday
    expect(isDutchWorkingDay(at('2026-04-03T12:00:00+02:00'))).toBe(false); // Good Friday
    expect(isDutchWorkingDay(at('2026-04-07T12:00:00+02:00'))).toBe(true);
    expect(isDutchWorkingDay(at('2026-03-07T12:00:00+01:00'))).toBe(false); // Saturday
    // Sunday 23:30 UTC is Monday 00:30 in Amsterdam.
    expect(isDutchWorkingDay(at('2026-03-01T23:30:00Z'))).toBe(true);
    // Friday 23:30 UTC is Saturday 00:30 in Amsterdam.
    expect(isDutchWorkingDay(at('2026-03-06T23:30:00Z'))).toBe(false);
  });
});

describe('addTerm', () => {
  it('dispatches weeks, days and working days', () => {
    const start = at('2026-03-20T10:00:00+01:00'); // Friday
    expect(fmt(addTerm(start, { weeks: 2 }))).toBe('2026-04-03T10:00:00+02:00');
    expect(fmt(addTerm(start, { days: 10 }))).toBe('2026-03-30T10:00:00+02:00');
    expect(fmt(addTerm(start, { workingDays: 10 }))).toBe('2026-04-07T10:00:00+02:00'); // skips Good Friday
  });
});

describe('amsterdamDate / amsterdamYear / startOfAmsterdamDay / formatAmsterdamIso', () => {
  it('gives the Amsterdam date and year', () => {
    expect(amsterdamDate(at('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(amsterdamYear(at('2026-12-31T23:30:00Z'))).toBe(2027);
    expect(amsterdamDate(at('2026-07-01T21:59:59Z'))).toBe('2026-07-01');
    expect(amsterdamDate(at('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });

  it('finds 00:00 Amsterdam for a date in winter, summer and on DST days', () => {
    expect(startOfAmsterdamDay('2026-03-01').toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(startOfAmsterdamDay('2026-07-01').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfAmsterdamDay('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfAmsterdamDay('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(fmt(startOfAmsterdamDay('2024-02-29'))).toBe('2024-02-29T00:00:00+01:00');
  });

  it('rejects malformed or impossible dates', () => {
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-1-1', '2026-01-01T00:00', '']) {
      expect(() => startOfAmsterdamDay(bad), bad).toThrow(RangeError);
    }
  });

  it('gives the same instant in milliseconds, on a repeat too, whatever a caller did to a Date it got', () => {
    for (const date of ['2026-03-01', '2026-07-01', '2026-03-29', '2026-10-25', '2024-02-29']) {
      const expected = Date.parse(startOfAmsterdamDay(date).toISOString());
      startOfAmsterdamDay(date).setTime(0);
      expect(startOfAmsterdamDayMs(date), date).toBe(expected);
      expect(startOfAmsterdamDayMs(date), date).toBe(expected);
      expect(startOfAmsterdamDay(date).getTime(), date).toBe(expected);
    }
    for (const bad of ['2026-02-30', '2026-13-01', '']) {
      expect(() => startOfAmsterdamDayMs(bad), bad).toThrow(RangeError);
      expect(() => startOfAmsterdamDayMs(bad), bad).toThrow(RangeError);
    }
  });

  it('formats with the winter and summer offset at seconds precision', () => {
    expect(fmt(at('2026-03-01T09:00:00Z'))).toBe('2026-03-01T10:00:00+01:00');
    expect(fmt(at('2026-07-01T08:00:00.789Z'))).toBe('2026-07-01T10:00:00+02:00');
    expect(fmt(at('2026-03-29T00:59:59Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(fmt(at('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(fmt(at('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00+02:00');
    expect(fmt(at('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
    expect(fmt(at('2026-01-01T00:00:00Z'))).toBe('2026-01-01T01:00:00+01:00');
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const instants = fc.date({
  min: new Date('1980-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})[+-]\d{2}:\d{2}$/;

function wall(instant: Date): Wall {
  const m = ISO.exec(fmt(instant));
  if (!m) throw new Error(`unexpected format ${fmt(instant)}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return { year, month, day, hour, minute, second };
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

describe('amsterdamWallTimeMs', () => {
  it('reads a wall-clock time in Amsterdam, in winter and in summer', () => {
    expect(new Date(amsterdamWallTimeMs('2026-01-18', '22:21')).toISOString()).toBe('2026-01-18T21:21:00.000Z');
    expect(new Date(amsterdamWallTimeMs('2026-06-03', '07:12', 30)).toISOString()).toBe('2026-06-03T05:12:30.000Z');
  });

  it('moves a time in the spring-forward gap on by the gap, and takes the earlier of an autumn hour that occurs twice', () => {
    expect(new Date(amsterdamWallTimeMs('2026-03-29', '02:30')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(amsterdamWallTimeMs('2026-10-25', '02:30')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('refuses what is not a date or a time', () => {
    expect(() => amsterdamWallTimeMs('2026-02-30', '10:00')).toThrow(RangeError);
    expect(() => amsterdamWallTimeMs('2026-02-03', '24:00')).toThrow(RangeError);
  });
});

describe('properties', () => {
  it('formatAmsterdamIso round-trips through Date.parse (to the second)', () => {
    fc.assert(
      fc.property(instants, (t) => {
        expect(Date.parse(fmt(t))).toBe(Math.floor(t.getTime() / 1000) * 1000);
      }),
    );
  });

  it('addCalendarMonths advances the Amsterdam month index by exactly n, clamps the day and keeps the time of day', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -600, max: 600 }), (t, n) => {
        const before = wall(t);
        const result = addCalendarMonths(t, n);
        const after = wall(result);
        expect(after.year * 12 + after.month).toBe(before.year * 12 + before.month + n);
        expect(after.day).toBe(Math.min(before.day, daysIn(after.year, after.month)));
        expect(after.minute).toBe(before.minute);
        expect(after.second).toBe(before.second);
        expect(result.getUTCMilliseconds()).toBe(t.getUTCMilliseconds());
        if (after.hour !== before.hour) {
          // Only in the spring-forward gap: 02:xx does not exist, moved to 03:xx.
          expect([before.hour, after.hour, after.month]).toEqual([2, 3, 3]);
        }
      }),
    );
  });

  it('addCalendarMonths round-trips when neither clamping nor DST ambiguity applies', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -600, max: 600 }), (t, n) => {
        const w = wall(t);
        fc.pre(w.day <= 28 && w.hour !== 2);
        expect(addCalendarMonths(addCalendarMonths(t, n), -n).getTime()).toBe(t.getTime());
      }),
    );
  });

  it('addCalendarDays moves the Amsterdam date by n and keeps the time of day outside 02:00–03:00', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -1000, max: 1000 }), (t, n) => {
        const before = wall(t);
        fc.pre(before.hour !== 2);
        const result = addCalendarDays(t, n);
        const after = wall(result);
        const dayDiff =
          (Date.UTC(after.year, after.month - 1, after.day) - Date.UTC(before.year, before.month - 1, before.day)) / DAY;
        expect(dayDiff).toBe(n);
        expect([after.hour, after.minute, after.second]).toEqual([before.hour, before.minute, before.second]);
        expect(addCalendarDays(result, -n).getTime()).toBe(t.getTime());
      }),
    );
  });

  it('addWorkingDays lands on a working day, n working days away', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0), (t, n) => {
        const result = addWorkingDays(t, n);
        expect(isDutchWorkingDay(result)).toBe(true);
        // Count working days strictly after the start date up to and including the result date.
        const step = n > 0 ? 1 : -1;
        let count = 0;
        let cursor = startOfAmsterdamDay(amsterdamDate(t));
        const end = amsterdamDate(result);
        while (amsterdamDate(cursor) !== end) {
          cursor = addCalendarDays(cursor, step);
          if (isDutchWorkingDay(cursor)) count += 1;
        }
        expect(count).toBe(Math.abs(n));
      }),
      { numRuns: 50 },
    );
  });

  it('holidays: Easter is a Sunday, Good Friday a Friday, Ascension a Thursday, Whit Monday a Monday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1980, max: 2200 }), (year) => {
        const days = dutchPublicHolidays(year);
        const weekdays = days.map((d) => new Date(`${d}T00:00:00Z`).getUTCDay());
        expect(days.every((d) => d.startsWith(`${year}-`))).toBe(true);
        // Sorted order: 1 Jan, Good Friday, Easter Sunday, Easter Monday, ...
        expect(weekdays.slice(1, 4)).toEqual([5, 0, 1]);
        expect(weekdays.filter((w) => w === 4).length).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('the EU daylight-saving rule used for speed', () => {
  it('gives the same Amsterdam wall clock as the platform time-zone data, 1996-2099', () => {
    const intl = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Amsterdam',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const viaIntl = (t: number) => {
      const p = Object.fromEntries(intl.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
    };
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1996, 0, 1), max: Date.UTC(2099, 11, 31) }), (t) => {
        expect(formatAmsterdamIso(new Date(t)).slice(0, 19)).toBe(viaIntl(t));
      }),
      { numRuns: 20_000 },
    );
    // And a second either side of every transition.
    for (let year = 1996; year < 2100; year++) {
      for (const month of [2, 9]) {
        const lastDay = Date.UTC(year, month + 1, 0);
        const transition = lastDay - new Date(lastDay).getUTCDay() * 86_400_000 + 3_600_000;
        for (const t of [transition - 1000, transition, transition + 1000]) expect(formatAmsterdamIso(new Date(t)).slice(0, 19)).toBe(viaIntl(t));
      }
    }
  });
});
