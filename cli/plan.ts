/**
 * `plazos plan validate | import | preview`. What only import or preview needs (the YAML writer,
 * the notice schedule) is loaded inside those commands: validate is run often, from editors and
 * scripts, and should pay only for reading a plan (the CLI start-up benchmark).
 */
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ScheduledNotice } from '../calendar/schedule';
import { PLAN_LIMITS, thousands } from '../plans/limits';
import { issueCount, type Plan, type PlanIssue } from '../plans/model';
import { PLAN_ID_MAX, PLAN_ID_PATTERN } from '../plans/rules';
import { CliError, EXIT } from '../domain/errors';
import { cliLocale, t } from './i18n';
import { loadPlan, type LoadedPlan } from './load';
import { issueJson, printIssues, writeOutput } from './print';

function exitFor(loaded: LoadedPlan): number {
  if (loaded.unreadable) return EXIT.usage;
  return loaded.errors.length > 0 || !loaded.plan ? EXIT.refused : EXIT.ok;
}

function summary(loaded: LoadedPlan): string {
  const m = t();
  const counts = `${m.errorsFound(issueCount(loaded.errors))}, ${m.warningsFound(issueCount(loaded.warnings))}`;
  // Without a usable areas directory the plan is never read: say so, not that the plan is unreadable.
  if (!loaded.plan) return `${loaded.areas ? m.nothingRead : m.areasRefused} (${counts})`;
  const head = loaded.errors.length > 0 ? m.planHasErrors(loaded.plan.title) : m.planOk(loaded.plan.title, loaded.plan.activities.length);
  return `${head} (${counts})`;
}

export async function validateCommand(file: string, opts: { areas?: string; json?: boolean }): Promise<number> {
  const loaded = await loadPlan(file, opts);
  if (opts.json) {
    const body = { plan: loaded.plan, errors: loaded.errors.map(issueJson), warnings: loaded.warnings.map(issueJson) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    printIssues(loaded.errors, loaded.warnings);
    process.stdout.write(`${summary(loaded)}\n`);
  }
  return exitFor(loaded);
}

export async function importCommand(file: string, opts: { output: string; areas?: string; id?: string; json?: boolean }): Promise<number> {
  // The id begins every workflow ID of the plan: a wrong one is a mistake in the command, said before reading anything.
  if (opts.id !== undefined && !(PLAN_ID_PATTERN.test(opts.id) && opts.id.length <= PLAN_ID_MAX)) {
    throw new CliError(t().usage(t().badPlanId(opts.id, PLAN_ID_MAX)), EXIT.usage);
  }
  const loaded = await loadPlan(file, opts);
  let code = exitFor(loaded);
  // A plan with errors is not written: the YAML would silently lose the rejected activities. Nor
  // is a YAML that validate would refuse (too large, too many lines): it is checked, whole, first.
  let refused: PlanIssue[] = [];
  if (code === EXIT.ok && loaded.plan && loaded.areas) {
    const { exportCheckedPlanYaml } = await import('../plans/export-yaml');
    const checked = exportCheckedPlanYaml(loaded.plan, { file: opts.output, areas: loaded.areas, calendar: loaded.calendar });
    if ('errors' in checked) {
      refused = checked.errors;
      code = EXIT.refused;
    } else {
      writeOutput(opts.output, checked.text);
    }
  }
  const errors = [...loaded.errors, ...refused];
  if (opts.json) {
    const body = { output: code === EXIT.ok ? opts.output : null, errors: errors.map(issueJson), warnings: loaded.warnings.map(issueJson) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    printIssues(errors, loaded.warnings);
    if (refused.length > 0) process.stdout.write(`${t().yamlRefused(opts.output)}\n`);
    else process.stdout.write(`${summary(loaded)}\n`);
    if (code === EXIT.ok) process.stdout.write(`${t().written(opts.output)}\n`);
  }
  return code;
}

function tooManyNotices(plan: Plan, file: string, limit: number, overAt: number): PlanIssue {
  const activity = plan.activities[overAt];
  const number = activity?.number ?? overAt + 1;
  const message = `El plan da más de ${thousands(limit)} avisos, más de los que la previsualización muestra (se llegó a ese número en la actividad ${number}): divida el plan, o revise las actividades periódicas de muchos años.`;
  return { file, line: activity?.line ?? null, activity: number, field: 'plan', message };
}

/**
 * The plan's notices, sorted, as one list, refused past `limit` as the preview refuses them (for
 * tests and small plans: the preview itself never holds the list, see cli/preview.ts).
 */
export async function boundedNotices(
  plan: Plan,
  calendar: BusinessCalendar,
  file: string,
  limit: number = PLAN_LIMITS.previewNotices,
): Promise<{ notices: ScheduledNotice[] } | { issue: PlanIssue }> {
  const { orderNotices } = await import('../calendar');
  const computed: ScheduledNotice[] = [];
  const ordered = orderNotices(plan, calendar, limit, (n) => computed.push(n));
  if ('overAt' in ordered) return { issue: tooManyNotices(plan, file, limit, ordered.overAt) };
  return { notices: Array.from(ordered.order, (i) => computed[i] as ScheduledNotice) };
}

/** A refused preview: the issues on stderr, or the JSON report on stdout with no notifications. */
function refusePreview(loaded: LoadedPlan, json: boolean | undefined, errors = loaded.errors): void {
  if (json) {
    const body = { notifications: null, errors: errors.map(issueJson), warnings: loaded.warnings.map(issueJson) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  printIssues(errors, loaded.warnings, process.stderr);
  process.stderr.write(`${summary({ ...loaded, errors })}\n`);
}

export async function previewCommand(file: string, opts: { areas?: string; json?: boolean }): Promise<number> {
  const loaded = await loadPlan(file, opts);
  const code = exitFor(loaded);
  if (code !== EXIT.ok || !loaded.plan) {
    refusePreview(loaded, opts.json);
    return code;
  }
  // A plan of a hundred monthly activities over decades gives an error, not a heap exhausted; and
  // the largest plan the limits allow is written in bounded memory (cli/preview.ts).
  const { writePreview } = await import('./preview');
  const over = await writePreview(process.stdout, loaded.plan, loaded.calendar, {
    json: opts.json === true,
    locale: cliLocale(),
    limit: PLAN_LIMITS.previewNotices,
  });
  if (over) {
    refusePreview(loaded, opts.json, [tooManyNotices(loaded.plan, file, PLAN_LIMITS.previewNotices, over.overAt)]);
    return EXIT.refused;
  }
  return EXIT.ok;
}
