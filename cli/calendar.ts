/** `plazos calendar holidays YEAR`. */
import { formatHolidays, holidaysJson } from '../calendar';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { CALENDAR_YEARS } from '../calendar/holiday-law';
import { CalendarConfigError, loadCalendar } from '../config/load-calendar';
import { CliError, EXIT } from './errors';
import { cliLocale, t } from './i18n';

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
