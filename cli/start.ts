/** `plazos plan start`: one workflow per activity, the weekly digest and the cut schedules. */
import { DateTime } from 'luxon';
import { ensureDigestSchedule } from '../client/digest-schedule';
import { ensureCutSchedule } from '../client/cut-schedule';
import { startPlan } from '../client/start-plan';
import { EXIT } from '../domain/errors';
import { t } from './i18n';
import { loadPlan } from './load';
import { out, withClient } from './operate';
import { printIssues } from './print';

export async function startCommand(file: string, opts: { areas?: string; json?: boolean }): Promise<number> {
  const loaded = await loadPlan(file, opts);
  if (loaded.unreadable || loaded.errors.length > 0 || !loaded.plan) {
    printIssues(loaded.errors, loaded.warnings, process.stderr);
    process.stderr.write(`${loaded.unreadable ? t().nothingStarted : t().planErrorsNothingStarted}\n`);
    return loaded.unreadable ? EXIT.usage : EXIT.refused;
  }
  const plan = loaded.plan;
  return withClient(async (client, config) => {
    const total = plan.activities.length;
    const showProgress = !opts.json && process.stderr.isTTY && total > 20;
    const outcomes = await startPlan(client, plan, loaded.calendar, {
      taskQueue: config.PLAZOS_TASK_QUEUE,
      searchAttributes: true,
      locale: config.PLAZOS_LOCALE,
      kickoffNow: true,
      onProgress: showProgress ? (done) => process.stderr.write(`\r${progressBar(done, total)}`) : undefined,
    });
    if (showProgress) process.stderr.write('\n');
    const digest = await ensureDigestSchedule(client, plan, loaded.calendar, {
      taskQueue: config.PLAZOS_TASK_QUEUE,
      locale: config.PLAZOS_LOCALE,
      today: DateTime.now().setZone(plan.timezone).toISODate() as string,
    });
    const cuts = await ensureCutSchedule(client, plan, loaded.calendar, { taskQueue: config.PLAZOS_TASK_QUEUE, locale: config.PLAZOS_LOCALE });
    const started = outcomes.filter((o) => o.result === 'started');
    const already = outcomes.filter((o) => o.result === 'already-started');
    const m = t();
    const lines = [
      m.planStarted(plan.title, plan.id, started.length, already.length),
      ...outcomes.map(
        (o) => `  ${String(o.activity).padStart(3)}  ${(o.result === 'started' ? m.rowStarted : m.rowAlreadyRunning).padEnd(14)}  ${o.workflowId}`,
      ),
      m.digestScheduled(plan.owner, digest.result === 'created', digest.scheduleId),
      m.cutsScheduled(
        cuts.result === 'created',
        cuts.cuts.map((c) => c.cut),
        cuts.scheduleId,
      ),
    ];
    out(
      opts.json,
      { plan: plan.id, started: started.map((o) => o.activity), alreadyStarted: already.map((o) => o.activity), outcomes, digest, cuts },
      lines.join('\n'),
    );
    return EXIT.ok;
  });
}

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}
