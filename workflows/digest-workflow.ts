/**
 * The weekly digest: one short run per digest day, started by a Temporal Schedule (see
 * client/digest-schedule.ts, which picks the days: Monday 08:00, or the next business day after a
 * Monday holiday). It reads the plan's open activities and mails OAPLA what is overdue, what falls
 * due in the next five business days and what waits for review.
 *
 * Both steps are activities: the listing reads Temporal's visibility, which workflow code cannot.
 */
import { proxyActivities } from '@temporalio/workflow';
import { MAIL_RETRY, READ_RETRY } from './retry';
import type { createActivities } from '../activities';
import type { DigestResult, DigestWorkflowInput } from '../activities/digest/types';
import { WorkflowClock } from './clock';

type Activities = ReturnType<typeof createActivities>;

const { collectDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: READ_RETRY,
});

const { sendDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: MAIL_RETRY,
});

export async function planDigest(input: DigestWorkflowInput): Promise<DigestResult> {
  const today = new WorkflowClock(input.plan.timezone).today();
  const content = await collectDigest({ planId: input.plan.id, timezone: input.plan.timezone, today });
  const receipt = await sendDigest({ plan: input.plan, locale: input.locale, content });
  return {
    date: today,
    overdue: content.overdue.length,
    dueSoon: content.dueSoon.length,
    inReview: content.inReview.length,
    messageId: receipt.messageId,
  };
}
