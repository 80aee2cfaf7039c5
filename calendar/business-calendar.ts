/**
 * Colombian business days: weekends and the national holidays (calendar/holiday-law.ts: Ley 51 de
 * 1983, Ley 2578 de 2026, and whatever law comes next) are not business days, nor are the
 * entity's own non-working days from config.
 *
 * Pure and deterministic: no I/O and no clock, so the same code runs in the CLI, in activities
 * and inside workflow code. Dates are ISO calendar dates (`YYYY-MM-DD`); times of day and the
 * America/Bogota zone only enter when a notice's instant is computed (see schedule.ts).
 */
import { civilDate, isoDay, isoOf, toIso, weekday, type DayNumber } from './days';
import { CALENDAR_YEARS, nationalHolidays } from './holiday-law';

export type Locale = 'es' | 'en';

export interface NonWorkingDay {
  date: string;
  name: { es: string; en: string };
  kind: 'holiday' | 'entity';
  /** The law that makes a holiday one ('Ley 2578 de 2026'); for an entity's day, the act that declared it, when given. */
  law?: string;
}

/** Why a date is not a business day, or null when it is one. */
export type NonWorkingReason = { kind: 'weekend'; weekday: 6 | 7 } | { kind: 'holiday' | 'entity'; name: { es: string; en: string }; law?: string };

/** A source of non-working days for a year: the Colombian law, or data recorded earlier. */
export type NonWorkingDaysSource = (year: number) => readonly NonWorkingDay[];

/** An entity's own day off, as config/calendar.yaml or an OAPLA action writes it. */
export interface EntityDay {
  date: string;
  name: string | { es: string; en: string };
  /** The act that declared it ('Decreto 1113 de 2024', 'Resolución 045 de 2026'). */
  law?: string;
}

/** The years a calendar answers for. */
export interface YearSpan {
  first: number;
  last: number;
}

/**
 * Holidays as Colombia observes them (the Monday-moved ones on their Monday), each with its law,
 * from the dated rules of calendar/holiday-law.ts. test/calendar/holiday-law.test.ts checks them
 * against the official lists and against a second library.
 */
export function colombianHolidays(year: number): NonWorkingDay[] {
  return nationalHolidays(year).map((h) => ({ date: h.date, name: h.name, kind: 'holiday' as const, law: h.law }));
}

/** One day, both names, in alphabetical order so that the source's order does not show. */
function mergeNames(a: NonWorkingDay, b: NonWorkingDay): NonWorkingDay {
  if (a.name.es === b.name.es) return a;
  const [x, y] = a.name.es < b.name.es ? [a, b] : [b, a];
  const law = x.law === y.law ? x.law : [x.law, y.law].filter(Boolean).join(' / ') || undefined;
  return { ...a, name: { es: `${x.name.es} / ${y.name.es}`, en: `${x.name.en} / ${y.name.en}` }, ...(law ? { law } : {}) };
}

export class BusinessCalendar {
  private readonly byYear = new Map<number, Map<string, NonWorkingDay>>();

  /**
   * @param source non-working days per year (default: Colombian public holidays)
   * @param extra entity-specific non-working days, any year
   */
  constructor(
    private readonly source: NonWorkingDaysSource = colombianHolidays,
    private readonly extra: readonly EntityDay[] = [],
    /** The years `source` answers for; dates outside them are refused where a plan is read. */
    readonly years: YearSpan = CALENDAR_YEARS,
  ) {}

