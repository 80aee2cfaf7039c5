/**
 * The follow-up cuts' Temporal Schedule, one per plan: 23:59 in the plan's zone on each cut of the
 * plan's year (30 April, 31 August and 31 December unless the plan file's `followUpCuts` says other
 * days), each run building the report of that day (workflows/follow-up-workflow.ts). The cuts are
 * written out with their year, so `temporal schedule describe` shows the real dates.
 *
 * Created by `plazos plan start` and `plazos up` beside the digest's. Unlike the digest's, an existing
 * one is brought up to the plan's cuts: OAPLA changes a plan's cuts by editing `followUpCuts` and
 * running `plazos plan start` again (`plazos report schedule` shows them).
 */
import {
  MONTHS,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowIdReusePolicy,
  type CalendarSpec,
  type Client,
  type ScheduleSpec,
} from '@temporalio/client';
import { followUpCuts, type FollowUpCut } from '../calendar/cuts';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { CutPlanRef, CutResult, CutWorkflowInput } from '../activities/follow-up/types';
import type { NoticeLocale } from '../activities/email/types';
import type { Plan } from '../plans/model';
import { planFollowUpCut } from '../workflows';

export function cutScheduleId(planId: string): string {
  return `${planId}/cortes`;
}

/** The rows are read at the end of the cut day, so what was delivered that day counts. */
export const CUT_HOUR = 23;
export const CUT_MINUTE = 59;

export function cutPlanRef(plan: Plan): CutPlanRef {
  return {
    id: plan.id,
    title: plan.title,
    year: plan.year,
    ...(plan.entity ? { entity: plan.entity } : {}),
    owner: plan.owner,
    timezone: plan.timezone,
    ...(plan.followUpCuts ? { followUpCuts: plan.followUpCuts } : {}),
  };
}

export function cutScheduleSpec(
  plan: Pick<Plan, 'year' | 'timezone' | 'followUpCuts'>,
  calendar: BusinessCalendar,
): { spec: ScheduleSpec; cuts: FollowUpCut[] } {
  const cuts = followUpCuts(plan.year, plan.followUpCuts, calendar);
  const calendars: CalendarSpec[] = cuts.map(({ cut, deadline }) => {
    const [y, m, d] = cut.split('-').map(Number) as [number, number, number];
    return {
      year: y,
      month: MONTHS[m - 1]!,
      dayOfMonth: d,
      hour: CUT_HOUR,
      minute: CUT_MINUTE,
      second: 0,
      comment: `Corte ${cut}; publicar a más tardar el ${deadline}`,
    };
  });
  return { spec: { calendars, timezone: plan.timezone }, cuts };
}

export interface CutScheduleOptions {
  taskQueue: string;
  locale?: NoticeLocale;
}

export type CutScheduleOutcome = { scheduleId: string; result: 'created' | 'updated'; cuts: FollowUpCut[] };

export async function ensureCutSchedule(client: Client, plan: Plan, calendar: BusinessCalendar, opts: CutScheduleOptions): Promise<CutScheduleOutcome> {
  const scheduleId = cutScheduleId(plan.id);
  const input: CutWorkflowInput = { plan: cutPlanRef(plan), locale: opts.locale ?? 'es' };
  const { spec, cuts } = cutScheduleSpec(plan, calendar);
  const action = {
    type: 'startWorkflow' as const,
    workflowType: planFollowUpCut,
    workflowId: scheduleId,
    taskQueue: opts.taskQueue,
    args: [input] as [CutWorkflowInput],
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      // A server down at the cut still takes the snapshot when it is back within the ten business days' first two.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 days' },
      state: { note: `Informes de seguimiento del plan ${plan.id} a los cortes ${cuts.map((c) => c.cut).join(', ')}` },
    });
    return { scheduleId, result: 'created', cuts };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
    return { scheduleId, result: 'updated', cuts };
  }
}

/** The cut's own run, by hand (`plazos report run`, the demo): one workflow ID per plan and cut, so it runs once. */
export function cutWorkflowId(planId: string, cut: string): string {
  return `${cutScheduleId(planId)}/${cut}`;
}

export async function runCutNow(client: Client, plan: CutPlanRef, cut: string, opts: CutScheduleOptions): Promise<CutResult> {
  const handle = await client.workflow.start(planFollowUpCut, {
    workflowId: cutWorkflowId(plan.id, cut),
    // A cut taken by hand is taken once: a second `report run` is refused rather than run for nothing.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    taskQueue: opts.taskQueue,
    args: [{ plan, locale: opts.locale ?? 'es', cut }],
  });
  return handle.result();
}
