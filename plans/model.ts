/**
 * The plan model: what every importer produces and every other part of plazos consumes.
 *
 * Importers parse an outside shape into this model and report what they could not accept as
 * located `PlanIssue`s; inside plazos a `Plan` is trusted.
 */
import { z } from 'zod';

/** Area codes are short capitals, as the plans write them (OAPLA, ARCOM, ...). */
export const AreaCodeSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,15}$/, { message: 'El código de área debe ir en mayúsculas, p. ej. OAPLA.' });
export type AreaCode = z.infer<typeof AreaCodeSchema>;

/** True for a real calendar date written `YYYY-MM-DD` (no 31 April, no 29 February in a common year). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/**
 * A calendar date without time, `YYYY-MM-DD`. Times of day come from the notice policy.
 * Not `z.iso.date()`: inside Temporal's workflow bundle it resolves to a check that wants a Date
 * object and refuses every string (seen with zod 4.6 and the SDK's webpack), and workflow update
 * validators parse with this schema.
 */
export const IsoDateSchema = z.string().refine(isIsoDate, { message: 'Fecha inválida: se espera AAAA-MM-DD.' });
export type IsoDate = z.infer<typeof IsoDateSchema>;

export const FREQUENCIES = ['monthly', 'bimonthly', 'quarterly', 'semiannual'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** How many calendar months each frequency spans. */
export const FREQUENCY_MONTHS: Record<Frequency, number> = {
  monthly: 1,
  bimonthly: 2,
  quarterly: 3,
  semiannual: 6,
};

/**
 * A recurring activity delivers once per period. Periods are calendar months (or groups of them)
 * clipped to [start, due]. Each period's deliverable is due:
 * - `end-of-period`: on the period's last day (moved to the previous business day), or
 * - `business-days-after`: `days` business days after the period ends (the report on a month
 *   is due a few days into the next), never later than the activity's own due date.
 */
export const RecurrenceSchema = z.object({
  frequency: z.enum(FREQUENCIES),
  due: z
    .discriminatedUnion('rule', [
      z.object({ rule: z.literal('end-of-period') }),
      z.object({ rule: z.literal('business-days-after'), days: z.number().int().min(1).max(60) }),
    ])
    .default({ rule: 'end-of-period' }),
});
export type Recurrence = z.infer<typeof RecurrenceSchema>;

/** When notices go out. Business days count in the plan's calendar. */
const policyFields = {
  /** Local time of day, HH:mm, in the plan's timezone. */
  sendAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Hora inválida: se espera HH:mm.' }),
  /** Reminders this many business days before the due date. */
  remindBusinessDaysBefore: z.array(z.number().int().min(1).max(120)).max(10),
  /** First escalation this many business days after the due date. */
  escalateAfterBusinessDays: z.number().int().min(1).max(60),
  /** Escalations repeat every this many business days ... */
  escalationEveryBusinessDays: z.number().int().min(1).max(60),
  /** ... at most this many times; then the activity is recorded as missed. */
  maxEscalations: z.number().int().min(0).max(20),
};

export const NoticePolicySchema = z.object({
  sendAt: policyFields.sendAt.default('08:00'),
  remindBusinessDaysBefore: policyFields.remindBusinessDaysBefore.default([10, 3]),
  escalateAfterBusinessDays: policyFields.escalateAfterBusinessDays.default(1),
  escalationEveryBusinessDays: policyFields.escalationEveryBusinessDays.default(5),
  maxEscalations: policyFields.maxEscalations.default(3),
});
export type NoticePolicy = z.infer<typeof NoticePolicySchema>;
export const DEFAULT_NOTICE_POLICY: NoticePolicy = NoticePolicySchema.parse({});

/**
 * A per-plan or per-activity override: any subset of the policy, with no defaults of its own
 * (`NoticePolicySchema.partial()` would fill every default in and override the plan's choices).
 */
export const NoticePolicyOverrideSchema = z.object(policyFields).partial();
export type NoticePolicyOverride = z.infer<typeof NoticePolicyOverrideSchema>;

export const PlanActivitySchema = z.object({
  /** 1-based position in the plan, whatever numbering the source text shows. */
  number: z.number().int().min(1),
  title: z.string().trim().min(1, { message: 'Falta el nombre de la actividad.' }),
  start: IsoDateSchema,
  due: IsoDateSchema,
  /** Area codes; the first one leads and receives the notices, the others are copied. */
  responsible: z.array(AreaCodeSchema).min(1, { message: 'Falta el área responsable.' }),
  deliverable: z.string().trim().min(1, { message: 'Falta el producto o entregable.' }),
  recurrence: RecurrenceSchema.optional(),
  policy: NoticePolicyOverrideSchema.optional(),
  /** Line in the source file where the activity was read, when the source has lines. */
  line: z.number().int().min(1).optional(),
});
export type PlanActivity = z.infer<typeof PlanActivitySchema>;

export const PlanSchema = z.object({
  /** A slug, used in workflow IDs: `participacion-2023`. */
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'El identificador del plan debe ser un slug: minúsculas, números y guiones.' })
    .max(64),
  title: z.string().trim().min(1),
  entity: z.string().trim().min(1).optional(),
  year: z.number().int().min(2000).max(2100),
  version: z.string().trim().min(1).optional(),
  versionDate: IsoDateSchema.optional(),
  /** The area that leads the plan and answers for it; escalations go there. */
  owner: AreaCodeSchema.default('OAPLA'),
  timezone: z.string().default('America/Bogota'),
  preparedBy: z.string().trim().min(1).optional(),
  reviewedBy: z.string().trim().min(1).optional(),
  /** The plan's context as the source states it (policy, objectives, legal frame...), label and text. */
  preamble: z.array(z.object({ label: z.string().trim().min(1), text: z.string().trim() })).optional(),
  policy: NoticePolicyOverrideSchema.optional(),
  activities: z.array(PlanActivitySchema),
});
export type Plan = z.infer<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;

/** The field of an activity (or of the plan) an issue is about. */
export type PlanField =
  | 'start'
  | 'due'
  | 'responsible'
  | 'title'
  | 'deliverable'
  | 'recurrence'
  | 'policy'
  | 'number'
  | 'header'
  | 'plan'
  | 'file';

/** One error or warning, located as precisely as the source allows. */
export interface PlanIssue {
  file: string | null;
  line: number | null;
  activity: number | null;
  field: PlanField | null;
  /** In Spanish, for a planner. */
  message: string;
}

/** What every importer returns. `plan` is null only when nothing usable could be read. */
export interface ImportResult {
  plan: Plan | null;
  errors: PlanIssue[];
  warnings: PlanIssue[];
}

/** The effective policy for an activity: defaults, then the plan's overrides, then the activity's. */
export function effectivePolicy(plan: Pick<Plan, 'policy'>, activity: Pick<PlanActivity, 'policy'>): NoticePolicy {
  return NoticePolicySchema.parse({ ...DEFAULT_NOTICE_POLICY, ...plan.policy, ...activity.policy });
}
