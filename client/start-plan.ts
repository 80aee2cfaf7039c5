/**
 * Starting a plan: one workflow per activity, idempotently. A second start finds each activity
 * already running (or already closed: a plan's activities are not run twice) and sends nothing.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Plan } from '../plans/model';
import { planActivity } from '../workflows';
import { activityInput, activitySearchAttributes, type InputOptions } from './inputs';
import { activityWorkflowId } from '../workflows/shared';

export interface StartOutcome {
  activity: number;
  workflowId: string;
  result: 'started' | 'already-started';
}

export interface StartPlanOptions extends InputOptions {
  taskQueue: string;
  /** Called after each activity, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Concurrent start requests. */
  concurrency?: number;
}

export async function startPlan(client: Client, plan: Plan, calendar: BusinessCalendar, opts: StartPlanOptions): Promise<StartOutcome[]> {
  const outcomes: StartOutcome[] = [];
  const queue = [...plan.activities];
  let done = 0;
  const startOne = async () => {
    for (let activity = queue.shift(); activity; activity = queue.shift()) {
      const workflowId = activityWorkflowId(plan.id, activity.number);
      try {
        await client.workflow.start(planActivity, {
          taskQueue: opts.taskQueue,
          workflowId,
          args: [activityInput(plan, activity, calendar, opts)],
          // Closed runs are kept too: an activity of a plan is never started a second time.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          ...(opts.searchAttributes ? { typedSearchAttributes: activitySearchAttributes(plan, activity) } : {}),
        });
        outcomes.push({ activity: activity.number, workflowId, result: 'started' });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        outcomes.push({ activity: activity.number, workflowId, result: 'already-started' });
      }
      opts.onProgress?.(++done, plan.activities.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, plan.activities.length) }, startOne));
  return outcomes.sort((a, b) => a.activity - b.activity);
}
