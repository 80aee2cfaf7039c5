/** `plazos calendar holidays YEAR` and `plazos calendar apply [PLAN…]`. */
import { describeMove, formatDate, formatHolidays, holidaysJson } from '../calendar';
import type { PlanApplyReport } from '../client/calendar-apply';
import { KIND_LABELS } from '../domain/labels';
import { PLAN_ID_MAX, PLAN_ID_PATTERN } from '../plans/rules';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { CALENDAR_YEARS } from '../calendar/holiday-law';
import { CalendarConfigError, loadCalendar } from '../config/load-calendar';
import { CliError, EXIT } from '../domain/errors';
import { cliLocale, t, type CliLocale } from './i18n';

/** Checked here so that a year the calendar does not cover is a usage error, not an internal one. */
const { first: FIRST_YEAR, last: LAST_YEAR } = CALENDAR_YEARS;

function parseYear(yearText: string): number {
  const m = t();
  if (!/^\d{4}$/.test(yearText)) throw new CliError(m.usage(m.year(yearText)), EXIT.usage);
  const year = Number(yearText);
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new CliError(m.usage(m.yearOutOfRange(yearText, FIRST_YEAR, LAST_YEAR)), EXIT.usage);
  }
  return year;
}

/** The entity's calendar file is the user's to fix, like the plan commands say (cli/load.ts). */
function entityCalendar(): BusinessCalendar {
  try {
    return loadCalendar();
  } catch (err) {
    if (err instanceof CalendarConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

export function holidaysCommand(yearText: string, opts: { json?: boolean }): Promise<number> {
  const year = parseYear(yearText);
  const calendar = entityCalendar();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(holidaysJson(year, calendar), null, 2)}\n`);
  } else {
    process.stdout.write(formatHolidays(year, calendar, cliLocale()));
  }
  return Promise.resolve(EXIT.ok);
}

/**
 * `plazos calendar apply [PLAN…]`: the current national calendar and the entity's days off, sent
 * to every running workflow of those plans (of every plan when none is named).
 */
export async function applyCommand(plans: string[], opts: { json?: boolean }): Promise<number> {
  const m = t();
  const locale = cliLocale();
  for (const plan of plans) {
    if (!PLAN_ID_PATTERN.test(plan) || plan.length > PLAN_ID_MAX) throw new CliError(m.usage(m.calendarPlanId(plan)), EXIT.usage);
  }
  const calendar = entityCalendar();
  const { withClient } = await import('./operate');
  const { applyCalendar } = await import('../client/calendar-apply');
  const reports = await withClient((client) => applyCalendar(client, calendar, plans));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  } else {
    process.stdout.write(formatApplyReports(reports, locale));
  }
  const failed = reports.some((r) => r.outcomes.some((o) => o.result === 'refused' || o.result === 'no-answer'));
  return failed ? EXIT.refused : EXIT.ok;
}

function formatApplyReports(reports: PlanApplyReport[], locale: CliLocale): string {
  const m = t(locale);
  if (reports.length === 0 || reports.every((r) => r.outcomes.length === 0)) return `${m.calendarNoPlans}\n`;
  const lines: string[] = [];
  for (const { planId, outcomes } of reports) {
    const updated = outcomes.filter((o) => o.result === 'updated');
    lines.push(m.calendarApplied(planId, outcomes.length, updated.length, outcomes.filter((o) => o.result === 'unchanged').length));
    for (const o of outcomes) {
      if (o.result === 'updated') {
        for (const moved of o.moved) {
          const kind = KIND_LABELS[locale][moved.kind] ?? moved.kind;
          lines.push(`  ${o.workflowId}  ${m.calendarMoved(kind, formatDate(moved.from.slice(0, 10), locale, 'no-year'), describeMove(moved, locale))}`);
        }
      } else if (o.result === 'refused') {
        lines.push(`  ${o.workflowId}  ${m.calendarRefused(o.message)}`);
      } else if (o.result === 'no-answer') {
        lines.push(`  ${o.workflowId}  ${m.calendarNoAnswer}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
