/**
 * `plazos plan validate | import | preview`. What only import or preview needs (the YAML writer,
 * the notice schedule) is loaded inside those commands: validate is run often, from editors and
 * scripts, and should pay only for reading a plan (the CLI start-up benchmark).
 */
import { EXIT } from './errors';
import { cliLocale, t } from './i18n';
import { loadPlan, type LoadedPlan } from './load';
import { issueJson, printIssues, writeOutput } from './print';

function exitFor(loaded: LoadedPlan): number {
  if (loaded.unreadable) return EXIT.usage;
  return loaded.errors.length > 0 || !loaded.plan ? EXIT.refused : EXIT.ok;
}

function summary(loaded: LoadedPlan): string {
  const m = t();
  const counts = `${m.errorsFound(loaded.errors.length)}, ${m.warningsFound(loaded.warnings.length)}`;
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


export async function importCommand(
  file: string,
  opts: { output: string; areas?: string; id?: string; json?: boolean },
): Promise<number> {
  const loaded = await loadPlan(file, opts);
  const code = exitFor(loaded);
  // A plan with errors is not written: the YAML would silently lose the rejected activities.
  if (code === EXIT.ok && loaded.plan) {
    const { exportPlanYaml } = await import('../plans/export-yaml');
    writeOutput(opts.output, exportPlanYaml(loaded.plan));
  }
  if (opts.json) {
    const body = { output: code === EXIT.ok ? opts.output : null, errors: loaded.errors.map(issueJson), warnings: loaded.warnings.map(issueJson) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    printIssues(loaded.errors, loaded.warnings);
    process.stdout.write(`${summary(loaded)}\n`);
    if (code === EXIT.ok) process.stdout.write(`${t().written(opts.output)}\n`);
  }
  return code;
}

export async function previewCommand(file: string, opts: { areas?: string; json?: boolean }): Promise<number> {
  const loaded = await loadPlan(file, opts);
  const code = exitFor(loaded);
  if (code !== EXIT.ok || !loaded.plan) {
    printIssues(loaded.errors, loaded.warnings, process.stderr);
    process.stderr.write(`${summary(loaded)}\n`);
    return code;
  }
  const { planNotices, previewJson, formatAgenda } = await import('../calendar');
  const notices = planNotices(loaded.plan, loaded.calendar);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(previewJson(notices), null, 2)}\n`);
  } else {
    process.stdout.write(formatAgenda(notices, loaded.plan, cliLocale()));
  }
  return EXIT.ok;
}
