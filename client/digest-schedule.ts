/**
 * The weekly digest's Temporal Schedule, one per plan: every Monday at 08:00 in the plan's zone,
 * minus the Monday holidays, plus the business day that replaces each (Tuesday after "lunes
 * festivo"). Written out that way, `temporal schedule describe` and the UI show the real next
 * dates. It runs from the plan's first start (or today) to eight weeks after its last due date,
 * so late deliverables are still chased after the year closes.
 *
 * Created idempotently by `plazos plan start` and `plazos up`: an existing schedule is left as is.
 */
import { MONTHS, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type CalendarSpec, type Client, type ScheduleSpec } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { digestExceptions } from '../calendar/digest';
import type { DigestWorkflowInput } from '../activities/digest/types';
import type { NoticeLocale } from '../activities/email/types';
import type { Plan } from '../plans/model';
import { planDigest } from '../workflows';

export const DIGEST_HOUR = 8;
/** How long after the last due date the digest keeps going. */
const AFTER_LAST_DUE = { weeks: 8 };

export function digestScheduleId(planId: string): string {
  return `${planId}/digest`;
}

function at8(date: string, comment: string): CalendarSpec {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { year: y, month: MONTHS[m - 1]!, dayOfMonth: d, hour: DIGEST_HOUR, minute: 0, second: 0, comment };
}

/** The span the digest covers: from the plan's first start, or `today` if later, to eight weeks after its last due date. */
export function digestSpan(plan: Pick<Plan, 'activities'>, today: string): { from: string; to: string } {
  const starts = plan.activities.map((a) => a.start).sort();
  const dues = plan.activities.map((a) => a.due).sort();
  const first = starts[0] ?? today;
  const lastDue = dues[dues.length - 1] ?? today;
  return {
    from: first > today ? first : today,
    to: DateTime.fromISO(lastDue).plus(AFTER_LAST_DUE).toISODate() as string,
  };
}

export function digestScheduleSpec(plan: Pick<Plan, 'activities' | 'timezone'>, calendar: BusinessCalendar, today: string): ScheduleSpec {
  const { from, to } = digestSpan(plan, today);
  const { skipped, moved } = digestExceptions(calendar, from, to);
  return {
    calendars: [
      { dayOfWeek: 'MONDAY', hour: DIGEST_HOUR, minute: 0, second: 0, comment: 'Lunes 08:00' },
      ...moved.map((d) => at8(d, 'Lunes festivo: el resumen pasa al siguiente día hábil')),
    ],
    skip: skipped.map((d) => at8(d, 'Lunes festivo')),
    startAt: DateTime.fromISO(from, { zone: plan.timezone }).startOf('day').toJSDate(),
    endAt: DateTime.fromISO(to, { zone: plan.timezone }).endOf('day').toJSDate(),
    timezone: plan.timezone,
  };
}

export interface DigestScheduleOptions {
  taskQueue: string;
  locale?: NoticeLocale;
  /** Today in the plan's zone. */
  today: string;
}

export type DigestScheduleOutcome = { scheduleId: string; result: 'created' | 'already-exists' };

export async function ensureDigestSchedule(
  client: Client,
  plan: Plan,
  calendar: BusinessCalendar,
  opts: DigestScheduleOptions,
): Promise<DigestScheduleOutcome> {
  const scheduleId = digestScheduleId(plan.id);
  const input: DigestWorkflowInput = {
    plan: { id: plan.id, title: plan.title, entity: plan.entity, owner: plan.owner, timezone: plan.timezone },
    locale: opts.locale ?? 'es',
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec: digestScheduleSpec(plan, calendar, opts.today),
      action: { type: 'startWorkflow', workflowType: planDigest, workflowId: scheduleId, taskQueue: opts.taskQueue, args: [input] },
      // A server that was down at 08:00 sends that day's digest when it is back the same day, not older ones.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: `Resumen semanal del plan ${plan.id} para ${plan.owner}` },
    });
    return { scheduleId, result: 'created' };
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return { scheduleId, result: 'already-exists' };
    throw err;
  }
}
