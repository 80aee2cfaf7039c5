/**
 * The cut report's data: one paginated List of the plan's workflows (the PlanList the worker passes
 * in, activities/plan-list.ts), whose search attributes and follow-up memo (workflows/progress.ts)
 * carry every column, so a plan of thousands of activities costs a few List pages and wakes no workflow.
 */
import type { BusinessCalendar } from '../../calendar/business-calendar';
import type { PlanList } from '../plan-list';
import { buildCutSnapshot } from './snapshot';
import type { CutPlanRef, CutSnapshot } from './types';

export async function readCutSnapshot(
  planList: PlanList,
  calendar: BusinessCalendar,
  plan: CutPlanRef,
  cut: string,
  takenAt: string,
  source: CutSnapshot['source'],
): Promise<CutSnapshot> {
  const listed = await planList.deliverables(plan.id, plan.timezone);
  return buildCutSnapshot(listed, { plan, cut, takenAt, source, calendar });
}
