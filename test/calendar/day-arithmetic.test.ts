/**
 * The business calendar counts days with integer day numbers, not luxon (it runs inside every
 * workflow and at each CLI start). luxon is the reference here: stepping day by day with it, over
 * random dates and counts, must give the same weekdays and the same business days.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar } from '../../calendar/business-calendar';

const calendar = new BusinessCalendar();
const FIRST = DateTime.fromISO('1984-01-01', { zone: 'utc' });
const LAST = DateTime.fromISO('2099-12-31', { zone: 'utc' });
const date = fc.integer({ min: 0, max: LAST.diff(FIRST, 'days').days }).map((n) => FIRST.plus({ days: n }));
const iso = (d: DateTime) => d.toISODate() as string;

/** luxon's step from `from`, `n` business days away, asking the calendar only whether a day is one. */
function referenceAdd(from: DateTime, n: number): string {
  let d = from;
  for (let left = Math.abs(n); left > 0;) {
    d = d.plus({ days: Math.sign(n) });
    if (calendar.isBusinessDay(iso(d))) left--;
  }
  return iso(d);
}

it('names the same weekend days as luxon', () => {
  fc.assert(
    fc.property(date, (d) => {
      const reason = calendar.nonWorkingReason(iso(d));
      if (d.weekday >= 6) expect(reason).toEqual({ kind: 'weekend', weekday: d.weekday });
      else expect(reason?.kind).not.toBe('weekend');
    }),
    { numRuns: 2000 },
  );
});

it('adds business days as luxon stepping day by day does, forwards and backwards', () => {
  fc.assert(
    fc.property(date, fc.integer({ min: -400, max: 400 }), (d, n) => {
      fc.pre(d.plus({ days: 2 * n }) > FIRST && d.plus({ days: 2 * n }) < LAST);
      expect(calendar.addBusinessDays(iso(d), n)).toBe(referenceAdd(d, n));
    }),
    { numRuns: 500 },
  );
});

it('counts business days between two dates as luxon does', () => {
  fc.assert(
    fc.property(date, fc.integer({ min: -200, max: 200 }), (d, span) => {
      const other = d.plus({ days: span });
      fc.pre(other > FIRST && other < LAST);
      let count = 0;
      for (let x = span >= 0 ? d : other; x < (span >= 0 ? other : d);) {
        x = x.plus({ days: 1 });
        if (calendar.isBusinessDay(iso(x))) count++;
      }
      expect(calendar.businessDaysBetween(iso(d), iso(other))).toBe(span >= 0 ? count : -count);
    }),
    { numRuns: 500 },
  );
});

it('finds the next and previous business day as luxon does, across month, year and leap-day ends', () => {
  for (const edge of ['2023-12-29', '2023-12-31', '2024-02-28', '2024-02-29', '2024-03-01', '2000-02-29', '1999-12-31']) {
    const d = DateTime.fromISO(edge, { zone: 'utc' });
    expect(calendar.nextBusinessDay(edge)).toBe(referenceAdd(d, 1));
    expect(calendar.previousBusinessDay(edge)).toBe(referenceAdd(d, -1));
  }
});

it('refuses dates that do not exist, as it did with luxon', () => {
  for (const bad of ['2023-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-1-01', 'mañana']) {
    expect(() => calendar.isBusinessDay(bad)).toThrow(RangeError);
  }
});
