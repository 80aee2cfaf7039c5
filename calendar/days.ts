/**
 * Calendar dates as day numbers (days since 1970-01-01 in the proleptic Gregorian calendar), so a
 * step is `+ 1` and a comparison is `<`. Integer arithmetic instead of luxon: the same answers,
 * without loading luxon or starting ICU's locale data (luxon asks Intl for the system locale on
 * its first DateTime), which `plazos plan validate` would pay at every start.
 *
 * Pure and free of `Date`: workflow code uses it too.
 */
export type DayNumber = number;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Howard Hinnant's days_from_civil: eras of 400 years (146,097 days), years starting in March. */
export function dayNumber({ year, month, day }: CivilDate): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of dayNumber (Hinnant's civil_from_days). */
export function civilDate(n: DayNumber): CivilDate {
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
export function weekday(n: DayNumber): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

export function isoDay(date: string): DayNumber {
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

/** `YYYY-MM-DD`; outside years 0-9999, a sign and six digits, as luxon writes them. */
export function isoOf({ year, month, day }: CivilDate): string {
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
  return `${y}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function toIso(n: DayNumber): string {
  return isoOf(civilDate(n));
}

/** The ISO date `n` calendar days after `date` (before it when negative). */
export function addDays(date: string, n: number): string {
  return toIso(isoDay(date) + n);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return isoDay(to) - isoDay(from);
}
