/**
 * The parts of the plan model that workflow code needs, without zod schemas.
 *
 * A workflow sandbox evaluates every module it imports once per cached workflow (see
 * workflows/shared-libraries.ts); importing plans/model.ts built the whole plan schema again in each
 * one. What workflows use (date and area checks, frequencies, the notice policy) lives here as plain
 * values; plans/model.ts builds its schemas from them and re-exports them.
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

/** Area codes are short capitals, as the plans write them (OAPLA, ARCOM, ...). */
export const AREA_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,15}$/;
/** A plan's id is a slug (it is the first segment of every workflow ID): `participacion-ciudadana-2023`. */
export const PLAN_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PLAN_ID_MAX = 64;
export const PLAN_ID_MESSAGE = 'El identificador del plan debe ser un slug: minúsculas, números y guiones.';
export const AREA_CODE_MESSAGE = 'El código de área debe ir en mayúsculas, p. ej. OAPLA.';
export const ISO_DATE_MESSAGE = 'Fecha inválida: se espera AAAA-MM-DD.';

/** True for a real calendar date written `YYYY-MM-DD` (no 31 April, no 29 February in a common year). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
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
export function effectivePolicy(plan: { policy?: NoticePolicyOverride }, activity: { policy?: NoticePolicyOverride }): NoticePolicy {
  const policy: NoticePolicy = { ...DEFAULT_NOTICE_POLICY, remindBusinessDaysBefore: [...DEFAULT_NOTICE_POLICY.remindBusinessDaysBefore] };
  for (const override of [plan.policy, activity.policy]) {
    for (const [key, value] of Object.entries(override ?? {})) {
      if (value !== undefined && key in policy) Object.assign(policy, { [key]: value });
    }
  }
  return policy;
}
