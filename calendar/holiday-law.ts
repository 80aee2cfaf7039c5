/**
 * Colombia's national holidays as dated rules: each law, the days it makes holidays and the years it
 * applies to. This is the one place to amend when Congress adds or ends a holiday:
 *
 *   1. add a rule below with the law as it is cited, its first year (the first whose date falls
 *      after the law took effect) and, when a later law ends it, its last year;
 *   2. run the calendar tests (test/calendar/holiday-law.test.ts): they compare every year with a
 *      second library and with the official lists typed in by hand;
 *   3. deploy, then `plazos calendar apply` so that the plans already running count the new day.
 *
 * The days of Ley 51 de 1983 come from the `colombian-holidays` package, which computes them right
 * (Easter, the moves to Monday) for every year we check. What it lacks or gets wrong is written here
 * as a rule of our own, and a test fails when the package catches up or diverges, so that the
 * override is removed in time.
 *
 * Pure: no I/O and no clock. Workflow code does not evaluate these rules; a workflow carries the
 * days it needs as data (BusinessCalendar.toData) so that a change here never alters its history.
 */
import { getHolidaysForYear } from 'colombian-holidays';
import { dayNumber, toIso, weekday } from './days';

export interface Names {
  es: string;
  en: string;
}

/** A day of the year that a law makes a holiday. */
export interface LawDay {
  month: number;
  day: number;
  name: Names;
  /** Ley 51 de 1983's rule: a holiday that does not fall on a Monday is observed on the next Monday. */
  movesToMonday: boolean;
}

export interface HolidayLaw {
  /** As the law is cited: 'Ley 2578 de 2026'. */
  law: string;
  /** The first year the law's days are holidays. */
  firstYear: number;
  /** The last year, when a later law ended them; open-ended otherwise. */
  lastYear?: number;
  /** The days the `colombian-holidays` package computes, or the days this law adds. */
  days: 'colombian-holidays' | readonly LawDay[];
}

export const HOLIDAY_LAWS: readonly HolidayLaw[] = [
  // Art. 1 lists the fixed holidays (1 Jan, 1 May, 20 Jul, 7 Aug, 8 Dec, 25 Dec, Holy Thursday and
  // Friday) and moves the others to the following Monday. In force from 1 January 1984.
  { law: 'Ley 51 de 1983', firstYear: 1984, days: 'colombian-holidays' },
  // Sanctioned 1 June 2026, before 9 July: 2026 already has the day (observed Monday 13 July).
  // colombian-holidays 5.0.11 lacks it; its unreleased upstream change applies it to every year.
  {
    law: 'Ley 2578 de 2026',
    firstYear: 2026,
    days: [
      {
        month: 7,
        day: 9,
        name: { es: 'Nuestra Señora del Rosario de Chiquinquirá', en: 'Our Lady of the Rosary of Chiquinquirá' },
        movesToMonday: true,
      },
    ],
  },
];

/**
 * The years the calendar answers for: from the first year of Ley 51 de 1983 to the last year the
 * tests compare the rules with a second library. A date outside them is refused where a plan is
 * read, rather than counted on a calendar nobody checked.
 */
export const CALENDAR_YEARS = { first: 1984, last: 2100 } as const;

export function calendarCovers(year: number): boolean {
  return Number.isInteger(year) && year >= CALENDAR_YEARS.first && year <= CALENDAR_YEARS.last;
}

/** A national holiday as observed (a moved one on its Monday), with the law that makes it one. */
export interface NationalHoliday {
  date: string;
  name: Names;
  law: string;
}

/** The date a law's day is observed on in `year`. */
export function observedDate(year: number, day: Pick<LawDay, 'month' | 'day' | 'movesToMonday'>): string {
  const n = dayNumber({ year, month: day.month, day: day.day });
  return toIso(day.movesToMonday ? n + ((8 - weekday(n)) % 7) : n);
}

/** The days `colombian-holidays` gives for a year, as the package writes them. */
export function libraryHolidays(year: number): { date: string; name: Names }[] {
  // Asked for as Dates, the package sorts the days by time; asked for as strings, it sorts them
  // with localeCompare, whose first call starts ICU's collator (about 10 ms of every CLI start).
  return getHolidaysForYear(year, { valueAsDate: true }).map((h) => ({
    date: h.celebrationDate.toISOString().slice(0, 10),
    name: { es: h.name.es, en: h.name.en },
  }));
}

/** Every national holiday of a year by the rules in force that year, in date order. */
export function nationalHolidays(year: number, laws: readonly HolidayLaw[] = HOLIDAY_LAWS): NationalHoliday[] {
  if (!calendarCovers(year)) {
    throw new RangeError(`No holiday calendar for ${year}: it covers ${CALENDAR_YEARS.first}-${CALENDAR_YEARS.last}`);
  }
  const days: NationalHoliday[] = [];
  for (const rule of laws) {
    if (year < rule.firstYear || (rule.lastYear !== undefined && year > rule.lastYear)) continue;
    if (rule.days === 'colombian-holidays') {
      for (const d of libraryHolidays(year)) days.push({ ...d, law: rule.law });
    } else {
      for (const d of rule.days) days.push({ date: observedDate(year, d), name: d.name, law: rule.law });
    }
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
