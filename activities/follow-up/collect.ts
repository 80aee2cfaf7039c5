/**
 * The cut report's data: one paginated List of the plan's workflows (client/plan-list.ts), whose
 * search attributes and follow-up memo (workflows/progress.ts) carry every column, so a plan of
 * thousands of activities costs a few List pages and wakes no workflow.
 */
import type { Client } from '@temporalio/client';
import type { BusinessCalendar } from '../../calendar/business-calendar';
import { listPlan } from '../../client/plan-list';
import { buildCutSnapshot } from './snapshot';
import type { CutStore } from './store';
import type { CutPlanRef, CutSnapshot } from './types';

export async function readCutSnapshot(
  client: Client,
  calendar: BusinessCalendar,
  plan: CutPlanRef,
  cut: string,
  takenAt: string,
  source: CutSnapshot['source'],
): Promise<CutSnapshot> {
  const listed = await listPlan(client, plan.id, plan.timezone);
  return buildCutSnapshot(listed, { plan, cut, takenAt, source, calendar });
}

export type CutReport = { snapshot: CutSnapshot; kept: true } | { snapshot: CutSnapshot; kept: false };

/**
 * The report of a cut as the CLI and the web give it: the kept snapshot when the cut's run kept one,
 * otherwise one rebuilt now and marked as such in the report itself (and not kept: it is not what was
 * read at the cut, and keeping it would pass it off as that).
 */
export async function cutReport(client: Client, store: CutStore, calendar: BusinessCalendar, plan: CutPlanRef, cut: string, now: Date): Promise<CutReport> {
  const kept = await store.snapshot(plan.id, cut);
  if (kept) return { snapshot: kept, kept: true };
  return { snapshot: await readCutSnapshot(client, calendar, plan, cut, now.toISOString(), 'reconstructed'), kept: false };
}