  /** Whether the calendar can speak for a year. */
  covers(year: number): boolean {
    return Number.isInteger(year) && year >= this.years.first && year <= this.years.last;
  }

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
          index.set(e.date, { date: e.date, name, kind: 'entity', ...(e.law ? { law: e.law } : {}) });
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
    const day = this.yearIndex(civilDate(d).year).get(date);
    const wd = weekday(d);
    if (wd === 6 || wd === 7) return { kind: 'weekend', weekday: wd };
    if (!day) return null;
    return day.law ? { kind: day.kind, name: day.name, law: day.law } : { kind: day.kind, name: day.name };
  }

  isBusinessDay(date: string): boolean {
    return this.nonWorkingReason(date) === null;
  }

  /** isBusinessDay for a date the loops below already hold as a day number. */
  private isBusiness(d: DayNumber): boolean {
    if (weekday(d) >= 6) return false;
    const civil = civilDate(d);
    return !this.yearIndex(civil.year).has(isoOf(civil));
  }

  /** The first business day on or after `date` (strictly after when `inclusive` is false). */
  nextBusinessDay(date: string, inclusive = false): string {
    let d = isoDay(date);
    if (!inclusive) d += 1;
    while (!this.isBusiness(d)) d += 1;
    return toIso(d);
  }

  /** The last business day on or before `date` (strictly before when `inclusive` is false). */
  previousBusinessDay(date: string, inclusive = false): string {
    let d = isoDay(date);
    if (!inclusive) d -= 1;
    while (!this.isBusiness(d)) d -= 1;
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
    for (let left = Math.abs(n); left > 0;) {
      d += step;
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
    for (let d = a + 1; d <= b; d++) if (this.isBusiness(d)) count++;
    return count;
  }

  /**
   * The non-working days of a range, as data a workflow can carry in its input: a calendar built
   * from it with `BusinessCalendar.fromData` answers exactly as this one does inside the range.
   */
  toData(fromYear: number, toYear: number): CalendarData {
    // A plan's first or last year sits at the edge of the years the calendar covers: the data
    // stops there, and a workflow that ever counts past it is refused by its own calendar.
    const from = Math.max(fromYear, this.years.first);
    const to = Math.min(toYear, this.years.last);
    const days: NonWorkingDay[] = [];
    for (let y = from; y <= to; y++) days.push(...this.nonWorkingDays(y));
    return { fromYear: from, toYear: to, days };
  }

  static fromData(data: CalendarData): BusinessCalendar {
    const byYear = new Map<number, NonWorkingDay[]>();
    for (const day of data.days) {
      const year = Number(day.date.slice(0, 4));
      byYear.set(year, [...(byYear.get(year) ?? []), day]);
    }
    return new BusinessCalendar(
      (year) => {
        if (year < data.fromYear || year > data.toYear) {
          throw new RangeError(`Calendar data covers ${data.fromYear}-${data.toYear}, not ${year}`);
        }
        return byYear.get(year) ?? [];
      },
      [],
      { first: data.fromYear, last: data.toYear },
    );
  }
}

/** Serializable non-working days for a span of years. */
export interface CalendarData {
  fromYear: number;
  toYear: number;
  days: NonWorkingDay[];
}

/**
 * A calendar carried by a workflow, with a newer one laid over it: the years `update` covers come
 * from it, the others stay as they were. A workflow keeps answering for every year it answered for.
 */
export function mergeCalendarData(current: CalendarData, update: CalendarData): CalendarData {
  const inUpdate = (date: string) => {
    const year = Number(date.slice(0, 4));
    return year >= update.fromYear && year <= update.toYear;
  };
  const days = [...current.days.filter((d) => !inUpdate(d.date)), ...update.days].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.name.es < b.name.es ? -1 : 1,
  );
  return { fromYear: Math.min(current.fromYear, update.fromYear), toYear: Math.max(current.toYear, update.toYear), days };
}

/** What a calendar change does to the days off: those it adds and those it takes away. */
export interface CalendarDiff {
  added: NonWorkingDay[];
  removed: NonWorkingDay[];
}

export function diffCalendarData(before: CalendarData, after: CalendarData): CalendarDiff {
  const key = (d: NonWorkingDay) => `${d.date}|${d.kind}|${d.name.es}|${d.law ?? ''}`;
  const beforeKeys = new Set(before.days.map(key));
  const afterKeys = new Set(after.days.map(key));
  return { added: after.days.filter((d) => !beforeKeys.has(key(d))), removed: before.days.filter((d) => !afterKeys.has(key(d))) };
}
