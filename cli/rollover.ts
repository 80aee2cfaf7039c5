/**
 * `plazos plan rollover FILE --year YYYY | --start-on DATE [-o OUT] [--json]`: next year's plan as
 * canonical YAML. The work is `rolloverPlan` (plans/rollover.ts); this file reads, checks and writes.
 */
import { exportCheckedPlanYaml } from '../plans/export-yaml';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { isIsoDate, type Plan } from '../plans/model';
import { PLAN_YEARS, RolloverDatesError, RolloverOptionsError, rolloverPlan, type RolloverProblem, type RolloverResult } from '../plans/rollover';
import { CliError, EXIT } from '../domain/errors';
import { t } from './i18n';
import { loadPlan, type LoadedPlan } from './load';
import { formatIssue, issueJson, printIssues, writeOutput } from './print';

export interface RolloverCommandOptions {
  year?: string;
  startOn?: string;
  output?: string;
  areas?: string;
  json?: boolean;
}

function usage(detail: string): CliError {
  return new CliError(t().usage(detail), EXIT.usage);
}

/** Option mistakes are reported before the plan is read: they are the same whatever the plan says. */
function parseOptions(opts: RolloverCommandOptions): { year?: number; startOn?: string } {
  const m = t();
  if (opts.year === undefined && opts.startOn === undefined) throw usage(m.rolloverNeedsYearOrStart());
  let year: number | undefined;
  if (opts.year !== undefined) {
    if (!/^\d{4}$/.test(opts.year)) throw usage(m.rolloverYear(opts.year));
    year = Number(opts.year);
    if (year < PLAN_YEARS.first || year > PLAN_YEARS.last) throw usage(m.rolloverYearRange(opts.year, PLAN_YEARS.first, PLAN_YEARS.last));
  }
  if (opts.startOn !== undefined && !isIsoDate(opts.startOn)) throw usage(m.rolloverDate(opts.startOn));
  return { year, startOn: opts.startOn };
}

/** The problems that depend on the plan itself, in the planner's words. */
function problemMessage(p: RolloverProblem): string {
  const m = t();
  switch (p.kind) {
    case 'missing':
      return m.rolloverNeedsYearOrStart();
    case 'bad-year':
      return m.rolloverYearRange(String(p.year), PLAN_YEARS.first, PLAN_YEARS.last);
    case 'bad-date':
      return m.rolloverDate(p.date);
    case 'same-year':
      return m.rolloverSameYear(p.year);
    case 'no-activities':
      return m.rolloverNoActivities(p.startOn);
    case 'start-out-of-range':
      return m.rolloverStartOutOfRange(p.startOn, p.derivedYear, PLAN_YEARS.first, PLAN_YEARS.last);
    case 'inconsistent':
      return m.rolloverInconsistent(p.year, p.startOn, p.derivedYear);
  }
}

function roll(plan: Plan, calendar: BusinessCalendar, options: { year?: number; startOn?: string }): RolloverResult {
  try {
    return rolloverPlan(plan, options, calendar);
  } catch (err) {
    if (err instanceof RolloverOptionsError) throw usage(problemMessage(err.problem));
    throw err;
  }
}

/** A plan that cannot be read, or has errors, is not rolled over: nothing is written. */
function refuse(loaded: LoadedPlan, json: boolean | undefined): number {
  if (json) {
    const body = { plan: null, errors: loaded.errors.map(issueJson), warnings: loaded.warnings.map(issueJson) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    printIssues(loaded.errors, loaded.warnings, process.stderr);
    const title = loaded.plan?.title;
    process.stderr.write(`${title === undefined ? t().nothingRead : t().rolloverRefused(title)}\n`);
  }
  return loaded.unreadable ? EXIT.usage : EXIT.refused;
}

/**
 * Warnings carry the line of the source file (they have no file of their own: the new plan has
 * none yet); on screen they name the source file, so "línea 22" is found where it is.
 */
function report(result: RolloverResult, source: string, out: NodeJS.WritableStream): void {
  for (const w of result.warnings) out.write(`${formatIssue({ ...w, file: w.line === null ? null : source }, 'warning')}\n`);
  const { plan } = result;
  out.write(`${t().rolloverSummary(plan.title, plan.id, plan.activities.length, t().warningsFound(result.warnings.length))}\n`);
}

export async function rolloverCommand(file: string, opts: RolloverCommandOptions): Promise<number> {
  const options = parseOptions(opts);
  const loaded = await loadPlan(file, opts);
  if (loaded.unreadable || loaded.errors.length > 0 || !loaded.plan || !loaded.areas) return refuse(loaded, opts.json);
  let result: RolloverResult;
  try {
    result = roll(loaded.plan, loaded.calendar, options);
  } catch (err) {
    if (!(err instanceof RolloverDatesError)) throw err;
    // Located like the plan's own errors: the lines are the source file's.
    const errors = err.issues.map((i) => ({ ...i, file: i.line === null ? null : file }));
    return refuse({ ...loaded, errors, plan: loaded.plan }, opts.json);
  }
  // The new year's plan is written only as validate and start will read it: from a CSV near the
  // size limit, its YAML may be larger than the file it came from.
  const checked = exportCheckedPlanYaml(result.plan, { file: opts.output ?? 'stdout', areas: loaded.areas, calendar: loaded.calendar });
  if ('errors' in checked) return refuse({ ...loaded, errors: checked.errors }, opts.json);
  const warnings = result.warnings.map(issueJson);
  if (opts.output !== undefined) writeOutput(opts.output, checked.text);
  if (opts.json) {
    const body = opts.output !== undefined ? { output: opts.output, plan: result.plan, warnings } : { plan: result.plan, warnings };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else if (opts.output !== undefined) {
    report(result, file, process.stdout);
    process.stdout.write(`${t().written(opts.output)}\n`);
  } else {
    // stdout carries only the YAML, so `plazos plan rollover ... > plan-2024.yaml` stays clean.
    process.stdout.write(checked.text);
    report(result, file, process.stderr);
  }
  return EXIT.ok;
}
