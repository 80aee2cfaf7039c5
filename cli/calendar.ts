/** `plazos calendar holidays YEAR`. */
import { formatHolidays, holidaysJson } from '../calendar';
import { loadCalendar } from '../config/load-calendar';
import { CliError, EXIT } from './errors';
import { cliLocale, t } from './i18n';

export function holidaysCommand(yearText: string, opts: { json?: boolean }): Promise<number> {
  if (!/^\d{4}$/.test(yearText)) throw new CliError(t().usage(t().year(yearText)), EXIT.usage);
  const year = Number(yearText);
  const calendar = loadCalendar();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(holidaysJson(year, calendar), null, 2)}\n`);
  } else {
    process.stdout.write(formatHolidays(year, calendar, cliLocale()));
  }
  return Promise.resolve(EXIT.ok);
}
