/**
 * The workflows plazos registers: one per plan activity, and for a recurring activity one child
 * per period (a monthly report is twelve deliverables, each with its own reminders and review).
 */
import {
  condition,
  getExternalWorkflowHandle,
  setHandler,
  startChild,
  workflowInfo,
  allHandlersFinished,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { BusinessCalendar, type CalendarData } from '../calendar/business-calendar';
import { checkCalendarUpdate } from './calendar-update';
import { activityPeriods, type Period } from '../calendar/periods';
import { WorkflowClock } from './clock';
import { PeriodLifecycle } from './period';
import {
  applyCalendarUpdate,
  cancelSignal,
  periodWorkflowId,
  SEARCH_ATTRIBUTES,
  statusQuery,
  type ActivityResult,
  type ActivityWorkflowInput,
  type Outcome,
  type RecurringStatusView,
} from './shared';

/** One plan activity, from kickoff to its outcome. */
export async function planActivity(input: ActivityWorkflowInput): Promise<ActivityResult> {
  if (input.period) return new PeriodLifecycle(input, input.period).run();
  if (!input.activity.recurrence) {
    const { start, due } = input.activity;
    return new PeriodLifecycle(input, { key: null, start, due }).run();
  }
  return runRecurring(input);
}

/** One period of a recurring activity (started by `planActivity` as a child). */
export async function planActivityPeriod(input: ActivityWorkflowInput): Promise<ActivityResult> {
  if (!input.period) throw new Error('planActivityPeriod needs a period');
  return new PeriodLifecycle(input, input.period).run();
}

/** The outcome of a whole recurring activity: its worst period. */
function overall(results: ActivityResult[]): Outcome {
  const order: Outcome[] = ['missed', 'late', 'cancelled', 'on-time'];
  return order.find((o) => results.some((r) => r.status === o)) ?? 'on-time';
}

async function runRecurring(input: ActivityWorkflowInput): Promise<ActivityResult> {
  const { plan, activity } = input;
  const clock = new WorkflowClock(plan.timezone, input.clockOffsetMs);
  let calendar: CalendarData = input.calendar;
  let periods = activityPeriods(activity, BusinessCalendar.fromData(calendar));
  const children = new Map<string, ChildWorkflowHandle<typeof planActivityPeriod>>();
  const results = new Map<string, ActivityResult>();
  let cancelled: string | null = null;

  setHandler(cancelSignal, (payload) => {
    if (cancelled !== null) return;
    cancelled = payload.reason;
    // Running periods are cancelled by their own workflows, which tell the area.
    for (const handle of children.values()) void getExternalWorkflowHandle(handle.workflowId).signal(cancelSignal, payload);
  });

  // A new calendar reaches the periods not yet started: their due dates (a count of business days)
  // and their own workflows, which get it in their input. Running periods get it from
  // `calendar apply` directly, as every running workflow of the plan does. Month keys and starts do
  // not depend on the calendar, so the periods stay the same ones, in the same order.
  setHandler(
    applyCalendarUpdate,
    (update) => {
      calendar = checkCalendarUpdate(calendar, update).merged;
      const recomputed = activityPeriods(activity, BusinessCalendar.fromData(calendar));
      periods = periods.map((p, i) => (children.has(p.key ?? '') ? p : (recomputed[i] ?? p)));
      return { status: cancelled !== null ? 'cancelled' : 'active', moved: [] };
    },
    {
      validator: (payload) => {
        if (cancelled !== null) throw new Error('La actividad ya está cerrada (cancelled).');
        checkCalendarUpdate(calendar, payload);
      },
    },
  );

  setHandler(statusQuery, (): RecurringStatusView => {
    const done = periods.every((p) => results.has(p.key ?? ''));
    const finished = [...results.values()];
    return {
      kind: 'recurring',
      workflowId: workflowInfo().workflowId,
      planId: plan.id,
      activity: {
        number: activity.number,
        title: activity.title,
        deliverable: activity.deliverable,
        responsible: activity.responsible,
        start: activity.start,
        due: activity.due,
      },
      periods: periods.map((p) => {
        const key = p.key ?? '';
        const result = results.get(key);
        const started = children.has(key);
        return {
          key,
          workflowId: periodWorkflowId(plan.id, activity.number, key),
          start: p.start,
          due: p.due,
          status: result ? result.status : started ? 'active' : 'not-started',
          closedAt: result?.closedAt ?? null,
        };
      }),
      status: done ? overall(finished) : cancelled !== null ? 'cancelled' : 'active',
      closedAt: done ? (finished[finished.length - 1]?.closedAt ?? null) : null,
    };
  });

  const running: Promise<void>[] = [];
  for (let i = 0; i < periods.length; i++) {
    // A period's workflow starts at the beginning of its first day, so its own timer sends the
    // kickoff at the policy's hour; a period already begun starts at once and catches up.
    const wait = clock.untilDate((periods[i] as Period).start);
    if (wait > 0) await condition(() => cancelled !== null, wait);
    if (cancelled !== null) break;
    // Read after the sleep: a calendar change during it may have moved this period's due date.
    running.push(startPeriod({ ...input, calendar }, periods[i] as Period, children, results));
  }
  await Promise.all(running);
  await condition(allHandlersFinished);
  const all = [...results.values()].sort((a, b) => (a.period ?? '').localeCompare(b.period ?? ''));
  return {
    activity: activity.number,
    period: null,
    status: cancelled !== null && all.length < periods.length ? 'cancelled' : overall(all),
    closedAt: clock.nowIso(),
    periods: all,
    sent: [],
  };
}

async function startPeriod(
  input: ActivityWorkflowInput,
  period: Period,
  children: Map<string, ChildWorkflowHandle<typeof planActivityPeriod>>,
  results: Map<string, ActivityResult>,
): Promise<void> {
  const key = period.key ?? '';
  const handle = await startChild(planActivityPeriod, {
    workflowId: periodWorkflowId(input.plan.id, input.activity.number, key),
    args: [{ ...input, period }],
    typedSearchAttributes: input.searchAttributes
      ? [
          { key: SEARCH_ATTRIBUTES.plan, value: input.plan.id },
          { key: SEARCH_ATTRIBUTES.activity, value: input.activity.number },
          { key: SEARCH_ATTRIBUTES.areas, value: input.activity.responsible },
          { key: SEARCH_ATTRIBUTES.status, value: 'scheduled' },
        ]
      : undefined,
  });
  children.set(key, handle);
  results.set(key, await handle.result());
}
