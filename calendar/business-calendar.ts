/**
 * Colombian business days: weekends and public holidays (Ley 51 de 1983) are not business days,
 * nor are the entity's own non-working days from config.
 *
 * Pure and deterministic: no I/O and no clock, so the same code runs in the CLI, in activities
 * and inside workflow code. Dates are ISO calendar dates (`YYYY-MM-DD`); times of day and the
 * America/Bogota zone only enter when a notice's instant is computed (see schedule.ts).
 */
import { getHolidaysForYear } from 'colombian-holidays';
import { DateTime } from 'luxon';

export type Locale = 'es' | 'en';

export interface NonWorkingDay {
  date: string;
  name: { es: string; en: string };
  kind: 'holiday' | 'entity';
}

/** Why a date is not a business day, or null when it is one. */
export type NonWorkingReason =
  | { kind: 'weekend'; weekday: 6 | 7 }
  | { kind: 'holiday' | 'entity'; name: { es: string; en: string } };

/** A source of non-working days for a year: the Colombian law, or data recorded earlier. */
export type NonWorkingDaysSource = (year: number) => readonly NonWorkingDay[];

/**
 * Holidays as Colombia observes them (the Monday-moved ones on their Monday), from the
 * `colombian-holidays` package, which implements Ley 51 de 1983 and the Easter-based dates.
 * test/calendar/business-calendar.test.ts checks it against the official lists.
 */
export function colombianHolidays(year: number): NonWorkingDay[] {
  if (!Number.isInteger(year) || year < 1984 || year > 4099) {
    throw new RangeError(`Ley 51 de 1983 holidays start in 1984; no calendar for ${year}`);
  }
  return getHolidaysForYear(year).map((h) => ({
    date: h.celebrationDate,
    name: { es: h.name.es, en: h.name.en },
    kind: 'holiday' as const,
  }));
}

/** One day, both names, in alphabetical order so that the source's order does not show. */
function mergeNames(a: NonWorkingDay, b: NonWorkingDay): NonWorkingDay {
  if (a.name.es === b.name.es) return a;
  const [x, y] = a.name.es < b.name.es ? [a, b] : [b, a];
  return { ...a, name: { es: `${x.name.es} / ${y.name.es}`, en: `${x.name.en} / ${y.name.en}` } };
}

function isoDay(date: string): DateTime {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : null;
  if (!d?.isValid) throw new RangeError(`Not an ISO calendar date: ${JSON.stringify(date)}`);
  return d;
}

function toIso(d: DateTime): string {
  return d.toISODate() as string;
}

export class BusinessCalendar {
  private readonly byYear = new Map<number, Map<string, NonWorkingDay>>();

  /**
   * @param source non-working days per year (default: Colombian public holidays)
   * @param extra entity-specific non-working days, any year
   */
  constructor(
    private readonly source: NonWorkingDaysSource = colombianHolidays,
    private readonly extra: readonly { date: string; name: string | { es: string; en: string } }[] = [],
  ) {}

  private yearIndex(year: number): Map<string, NonWorkingDay> {
    let index = this.byYear.get(year);
    if (!index) {
      index = new Map();
      // Two holidays can share a day (Sagrado Corazón and San Pedro y San Pablo on 30 June 2025):
      // keep both names instead of letting the second overwrite the first.
      for (const day of this.source(year)) {
        const same = index.get(day.date);
        index.set(day.date, same ? mergeNames(same, day) : day);
      }
      for (const e of this.extra) {
        if (e.date.startsWith(`${year}-`) && !index.has(e.date)) {
          const name = typeof e.name === 'string' ? { es: e.name, en: e.name } : e.name;
          index.set(e.date, { date: e.date, name, kind: 'entity' });
        }
      }
      this.byYear.set(year, index);
    }
    return index;
  }

  /** Holidays and entity days of a year, in date order. */
  nonWorkingDays(year: number): NonWorkingDay[] {
    return [...this.yearIndex(year).values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  nonWorkingReason(date: string): NonWorkingReason | null {
    const d = isoDay(date);
    // Look the year up before the weekend test: a calendar built from data must refuse any date
    // outside its years, weekends included, rather than answer for some of them.
    const day = this.yearIndex(d.year).get(date);
    if (d.weekday === 6 || d.weekday === 7) return { kind: 'weekend', weekday: d.weekday };
    return day ? { kind: day.kind, name: day.name } : null;
  }

  isBusinessDay(date: string): boolean {
    return this.nonWorkingReason(date) === null;
  }

  /** isBusinessDay for a date the loops below already hold as a DateTime. */
  private isBusiness(d: DateTime): boolean {
    return d.weekday < 6 && !this.yearIndex(d.year).has(toIso(d));
  }

  /** The first business day on or after `date` (strictly after when `inclusive` is false). */
  nextBusinessDay(date: string, inclusive = false): string {
    let d = isoDay(date);
    if (!inclusive) d = d.plus({ days: 1 });
    while (!this.isBusiness(d)) d = d.plus({ days: 1 });
    return toIso(d);
  }

  /** The last business day on or before `date` (strictly before when `inclusive` is false). */
  previousBusinessDay(date: string, inclusive = false): string {
    let d = isoDay(date);
    if (!inclusive) d = d.minus({ days: 1 });
    while (!this.isBusiness(d)) d = d.minus({ days: 1 });
    return toIso(d);
  }

  /**
   * Moves `n` business days from `date` (back when negative). The start date itself need not be a
   * business day: adding 1 to a Saturday gives Monday (or Tuesday after a Monday holiday).
   */
  addBusinessDays(date: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError(`Business days must be a whole number, got ${n}`);
    let d = isoDay(date);
    const step = n >= 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      d = d.plus({ days: step });
      if (this.isBusiness(d)) left--;
    }
    return toIso(d);
  }

  /** Business days in (from, to]: how many steps addBusinessDays needs from `from` to reach `to`. */
  businessDaysBetween(from: string, to: string): number {
    const a = isoDay(from);
    const b = isoDay(to);
    if (b < a) return -this.businessDaysBetween(to, from);
    let count = 0;
    for (let d = a.plus({ days: 1 }); d <= b; d = d.plus({ days: 1 })) if (this.isBusiness(d)) count++;
    return count;
  }

  /**
   * The non-working days of a range, as data a workflow can carry in its input: a calendar built
   * from it with `BusinessCalendar.fromData` answers exactly as this one does inside the range.
   */
  toData(fromYear: number, toYear: number): CalendarData {
    const days: NonWorkingDay[] = [];
    for (let y = fromYear; y <= toYear; y++) days.push(...this.nonWorkingDays(y));
    return { fromYear, toYear, days };
  }

  static fromData(data: CalendarData): BusinessCalendar {
    const byYear = new Map<number, NonWorkingDay[]>();
    for (const day of data.days) {
      const year = Number(day.date.slice(0, 4));
      byYear.set(year, [...(byYear.get(year) ?? []), day]);
    }
    return new BusinessCalendar((year) => {
      if (year < data.fromYear || year > data.toYear) {
        throw new RangeError(`Calendar data covers ${data.fromYear}-${data.toYear}, not ${year}`);
      }
      return byYear.get(year) ?? [];
    });
  }
}

/** Serializable non-working days for a span of years. */
export interface CalendarData {
  fromYear: number;
  toYear: number;
  days: NonWorkingDay[];
}
