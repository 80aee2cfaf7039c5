/** `plazos plan simulate FILE [--submit N=YYYY-MM-DD]... [--reject N=YYYY-MM-DD]...`. */
import { isIsoDate } from '../plans/model';
import { CliError, EXIT } from '../domain/errors';
import { cliLocale, t } from './i18n';
import { loadPlan } from './load';
import { printIssues } from './print';

/** `13=2023-06-20` → [13, '2023-06-20'], or a usage error naming the option. */
export function parseActivityDate(option: string, value: string): [number, string] {
  const m = /^(\d{1,4})=(\d{4}-\d{2}-\d{2})$/.exec(value.trim());
  if (!m || !isIsoDate(m[2]!)) throw new CliError(t().usage(t().activityDate(option, value)), EXIT.usage);
  return [Number(m[1]), m[2]!];
}

function group(option: string, values: string[]): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const value of values) {
    const [n, date] = parseActivityDate(option, value);
    map.set(n, [...(map.get(n) ?? []), date].sort());
  }
  return map;
}

export async function simulateCommand(file: string, opts: { areas?: string; json?: boolean; submit: string[]; reject: string[] }): Promise<number> {
  const submit = group('--submit', opts.submit);
  const reject = group('--reject', opts.reject);
  const loaded = await loadPlan(file, opts);
  if (loaded.unreadable || loaded.errors.length > 0 || !loaded.plan || !loaded.areas) {
    printIssues(loaded.errors, loaded.warnings, process.stderr);
    return loaded.unreadable ? EXIT.usage : EXIT.refused;
  }
  // Loaded only here: the Temporal worker and test server are heavy, and only this command needs them.
  const { DefaultLogger, Runtime, makeTelemetryFilterString } = await import('@temporalio/worker');
  // The worker's own progress (bundling, state changes) is not the administrator's business here.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
  const { simulatePlan } = await import('../simulation/simulate');
  const { formatSimulation } = await import('../simulation/summary');
  const report = await simulatePlan({ plan: loaded.plan, areas: loaded.areas, calendar: loaded.calendar, submit, reject, locale: cliLocale() });
  if (opts.json) {
    const { notifications, outcomes, notes } = report;
    process.stdout.write(`${JSON.stringify({ notifications, outcomes, notes }, null, 2)}\n`);
  } else {
    process.stdout.write(formatSimulation(report, loaded.plan, cliLocale()));
  }
  return EXIT.ok;
}
