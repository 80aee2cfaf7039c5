/**
 * The weekly digest's calendar and contents, pure: which day of each week it goes out (Monday, or
 * the first business day after a Monday holiday) and which activities it lists.
 *
 * Dates are ISO strings in the plan's zone; `today` always comes from the caller.
 */
import { DateTime } from 'luxon';
import type { BusinessCalendar } from './business-calendar';
import { isClosed } from '../domain/statuses';

/** Business days ahead that count as "due this week" in the digest. */
export const DIGEST_HORIZON_DAYS = 5;

function mondayOf(date: string): DateTime {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  return d.minus({ days: d.weekday - 1 });
}

/**
 * The digest day of the week that holds `date`: its Monday when that is a business day, else the
 * first business day after it in the same week; null for a week without business days.
 */
export function digestDayOfWeek(calendar: BusinessCalendar, date: string): string | null {
  const monday = mondayOf(date);
  for (let i = 0; i < 5; i++) {
    const day = monday.plus({ days: i }).toISODate() as string;
    if (calendar.isBusinessDay(day)) return day;
  }
  return null;
}

/** Every digest day from `from` to `to`, both included, in date order. */
export function digestDays(calendar: BusinessCalendar, from: string, to: string): string[] {
  const days: string[] = [];
  for (let monday = mondayOf(from); (monday.toISODate() as string) <= to; monday = monday.plus({ weeks: 1 })) {
    const day = digestDayOfWeek(calendar, monday.toISODate() as string);
    if (day && day >= from && day <= to) days.push(day);
  }
  return days;
}

/**
 * Where the digest moves from its usual Monday: the Mondays it skips (holidays) and the day that
 * replaces each. A Temporal Schedule says "every Monday, minus these, plus those".
 */
export function digestExceptions(calendar: BusinessCalendar, from: string, to: string): { skipped: string[]; moved: string[] } {
  const skipped: string[] = [];
  const moved: string[] = [];
  for (let monday = mondayOf(from); (monday.toISODate() as string) <= to; monday = monday.plus({ weeks: 1 })) {
    const iso = monday.toISODate() as string;
    if (calendar.isBusinessDay(iso)) continue;
    skipped.push(iso);
    const day = digestDayOfWeek(calendar, iso);
    if (day) moved.push(day);
  }
  return { skipped, moved };
}

// ---------------------------------------------------------------------------------------------
// Contents

/** What the digest knows of one open activity (or one period of a recurring one). */
export interface DigestEntry {
  workflowId: string;
  activity: number;
  period: string | null;
  title: string;
  responsible: string[];
  due: string;
  status: string;
}

export interface DigestContent {
  /** The day the digest speaks of. */
  date: string;
  /** Last day of the "due soon" window: five business days after `date`. */
  horizon: string;
  /** Past their due date without evidence, oldest first. */
  overdue: DigestEntry[];
  /** Due from today to the horizon, soonest first. */
  dueSoon: DigestEntry[];
  /** Evidence received, waiting for OAPLA's review (or for its automatic check). */
  inReview: DigestEntry[];
  /** Activities of the plan closed as missed, counted for the record. */
  missed: number;
}

const IN_REVIEW = new Set(['checking', 'in-review']);

const byDue = (a: DigestEntry, b: DigestEntry) => a.due.localeCompare(b.due) || a.activity - b.activity || (a.period ?? '').localeCompare(b.period ?? '');

export function digestContent(entries: readonly DigestEntry[], today: string, calendar: BusinessCalendar, missed: number): DigestContent {
  const horizon = calendar.addBusinessDays(today, DIGEST_HORIZON_DAYS);
  const open = entries.filter((e) => !isClosed(e.status));
  const waiting = open.filter((e) => !IN_REVIEW.has(e.status));
  return {
    date: today,
    horizon,
    overdue: waiting.filter((e) => e.due < today).sort(byDue),
    dueSoon: waiting.filter((e) => e.due >= today && e.due <= horizon).sort(byDue),
    inReview: open.filter((e) => IN_REVIEW.has(e.status)).sort(byDue),
    missed,
  };
}
