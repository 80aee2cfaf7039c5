/**
 * The follow-up cuts of a plan and the deadline to publish each report. Decreto 124 de 2016 (and the
 * "Estrategias para la construcción del PAAC" it adopts) has the PAAC followed up by Control Interno
 * three times a year, with cuts at 30 April, 31 August and 31 December, and the report published
 * within the first ten business days after each cut. OAPLA may set other cuts per plan
 * (`followUpCuts` in the plan file). Pure, no clock: the caller says which year and which day is today.
 */
import type { BusinessCalendar } from './business-calendar';
import { daysInMonth } from './days';

/** Month-day of each cut, `MM-DD`, in year order. */
export const DEFAULT_FOLLOW_UP_CUTS = ['04-30', '08-31', '12-31'] as const;

/** The report is published within this many business days after the cut. */
export const PUBLICATION_BUSINESS_DAYS = 10;

export const MONTH_DAY_PATTERN = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Whether `MM-DD` is a day every year has (29 February is refused: three years in four it would not exist). */
export function isMonthDay(text: string): boolean {
  const m = MONTH_DAY_PATTERN.exec(text);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return day <= daysInMonth(2023, month);
}

export interface FollowUpCut {
  /** ISO date of the cut. */
  cut: string;
  /** The last business day to publish the report: the tenth business day after the cut. */
  deadline: string;
}

/** The plan's cuts in `year`, oldest first, each with its publication deadline. */
export function followUpCuts(year: number, cuts: readonly string[] | undefined, calendar: BusinessCalendar): FollowUpCut[] {
  const days = [...new Set(cuts && cuts.length > 0 ? cuts : DEFAULT_FOLLOW_UP_CUTS)].sort();
  return days.map((md) => {
    const cut = `${year}-${md}`;
    return { cut, deadline: publicationDeadline(cut, calendar) };
  });
}

export function publicationDeadline(cut: string, calendar: BusinessCalendar): string {
  return calendar.addBusinessDays(cut, PUBLICATION_BUSINESS_DAYS);
}

/** The cut of the plan on `date`, if `date` is one. */
export function cutOn(date: string, cuts: readonly string[] | undefined, calendar: BusinessCalendar): FollowUpCut | null {
  return followUpCuts(Number(date.slice(0, 4)), cuts, calendar).find((c) => c.cut === date) ?? null;
}
