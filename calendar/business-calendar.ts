/**
 * Colombian business days: weekends and public holidays (Ley 51 de 1983) are not business days,
 * nor are the entity's own non-working days from config.
 *
 * Pure and deterministic: no I/O and no clock, so the same code runs in the CLI, in activities
 * and inside workflow code. Dates are ISO calendar dates (`YYYY-MM-DD`); times of day and the
 * America/Bogota zone only enter when a notice's instant is computed (see schedule.ts).
 */
import { getHolidaysForYear } from 'colombian-holidays';

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
  // Asked for as Dates, the package sorts the days by time; asked for as strings, it sorts them
  // with localeCompare, whose first call starts ICU's collator (about 10 ms of every CLI start,
  // benchmark 5). The same days in the same order, written as the package writes them.
  return getHolidaysForYear(year, { valueAsDate: true }).map((h) => ({
    date: h.celebrationDate.toISOString().slice(0, 10),
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

/*
 * Dates are held as day numbers (days since 1970-01-01 in the proleptic Gregorian calendar), so a
 * step is `+ 1` and a comparison is `<`. Integer arithmetic instead of luxon: the same answers,
 * without loading luxon or starting ICU's locale data (luxon asks Intl for the system locale on
 * its first DateTime), which `plazos plan validate` paid at every start (benchmark 5).
 */
type DayNumber = number;

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Howard Hinnant's days_from_civil: eras of 400 years (146,097 days), years starting in March. */
function dayNumber({ year, month, day }: CivilDate): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of dayNumber (Hinnant's civil_from_days). */
function civilDate(n: DayNumber): CivilDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** ISO weekday, 1 = Monday ... 7 = Sunday; day 0 (1970-01-01) was a Thursday. */
function weekday(n: DayNumber): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

function isoDay(date: string): DayNumber {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const civil = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  if (!civil || civil.month < 1 || civil.month > 12 || civil.day < 1 || civil.day > daysInMonth(civil.year, civil.month)) {
    throw new RangeError(`Not an ISO calendar date: ${JSON.stringify(date)}`);
  }
  return dayNumber(civil);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD`; outside years 0-9999, a sign and six digits, as luxon wrote them before. */
function isoOf({ year, month, day }: CivilDate): string {
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
  return `${y}-${pad(month, 2)}-${pad(day, 2)}`;
}

function toIso(n: DayNumber): string {
  return isoOf(civilDate(n));
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
    const day = this.yearIndex(civilDate(d).year).get(date);
    const wd = weekday(d);
    if (wd === 6 || wd === 7) return { kind: 'weekend', weekday: wd };
    return day ? { kind: day.kind, name: day.name } : null;
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
    for (let left = Math.abs(n); left > 0; ) {
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
