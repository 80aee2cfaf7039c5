/**
 * Dates as a reader expects them in a letter: "viernes 20 de enero de 2023", "Friday 20 January 2023".
 * Pure: ISO calendar dates in, text out; no clock.
 *
 * The long date is calendar/reason.ts's `formatDate`, the one the workflow uses for the reason line:
 * a mail that wrote "Friday, January 20, 2023" in its table and "Friday 20 January 2023" in its
 * reason would make the reader wonder whether they were two days.
 */
import { DateTime } from 'luxon';
import { formatDate } from '../../calendar/reason';
import type { NoticeLocale } from './types';

const LUXON_LOCALE: Record<NoticeLocale, string> = { es: 'es-CO', en: 'en-US' };
const MONTH: Record<NoticeLocale, string> = { es: "LLLL 'de' yyyy", en: 'LLLL yyyy' };

function calendarDay(iso: string, locale: NoticeLocale): DateTime {
  // A due date is a calendar day, not an instant: read it in UTC so no zone shifts it.
  const day = DateTime.fromISO(iso, { zone: 'utc' }).setLocale(LUXON_LOCALE[locale]);
  if (!day.isValid) throw new RangeError(`Not an ISO calendar date: ${JSON.stringify(iso)}`);
  return day;
}

export function longDate(iso: string, locale: NoticeLocale): string {
  return formatDate(calendarDay(iso, locale).toISODate() ?? iso, locale);
}

/** `2023-03` reads "marzo de 2023"; any other period label is shown as the workflow wrote it. */
export function periodLabel(period: string, locale: NoticeLocale): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return period;
  return calendarDay(`${period}-01`, locale).toFormat(MONTH[locale]);
}

/** The day after `iso`: an all-day calendar event ends (exclusively) there. */
export function nextDay(iso: string): [number, number, number] {
  const d = DateTime.fromISO(iso, { zone: 'utc' }).plus({ days: 1 });
  return [d.year, d.month, d.day];
}

export function dateParts(iso: string): [number, number, number] {
  const d = DateTime.fromISO(iso, { zone: 'utc' });
  return [d.year, d.month, d.day];
}
