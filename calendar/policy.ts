/**
 * When an activity's notices go out and how a recurring activity splits into periods: the inputs
 * of the schedule, as plain values. The plan model (plans/model.ts) checks a plan's file against
 * them; the schedule, the workflows and the preview read them from here, so calendar/ depends on
 * nothing in plans/.
 */
/** When notices go out (plans/model.ts's NoticePolicySchema reads and checks it). */
export interface NoticePolicy {
  /** Local time of day, HH:mm, in the plan's timezone. */
  sendAt: string;
  /** Reminders this many business days before the due date. */
  remindBusinessDaysBefore: number[];
  /** First escalation this many business days after the due date. */
  escalateAfterBusinessDays: number;
  /** Escalations repeat every this many business days ... */
  escalationEveryBusinessDays: number;
  /** ... at most this many times; then the activity is recorded as missed. */
  maxEscalations: number;
}
/** A per-plan or per-activity override: any subset of the policy. */
export type NoticePolicyOverride = Partial<NoticePolicy>;

/** Plans keep Colombian time: deadlines and the 08:00 notices are in Bogotá (UTC-5, no daylight saving). */
export const PLAN_TIMEZONE = 'America/Bogota';

/** How a recurring activity delivers: one deliverable per period (see calendar/periods.ts). */
export interface Recurrence {
  frequency: Frequency;
  due: { rule: 'end-of-period' } | { rule: 'business-days-after'; days: number };
}

/** What the schedule needs of an activity (plans/model.ts's PlanActivity has all of it). */
export interface ScheduledActivity {
  number: number;
  title: string;
  start: string;
  due: string;
  /** Area codes; the first one leads and receives the notices, the others are copied. */
  responsible: string[];
  recurrence?: Recurrence;
  policy?: NoticePolicyOverride;
}

export const FREQUENCIES = ['monthly', 'bimonthly', 'quarterly', 'semiannual'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** How many calendar months each frequency spans. */
export const FREQUENCY_MONTHS: Record<Frequency, number> = {
  monthly: 1,
  bimonthly: 2,
  quarterly: 3,
  semiannual: 6,
};

/** The policy when neither the plan nor the activity says otherwise; the schema's defaults. */
export const DEFAULT_NOTICE_POLICY: Readonly<NoticePolicy> = Object.freeze({
  sendAt: '08:00',
  remindBusinessDaysBefore: [10, 3],
  escalateAfterBusinessDays: 1,
  escalationEveryBusinessDays: 5,
  maxEscalations: 3,
});

/**
 * The effective policy for an activity: defaults, then the plan's overrides, then the activity's.
 * Overrides were validated when the plan was read; a field written as undefined overrides nothing.
 */
/**
 * Business days from the due date to the missed notice: the first escalation, then each further
 * one, then as long again before the activity is recorded as missed. The schedule places the
 * notices by it, and the demo plan picks its dates by it.
 */
export function missedAfterDue(policy: NoticePolicy): number {
  return policy.escalateAfterBusinessDays + policy.maxEscalations * policy.escalationEveryBusinessDays;
}

export function effectivePolicy(plan: { policy?: NoticePolicyOverride }, activity: { policy?: NoticePolicyOverride }): NoticePolicy {
  const policy: NoticePolicy = { ...DEFAULT_NOTICE_POLICY, remindBusinessDaysBefore: [...DEFAULT_NOTICE_POLICY.remindBusinessDaysBefore] };
  for (const override of [plan.policy, activity.policy]) {
    for (const [key, value] of Object.entries(override ?? {})) {
      if (value !== undefined && key in policy) Object.assign(policy, { [key]: value });
    }
  }
  return policy;
}
