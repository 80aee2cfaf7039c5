/**
 * The follow-up report at a cut (Decreto 124 de 2016: 30 April, 31 August, 31 December unless the
 * plan sets others): one short run per cut, started by the plan's cut Schedule at 23:59 of the cut day
 * (client/cut-schedule.ts) or by `plazos report cut --run`. It keeps the rows as visibility lists them
 * then, with the CSV, XLSX and PDF, and mails them to OAPLA and Control Interno once.
 *
 * The cut is the date of the Schedule's nominal time in the plan's zone, not the time the run began:
 * a run the server caught up the morning after still reports the cut it was scheduled for.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { MAIL_RETRY, READ_RETRY } from './retry';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { createActivities } from '../activities';
import type { CutResult, CutWorkflowInput } from '../activities/follow-up/types';
import { WorkflowClock } from './clock';

type Activities = ReturnType<typeof createActivities>;

/** Temporal sets it on every run a Schedule starts. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const { takeCutSnapshot } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: READ_RETRY,
});

const { sendCutReport } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '2 days',
  retry: MAIL_RETRY,
});

export async function planFollowUpCut(input: CutWorkflowInput): Promise<CutResult> {
  const clock = new WorkflowClock(input.plan.timezone);
  const scheduled = workflowInfo().typedSearchAttributes.get(SCHEDULED_START);
  const cut = input.cut ?? (scheduled ? clock.dateOf(scheduled.getTime()) : clock.today());
  const summary = await takeCutSnapshot({ plan: input.plan, cut });
  const receipt = await sendCutReport({ plan: input.plan, locale: input.locale, cut });
  return { cut, rows: summary.rows, messageId: receipt.messageId };
}
