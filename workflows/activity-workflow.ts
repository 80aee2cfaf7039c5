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
  type CalendarApplied,
  type CalendarUpdate,
  type Cancel,
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
  return new RecurringActivity(input).run();
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

/**
 * A recurring activity: one child workflow per period, each started on the first day of its
 * period, and the worst of their outcomes once all are done. The steps keep the order of the
 * commands recorded histories hold (test/replay): handlers first, then each period's sleep and start.
 */
class RecurringActivity {
  private readonly clock: WorkflowClock;
  private calendar: CalendarData;
  private periods: Period[];
  private readonly children = new Map<string, ChildWorkflowHandle<typeof planActivityPeriod>>();
  private readonly results = new Map<string, ActivityResult>();
  /** The reason of the cancellation, once one arrived. */
  private cancelled: string | null = null;

  constructor(private readonly input: ActivityWorkflowInput) {
    this.clock = new WorkflowClock(input.plan.timezone, input.clockOffsetMs);
    this.calendar = input.calendar;
    this.periods = activityPeriods(input.activity, BusinessCalendar.fromData(this.calendar));
  }

  async run(): Promise<ActivityResult> {
    this.registerHandlers();
    const running = await this.startPeriods();
    await Promise.all(running);
    await condition(allHandlersFinished);
    return this.outcome();
  }

  private registerHandlers(): void {
    setHandler(cancelSignal, (payload) => this.onCancel(payload));
    setHandler(applyCalendarUpdate, (update) => this.onApplyCalendar(update), { validator: (payload) => this.validateApplyCalendar(payload) });
    setHandler(statusQuery, () => this.view());
  }

  private onCancel(payload: Cancel): void {
    if (this.cancelled !== null) return;
    this.cancelled = payload.reason;
    // Running periods are cancelled by their own workflows, which tell the area.
    for (const handle of this.children.values()) void getExternalWorkflowHandle(handle.workflowId).signal(cancelSignal, payload);
  }

  /**
   * A new calendar reaches the periods not yet started: their due dates (a count of business days)
   * and their own workflows, which get it in their input. Running periods get it from
   * `calendar apply` directly, as every running workflow of the plan does. Month keys and starts do
   * not depend on the calendar, so the periods stay the same ones, in the same order.
   */
  private onApplyCalendar(update: CalendarUpdate): CalendarApplied {
    this.calendar = checkCalendarUpdate(this.calendar, update).merged;
    const recomputed = activityPeriods(this.input.activity, BusinessCalendar.fromData(this.calendar));
    this.periods = this.periods.map((p, i) => (this.children.has(p.key ?? '') ? p : (recomputed[i] ?? p)));
    return { status: this.cancelled !== null ? 'cancelled' : 'active', moved: [] };
  }

  private validateApplyCalendar(payload: unknown): void {
    if (this.cancelled !== null) throw new Error('La actividad ya está cerrada (cancelled).');
    checkCalendarUpdate(this.calendar, payload);
  }

  private view(): RecurringStatusView {
    const { plan, activity } = this.input;
    const done = this.periods.every((p) => this.results.has(p.key ?? ''));
    const finished = [...this.results.values()];
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
      periods: this.periods.map((p) => {
        const key = p.key ?? '';
        const result = this.results.get(key);
        const started = this.children.has(key);
        return {
          key,
          workflowId: periodWorkflowId(plan.id, activity.number, key),
          start: p.start,
          due: p.due,
          status: result ? result.status : started ? 'active' : 'not-started',
          closedAt: result?.closedAt ?? null,
        };
      }),
      status: done ? overall(finished) : this.cancelled !== null ? 'cancelled' : 'active',
      closedAt: done ? (finished[finished.length - 1]?.closedAt ?? null) : null,
    };
  }

  /** Each period's workflow, started in turn on its first day, until a cancellation stops the rest. */
  private async startPeriods(): Promise<Promise<void>[]> {
    const running: Promise<void>[] = [];
    for (let i = 0; i < this.periods.length; i++) {
      // A period's workflow starts at the beginning of its first day, so its own timer sends the
      // kickoff at the policy's hour; a period already begun starts at once and catches up.
      const wait = this.clock.untilDate((this.periods[i] as Period).start);
      if (wait > 0) await condition(() => this.cancelled !== null, wait);
      if (this.cancelled !== null) break;
      // Read after the sleep: a calendar change during it may have moved this period's due date.
      running.push(this.startPeriod({ ...this.input, calendar: this.calendar }, this.periods[i] as Period));
    }
    return running;
  }

  private async startPeriod(input: ActivityWorkflowInput, period: Period): Promise<void> {
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
    this.children.set(key, handle);
    this.results.set(key, await handle.result());
  }

  /** The periods' results in order; cancelled when a cancellation kept some from starting. */
  private outcome(): ActivityResult {
    const all = [...this.results.values()].sort((a, b) => (a.period ?? '').localeCompare(b.period ?? ''));
    return {
      activity: this.input.activity.number,
      period: null,
      status: this.cancelled !== null && all.length < this.periods.length ? 'cancelled' : overall(all),
      closedAt: this.clock.nowIso(),
      periods: all,
      sent: [],
    };
  }
}
