/**
 * What every plan command does first: read the areas directory and the calendar, then import the
 * plan. Problems with the areas file are reported like the plan's own, naming that file.
 */
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { CalendarConfigError, loadCalendar } from '../config/load-calendar';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ImportResult } from '../plans/model';
import { importPlanFile } from '../plans/importers/read-file';
import type { AreasDirectory } from '../plans/areas';
import { CliError, EXIT } from '../domain/errors';

export interface LoadedPlan extends ImportResult {
  areas: AreasDirectory | null;
  calendar: BusinessCalendar;
  /** True when the plan or areas file could not be opened at all (exit 2, not 1): see ImportResult. */
  unreadable: boolean;
}

export async function loadPlan(file: string, opts: { areas?: string; id?: string }): Promise<LoadedPlan> {
  let calendar: BusinessCalendar;
  try {
    calendar = loadCalendar();
  } catch (err) {
    if (err instanceof CalendarConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  const areasPath = resolveAreasPath(opts.areas);
  const areasResult = loadAreasFile(areasPath);
  // A directory with any bad entry is refused whole: a notice must never go to half a directory.
  if (!areasResult.areas || areasResult.errors.length > 0) {
    const unreadable = areasResult.unreadable === true;
    return { plan: null, errors: areasResult.errors, warnings: [], areas: null, calendar, unreadable };
  }
  const result = await importPlanFile(file, { areas: areasResult.areas, calendar, id: opts.id });
  const { unreadable = false, ...read } = result;
  return {
    ...read,
    errors: [...areasResult.errors, ...result.errors],
    areas: areasResult.areas,
    calendar,
    unreadable,
  };
}
