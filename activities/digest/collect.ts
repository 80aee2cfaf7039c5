/**
 * Reads what the digest lists from Temporal's visibility alone (the PlanList the worker passes in,
 * activities/plan-list.ts): one List of the plan's running workflows with the search attributes each
 * keeps current (workflows/listing.ts: status, due date, areas, title). Asking each workflow its status instead woke every one of them in the worker at
 * 08:00 on Mondays, beside the week's notices. Visibility lags a workflow by a moment, which a
 * weekly summary can afford.
 */
import type { BusinessCalendar } from '../../calendar/business-calendar';
import { DIGEST_HORIZON_DAYS, digestContent, type DigestContent, type DigestEntry } from '../../calendar/digest';
import type { ListedWorkflow } from '../../domain/listed-workflow';
import type { PlanList } from '../plan-list';
import type { CollectDigestInput } from './types';

const REVIEW = new Set(['checking', 'in-review']);

/** In review, or due by the horizon. A recurring activity's own workflow has no due date: its periods are listed instead. */
function entryOf(w: ListedWorkflow, horizon: string): DigestEntry | null {
  if (!w.status || !w.due) return null;
  if (!REVIEW.has(w.status) && w.due > horizon) return null;
  return { workflowId: w.workflowId, activity: w.activity, period: w.period, title: w.title, responsible: w.areas, due: w.due, status: w.status };
}

export async function collectDigestContent(planList: PlanList, calendar: BusinessCalendar, input: CollectDigestInput): Promise<DigestContent> {
  const horizon = calendar.addBusinessDays(input.today, DIGEST_HORIZON_DAYS);
  const running = await planList.running(input.planId, input.timezone);
  const entries = running.map((w) => entryOf(w, horizon)).filter((e): e is DigestEntry => e !== null);
  return digestContent(entries, input.today, calendar, await planList.missed(input.planId));
}
