/**
 * The plan model: what every importer produces and every other part of plazos consumes.
 *
 * Importers parse an outside shape into this model and report what they could not accept as
 * located `PlanIssue`s; inside plazos a `Plan` is trusted.
 */
import { z } from 'zod';
import { AreaCodeSchema, IsoDateSchema } from './field-schemas';
import type { Recurrence as CalendarRecurrence } from '../calendar/policy';
import { DEFAULT_NOTICE_POLICY, FREQUENCIES, PLAN_ID_MAX, PLAN_ID_MESSAGE, PLAN_ID_PATTERN, type NoticePolicy } from './rules';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { isMonthDay } from '../calendar/cuts';
import { CALENDAR_YEARS } from '../calendar/holiday-law';

export { AREA_CODE_PATTERN, DEFAULT_NOTICE_POLICY, effectivePolicy, FREQUENCIES, FREQUENCY_MONTHS, isIsoDate, type Frequency } from './rules';
export { AreaCodeSchema, IsoDateSchema, type AreaCode, type IsoDate } from './field-schemas';

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
// The schema reads exactly the recurrence the schedule understands (calendar/policy.ts).
RecurrenceSchema satisfies z.ZodType<CalendarRecurrence, unknown>;

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
  sendAt: policyFields.sendAt.default(DEFAULT_NOTICE_POLICY.sendAt),
  remindBusinessDaysBefore: policyFields.remindBusinessDaysBefore.default(() => [...DEFAULT_NOTICE_POLICY.remindBusinessDaysBefore]),
  escalateAfterBusinessDays: policyFields.escalateAfterBusinessDays.default(DEFAULT_NOTICE_POLICY.escalateAfterBusinessDays),
  escalationEveryBusinessDays: policyFields.escalationEveryBusinessDays.default(DEFAULT_NOTICE_POLICY.escalationEveryBusinessDays),
  maxEscalations: policyFields.maxEscalations.default(DEFAULT_NOTICE_POLICY.maxEscalations),
});
export type { NoticePolicy } from './rules';
// The schema gives every field of the policy rules.ts declares: one declared there and not read here fails to compile.
NoticePolicySchema satisfies z.ZodType<NoticePolicy, Partial<NoticePolicy>>;

/**
 * A per-plan or per-activity override: any subset of the policy, with no defaults of its own
 * (`NoticePolicySchema.partial()` would fill every default in and override the plan's choices).
 */
export const NoticePolicyOverrideSchema = z.object(policyFields).partial();
export type NoticePolicyOverride = z.infer<typeof NoticePolicyOverrideSchema>;

/** Why a plan's year is refused, wherever it was read (`year:`, a title, the due dates). */
export const PLAN_YEAR_MESSAGE = `El año del plan debe estar entre ${CALENDAR_YEARS.first} y ${CALENDAR_YEARS.last}, los años que cubre el calendario de festivos`;

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
  id: z.string().regex(PLAN_ID_PATTERN, { message: PLAN_ID_MESSAGE }).max(PLAN_ID_MAX),
  title: z.string().trim().min(1),
  entity: z.string().trim().min(1).optional(),
  /**
   * The years the holiday calendar covers (calendar/holiday-law.ts, from Ley 51 de 1983 in force
   * in 1984 to 2100): a plan's business days are counted by those laws, so any year they answer
   * for can hold a plan, and a year they do not (1983, 2101) cannot.
   */
  year: z.number().int().min(CALENDAR_YEARS.first, { message: PLAN_YEAR_MESSAGE }).max(CALENDAR_YEARS.last, { message: PLAN_YEAR_MESSAGE }),
  version: z.string().trim().min(1).optional(),
  versionDate: IsoDateSchema.optional(),
  /** The area that leads the plan and answers for it; escalations go there. */
  owner: AreaCodeSchema.default('OAPLA'),
  timezone: z.string().default(PLAN_TIMEZONE),
  preparedBy: z.string().trim().min(1).optional(),
  reviewedBy: z.string().trim().min(1).optional(),
  /** The plan's context as the source states it (policy, objectives, legal frame...), label and text. */
  preamble: z.array(z.object({ label: z.string().trim().min(1), text: z.string().trim() })).optional(),
  policy: NoticePolicyOverrideSchema.optional(),
  /**
   * Follow-up cuts, `MM-DD` (calendar/cuts.ts). Absent: the PAAC's, 30 April, 31 August and 31 December
   * (Decreto 124 de 2016). OAPLA writes other ones here for a plan followed up on other dates.
   */
  followUpCuts: z
    .array(z.string().refine(isMonthDay, { message: 'Corte inválido: se espera MM-DD, un día que exista todos los años (p. ej. 04-30).' }))
    .min(1, { message: 'Indique al menos un corte o quite followUpCuts (se usan 30 de abril, 31 de agosto y 31 de diciembre).' })
    .max(12, { message: 'Demasiados cortes (máx. 12 al año).' })
    .refine((cuts) => new Set(cuts).size === cuts.length, { message: 'Hay cortes repetidos.' })
    .optional(),
  activities: z.array(PlanActivitySchema),
});
export type Plan = z.infer<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;

/** The field of an activity (or of the plan) an issue is about. */
export type PlanField = 'start' | 'due' | 'responsible' | 'title' | 'deliverable' | 'recurrence' | 'policy' | 'number' | 'header' | 'plan' | 'file';

/** One error or warning, located as precisely as the source allows. */
export interface PlanIssue {
  file: string | null;
  line: number | null;
  activity: number | null;
  field: PlanField | null;
  /** In Spanish, for a planner. */
  message: string;
  /** Set on the one entry that stands for issues past the listing limit: how many it stands for. */
  more?: number;
}

/** How many issues a list stands for, counting those past the listing limit. */
export function issueCount(issues: readonly PlanIssue[]): number {
  return issues.reduce((n, issue) => n + (issue.more ?? 1), 0);
}

/** What every importer returns. `plan` is null only when nothing usable could be read. */
export interface ImportResult {
  plan: Plan | null;
  errors: PlanIssue[];
  warnings: PlanIssue[];
  /**
   * The file could not be opened at all (it does not exist, no permission, a folder, a format
   * plazos does not read): a mistake in the command, exit 2. Anything read and refused is exit 1.
   */
  unreadable?: boolean;
}
