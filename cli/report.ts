/**
 * `plazos report …`: the follow-up reports at the plan's cuts (Decreto 124 de 2016). `cut` writes a
 * cut's report (the one kept at the cut, or one rebuilt and marked as such); `cuts` lists the plan's
 * cuts, their publication deadlines and which are kept; `run` starts the cut's workflow now, for a
 * cut the Schedule missed (the server was down longer than its catch-up window).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DateTime } from 'luxon';
import { CUT_FORMATS, cutFileName, renderCut, type CutFormat } from '../activities/follow-up/render';
import { createCutStore } from '../activities/follow-up/store';
import { loadCalendar } from '../config/load-calendar';
import { checkCut, cutPlanOf, planCutReport } from '../client/cut-report';
import { cutScheduleId, cutWorkflowId, runCutNow } from '../client/cut-schedule';
import { followUpCuts } from '../calendar/cuts';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { isIsoDate } from '../plans/model';
import { PLAN_ID_PATTERN } from '../plans/rules';
import { CliError, EXIT } from '../domain/errors';
import { t } from './i18n';
import { withClient, withStores } from './operate';
import { writeOutput } from './print';

function checkPlanId(plan: string): void {
  if (!PLAN_ID_PATTERN.test(plan)) throw new CliError(t().statusPlanId(plan), EXIT.usage);
}

function checkCutDate(cut: string): void {
  if (!isIsoDate(cut)) throw new CliError(t().badDate('--cut', cut), EXIT.usage);
}

function todayIn(zone: string): string {
  return DateTime.now().setZone(zone).toISODate() as string;
}

export async function cutCommand(plan: string, opts: { cut: string; format?: string; out: string; json?: boolean }): Promise<number> {
  checkPlanId(plan);
  checkCutDate(opts.cut);
  const format = (opts.format ?? opts.out.split('.').pop() ?? '').toLowerCase();
  if (!(CUT_FORMATS as readonly string[]).includes(format)) throw new CliError(t().badCutFormat(opts.format ?? opts.out), EXIT.usage);
  return withClient(async (client, config) => {
    const calendar = loadCalendar();
    return withStores(config, async (stores) => {
      const store = createCutStore({ index: stores.records.cuts, blobs: stores.blobs });
      const found = await planCutReport(client, store, calendar, plan, opts.cut, new Date(), todayIn(PLAN_TIMEZONE));
      if ('ok' in found) {
        const message =
          found.reason === 'future'
            ? t().cutInFuture(opts.cut, found.today)
            : t().notACut(
                opts.cut,
                plan,
                found.cuts.map((c) => c.cut),
              );
        throw new CliError(message, EXIT.usage);
      }
      // The kept file is the one that was mailed; a rebuilt report is rendered now.
      const bytes = (found.kept ? await store.file(found.snapshot, format as CutFormat) : null) ?? (await renderCut(found.snapshot, format as CutFormat));
      writeOutput(opts.out, bytes);
      const m = t();
      const text = found.kept ? m.cutWritten(opts.out, opts.cut, found.snapshot.rows.length) : m.cutRebuilt(opts.out, opts.cut, found.snapshot.rows.length);
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ plan, cut: opts.cut, format, out: opts.out, kept: found.kept, rows: found.snapshot.rows.length, deadline: found.snapshot.deadline }, null, 2)}\n`
          : `${text}\n`,
      );
      return EXIT.ok;
    });
  });
}

export async function cutsCommand(plan: string, opts: { year?: string; json?: boolean }): Promise<number> {
  checkPlanId(plan);
  return withClient(async (client, config) => {
    const calendar = loadCalendar();
    const year = opts.year ? Number(opts.year) : Number(todayIn(PLAN_TIMEZONE).slice(0, 4));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new CliError(t().badYear(opts.year ?? ''), EXIT.usage);
    const { plan: ref, scheduled } = await cutPlanOf(client, plan, year);
    const cuts = await withStores(config, (stores) => {
      const store = createCutStore({ index: stores.records.cuts, blobs: stores.blobs });
      return Promise.all(
        followUpCuts(opts.year ? year : ref.year, ref.followUpCuts, calendar).map(async (c) => ({ ...c, kept: (await store.snapshot(plan, c.cut)) !== null })),
      );
    });
    const m = t();
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ plan, scheduled, scheduleId: scheduled ? cutScheduleId(plan) : null, cuts }, null, 2)}\n`
        : `${[m.cutsHeader(plan, scheduled ? cutScheduleId(plan) : null), ...cuts.map((c) => m.cutLine(c.cut, c.deadline, c.kept))].join('\n')}\n`,
    );
    return EXIT.ok;
  });
}

export async function runCutCommand(plan: string, opts: { cut: string; json?: boolean }): Promise<number> {
  checkPlanId(plan);
  checkCutDate(opts.cut);
  return withClient(async (client, config) => {
    const calendar = loadCalendar();
    const { plan: ref, scheduled } = await cutPlanOf(client, plan, Number(opts.cut.slice(0, 4)));
    if (!scheduled) throw new CliError(t().noCutSchedule(plan), EXIT.usage);
    const checked = checkCut(ref, opts.cut, todayIn(ref.timezone), calendar);
    if (!checked.ok) {
      throw new CliError(
        checked.reason === 'future'
          ? t().cutInFuture(opts.cut, checked.today)
          : t().notACut(
              opts.cut,
              plan,
              checked.cuts.map((c) => c.cut),
            ),
        EXIT.usage,
      );
    }
    try {
      const result = await runCutNow(client, ref, opts.cut, { taskQueue: config.PLAZOS_TASK_QUEUE, locale: config.PLAZOS_LOCALE });
      process.stdout.write(
        opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${t().cutRan(opts.cut, result.rows, cutFileName({ plan: ref, cut: opts.cut }, 'pdf'))}\n`,
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CliError(t().cutAlreadyRunning(cutWorkflowId(plan, opts.cut)), EXIT.refused);
      throw err;
    }
    return EXIT.ok;
  });
}
