/**
 * The periods an activity delivers in: one for a plain activity, one per month (or group of
 * months) for a recurring one. Pure: dates are ISO calendar dates, no clock.
 */
import { FREQUENCY_MONTHS, type ScheduledActivity } from './policy';
import type { BusinessCalendar } from './business-calendar';

/** One delivery: `key` is the first month of the period (`YYYY-MM`), or null for a plain activity. */
export interface Period {
  key: string | null;
  start: string;
  due: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Month `index` counted from year 0 (index = year * 12 + month - 1), as 'YYYY-MM'. */
function monthKey(index: number): string {
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

function lastDayOf(index: number): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${monthKey(index)}-${pad(daysInMonth(year, month))}`;
}

const earlier = (a: string, b: string): string => (a <= b ? a : b);
const later = (a: string, b: string): string => (a >= b ? a : b);

export function activityPeriods(activity: Pick<ScheduledActivity, 'start' | 'due' | 'recurrence'>, calendar: BusinessCalendar): Period[] {
  const { start, due, recurrence } = activity;
  if (due < start) {
    // The importers reject this; a plan built by hand must not silently lose the activity.
    throw new RangeError(`La actividad vence (${due}) antes de empezar (${start}).`);
  }
  if (!recurrence) return [{ key: null, start, due }];

  const months = FREQUENCY_MONTHS[recurrence.frequency];
  const rule = recurrence.due;
  const periods: Period[] = [];
  const first = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1;
  for (let m = first; `${monthKey(m)}-01` <= due; m += months) {
    const end = earlier(lastDayOf(m + months - 1), due);
    const periodDue = rule.rule === 'end-of-period' ? end : earlier(calendar.addBusinessDays(end, rule.days), due);
    periods.push({ key: monthKey(m), start: later(`${monthKey(m)}-01`, start), due: periodDue });
  }
  return periods;
}
