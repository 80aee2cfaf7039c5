/**
 * From a validated plan to the inputs and options of its activity workflows. The CLI's `plan start`,
 * the simulation and the tests all start workflows through here, so they agree on IDs, inputs and
 * search attributes.
 */
import type { TypedSearchAttributes } from '@temporalio/common';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Plan, PlanActivity } from '../plans/model';
import type { NoticeLocale } from '../activities/email/types';
import { activityWorkflowId, SEARCH_ATTRIBUTES, type ActivityWorkflowInput } from '../workflows/shared';
import { dateAttribute } from '../workflows/clock';
import { clipTitle } from '../workflows/listing';

/**
 * The calendar years a workflow may need: from the year before its start (a due date on 2 January
 * counts back into December) to two years after its due date (escalations past New Year, extensions).
 */
export function calendarYears(activity: Pick<PlanActivity, 'start' | 'due'>): { fromYear: number; toYear: number } {
  return { fromYear: Number(activity.start.slice(0, 4)) - 1, toYear: Number(activity.due.slice(0, 4)) + 2 };
}

export interface InputOptions {
  locale?: NoticeLocale;
  searchAttributes?: boolean;
  clockOffsetMs?: number;
  kickoffNow?: boolean;
}

export function activityInput(plan: Plan, activity: PlanActivity, calendar: BusinessCalendar, opts: InputOptions = {}): ActivityWorkflowInput {
  const { fromYear, toYear } = calendarYears(activity);
  return {
    plan: { id: plan.id, title: plan.title, year: plan.year, entity: plan.entity, owner: plan.owner, timezone: plan.timezone, policy: plan.policy },
    activity,
    calendar: calendar.toData(fromYear, toYear),
    locale: opts.locale ?? 'es',
    searchAttributes: opts.searchAttributes ?? false,
    ...(opts.clockOffsetMs ? { clockOffsetMs: opts.clockOffsetMs } : {}),
    ...(opts.kickoffNow ? { kickoffNow: true } : {}),
  };
}

export function activitySearchAttributes(plan: Plan, activity: PlanActivity): ConstructorParameters<typeof TypedSearchAttributes>[0] {
  return [
    { key: SEARCH_ATTRIBUTES.plan, value: plan.id },
    { key: SEARCH_ATTRIBUTES.activity, value: activity.number },
    { key: SEARCH_ATTRIBUTES.areas, value: activity.responsible },
    { key: SEARCH_ATTRIBUTES.status, value: 'scheduled' },
    // Listed from the moment it starts; the workflow keeps them current (workflows/listing.ts).
    { key: SEARCH_ATTRIBUTES.title, value: clipTitle(activity.title) },
    { key: SEARCH_ATTRIBUTES.start, value: activity.start },
    // A recurring activity has a due date per period, set by each period's workflow.
    ...(activity.recurrence ? [] : [{ key: SEARCH_ATTRIBUTES.due, value: dateAttribute(activity.due, plan.timezone) }]),
  ];
}

export { activityWorkflowId };
