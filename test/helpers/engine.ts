/**
 * Starts one activity workflow on the simulation engine (time-skipping server, real SMTP server)
 * with its plan clock at a chosen instant, and moves plan time forward.
 */
import { DateTime } from 'luxon';
import type { WorkflowHandle } from '@temporalio/client';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { activityInput, activityWorkflowId } from '../../client/inputs';
import type { Plan, PlanActivity } from '../../plans/model';
import type { Engine } from '../../simulation/engine';
import { planActivity } from '../../workflows';

export const calendar = new BusinessCalendar();

export interface Started {
  handle: WorkflowHandle<typeof planActivity>;
  /** Plan time now. */
  now(): Promise<DateTime>;
  /** Moves plan time forward to a local time in Bogota, e.g. '2023-01-18T10:00'. */
  advanceTo(local: string): Promise<void>;
}

export async function startActivity(engine: Engine, plan: Plan, activity: PlanActivity, planStart: string): Promise<Started> {
  const startMs = DateTime.fromISO(planStart, { zone: 'America/Bogota' }).toMillis();
  const clockOffsetMs = startMs - (await engine.serverNow());
  const handle = await engine.env.client.workflow.start(planActivity, {
    taskQueue: engine.taskQueue,
    workflowId: activityWorkflowId(plan.id, activity.number),
    args: [activityInput(plan, activity, calendar, { clockOffsetMs })],
  });
  const now = async () => DateTime.fromMillis((await engine.serverNow()) + clockOffsetMs, { zone: 'America/Bogota' });
  return {
    handle,
    now,
    async advanceTo(local) {
      const target = DateTime.fromISO(local, { zone: 'America/Bogota' }).toMillis();
      const ms = target - (await now()).toMillis();
      if (ms < 0) throw new Error(`plan time is already past ${local}`);
      await engine.advance(ms);
    },
  };
}
