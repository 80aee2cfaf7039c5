/**
 * What the workflows, the worker, the CLI and the web agree on: workflow IDs, the task queue,
 * search attributes, message definitions and their payload schemas, and the shapes a query returns.
 *
 * Everything here is deterministic (zod and plain data) because workflow code imports it too.
 * Payloads carry area codes and plan text, never e-mail addresses.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { z } from 'zod';
import type { CalendarData, NonWorkingDay } from '../calendar/business-calendar';
import type { MovedNotice } from '../calendar/reason';
import type { Period } from '../calendar/periods';
import type { NoticeKind as ScheduledKind } from '../calendar/schedule';
import type { EvidenceCheck } from '../activities/evidence/types';
import type { NoticeKind, NoticeLocale } from '../activities/email/types';
import { AreaCodeSchema, IsoDateSchema } from '../plans/field-schemas';
import type { NoticePolicyOverride, PlanActivity } from '../plans/model';

// Workflow IDs are defined in domain/ids.ts, which the activities' links build too.
export { activityWorkflowId, periodWorkflowId } from '../domain/ids';

/** Registered on the dev server when plazos starts it (see workers/dev-server.ts). */
export const SEARCH_ATTRIBUTES = {
  plan: defineSearchAttributeKey('PlazosPlan', SearchAttributeType.KEYWORD),
  activity: defineSearchAttributeKey('PlazosActivity', SearchAttributeType.INT),
  areas: defineSearchAttributeKey('PlazosAreas', SearchAttributeType.KEYWORD_LIST),
  status: defineSearchAttributeKey('PlazosStatus', SearchAttributeType.KEYWORD),
  due: defineSearchAttributeKey('PlazosDue', SearchAttributeType.DATETIME),
  // What the list pages show without asking the worker (workflows/listing.ts keeps them current).
  // SQL visibility (the dev server, PostgreSQL) allows 3 attributes of each type but Keyword (10):
  // Datetime and Int have one left after these, so the start date is an ISO date in a Keyword.
  title: defineSearchAttributeKey('PlazosTitle', SearchAttributeType.TEXT),
  start: defineSearchAttributeKey('PlazosStart', SearchAttributeType.KEYWORD),
  evidence: defineSearchAttributeKey('PlazosEvidence', SearchAttributeType.INT),
  lastNotice: defineSearchAttributeKey('PlazosLastNotice', SearchAttributeType.DATETIME),
  nextNotice: defineSearchAttributeKey('PlazosNextNotice', SearchAttributeType.DATETIME),
  // The last percentage of progress an area reported (0..100): the third and last Int SQL visibility allows.
  progress: defineSearchAttributeKey('PlazosProgress', SearchAttributeType.INT),
} as const;

/** The plan as each activity workflow needs it: no other activity, no people's names. */
export interface PlanRef {
  id: string;
  title: string;
  year: number;
  entity?: string;
  owner: string;
  timezone: string;
  policy?: NoticePolicyOverride;
}

export interface ActivityWorkflowInput {
  plan: PlanRef;
  activity: PlanActivity;
  /** Non-working days for the years the activity may touch, so the workflow never depends on a library update. */
  calendar: CalendarData;
  locale: NoticeLocale;
  /** Set for the child workflow of one period of a recurring activity. */
  period?: Period;
  /** Upsert search attributes (the dev server and clusters have them registered). */
  searchAttributes?: boolean;
  /** Simulation only: workflow time runs this far from the server's clock (see workflows/clock.ts). */
  clockOffsetMs?: number;
  /** Send the kickoff at once if the activity has already started (see PeriodLifecycle.catchUp). */
  kickoffNow?: boolean;
  /**
   * Set only by a period's own continue-as-new (workflows/continue-as-new.ts): the state of the run
   * that ended, bounded. A run that has it takes up where that one stopped and never catches up again.
   */
  carried?: CarriedPeriodState;
}

/**
 * What one run of a period hands to the next. Plain data, checked by nobody but the workflow that
 * wrote it; its lists are bounded in workflows/continue-as-new.ts so the next run's input stays small.
 */
export interface CarriedPeriodState {
  /** Runs of this period before the one this state starts (1 for the first continued run). */
  runs: number;
  /** The activity as amended (title, deliverable, responsible areas). */
  activity: PlanActivity;
  status: PeriodStatus;
  statusBeforeCheck: PeriodStatus;
  due: string;
  revision: number;
  /** Epoch ms: notices due before it are not sent (PeriodState.horizon). */
  horizon: number;
  /** Keys of the notices already sent for the due date in force: none of them goes out again. */
  sentKeys: string[];
  sent: SentNoticeRecord[];
  evidence: EvidenceRecord[];
  progress: ProgressRecord[];
  progressSources: string[];
  calendarChanges: CalendarChangeRecord[];
  /** Records the bounds dropped in earlier runs: evidence ids and mail keys count on from them. */
  dropped: { evidence: number; amended: number };
  lastNoticeAt: string | null;
  closedAt: string | null;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle: the statuses, defined once in domain/statuses.ts (which the digest's pure code reads too).

export { isClosed, OUTCOMES, PERIOD_STATUSES, type Outcome, type PeriodStatus } from '../domain/statuses';
import type { Outcome, PeriodStatus } from '../domain/statuses';

// ---------------------------------------------------------------------------------------------
// Messages. Validators parse with these schemas, so a bad request is refused before it enters
// the history; the CLI and the web parse with the same schemas first to give a located message.
//
// Each schema is built the first time it parses (z.lazy), not when the module loads: workflow code
// loads this module once per workflow it runs, and most workflows never receive a message. Built
// eagerly they were about a hundred zod objects in every cached workflow (measured with the open-workflows benchmark).

const noLineBreaks = (s: string) => !/[\r\n]/.test(s);
const ProgressPercent = () =>
  z
    .number({ message: 'El avance debe ser un número de 0 a 100.' })
    .int({ message: 'El avance debe ser un número entero de 0 a 100.' })
    .min(0, { message: 'El avance no puede ser menor que 0 %.' })
    .max(100, { message: 'El avance no puede pasar de 100 %.' });
const Text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Falta ${what}.` })
    .max(max, { message: `${what} es demasiado largo (máx. ${max}).` });

export const EvidenceSubmissionSchema = z.lazy(() =>
  z.object({
    evidence: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('url'),
        url: z
          .string()
          .max(2048)
          .refine((u) => /^https?:\/\/[^\s]+$/i.test(u), { message: 'El enlace debe empezar por http:// o https://.' }),
      }),
      z.object({
        kind: z.literal('file'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'Huella sha256 inválida.' }),
        size: z.number().int().min(1, { message: 'El archivo está vacío.' }),
        mediaType: z.string().min(1).max(255),
        name: z.string().min(1).max(255).refine(noLineBreaks, { message: 'Nombre de archivo inválido.' }),
      }),
    ]),
    note: z.string().trim().max(2000, { message: 'La nota es demasiado larga (máx. 2000).' }).optional(),
    /** Who handed it in, as the area code (the web knows it from the signed link). */
    submittedBy: AreaCodeSchema,
    /** The area's own estimate of how far the activity is, sent with the deliverable (0..100). */
    progress: ProgressPercent().optional(),
  }),
);
export type EvidenceSubmission = z.infer<typeof EvidenceSubmissionSchema>;

/**
 * A percentage of progress and a note an area reports on an activity, with or without a deliverable:
 * from the evidence page (`via: 'web'`) or in a reply to a notice (`via: 'email'`, `sourceId` = the
 * reply's Message-ID). The follow-up cuts (Decreto 124 de 2016) report the last one before each cut.
 */
export const ProgressReportSchema = z.lazy(() =>
  z.object({
    percent: ProgressPercent(),
    note: z.string().trim().max(2000, { message: 'La nota es demasiado larga (máx. 2000).' }).optional(),
    reportedBy: AreaCodeSchema,
    via: z.enum(['web', 'email'], { message: 'Origen del avance inválido (web o email).' }),
    /** Where the report came from; the same sourceId reported twice is recorded once (a re-delivered e-mail). */
    sourceId: z.string().min(1).max(200, { message: 'Identificador de origen demasiado largo (máx. 200).' }).optional(),
  }),
);
export type ProgressReport = z.infer<typeof ProgressReportSchema>;

export const ReviewSchema = z.lazy(() =>
  z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('approve'), reason: z.string().trim().max(2000).optional() }),
    z.object({
      decision: z.literal('reject'),
      reason: Text(2000, 'el motivo del rechazo'),
      newDue: IsoDateSchema,
    }),
  ]),
);
export type Review = z.infer<typeof ReviewSchema>;

export const ExtendDeadlineSchema = z.lazy(() =>
  z.object({
    newDue: IsoDateSchema,
    reason: Text(2000, 'el motivo de la prórroga'),
  }),
);
export type ExtendDeadline = z.infer<typeof ExtendDeadlineSchema>;

export const AmendSchema = z.lazy(() =>
  z
    .object({
      title: Text(500, 'el nombre de la actividad').optional(),
      responsible: z.array(AreaCodeSchema).min(1, { message: 'Falta el área responsable.' }).optional(),
      deliverable: Text(1000, 'el entregable').optional(),
      reason: Text(2000, 'el motivo del cambio'),
    })
    .refine((a) => a.title !== undefined || a.responsible !== undefined || a.deliverable !== undefined, {
      message: 'Indique al menos un cambio: nombre, responsables o entregable.',
    }),
);
export type Amend = z.infer<typeof AmendSchema>;

export const CancelSchema = z.lazy(() => z.object({ reason: Text(2000, 'el motivo de la cancelación') }));
export type Cancel = z.infer<typeof CancelSchema>;

/**
 * The national calendar and the entity's days off, as `plazos calendar apply` sends them to a
 * running workflow. Bounded: a few years of about twenty days each, never a whole century.
 */
export const CalendarUpdateSchema = z.lazy(() => {
  const Names = z.object({ es: z.string().min(1).max(200), en: z.string().min(1).max(200) });
  return z
    .object({
      calendar: z.object({
        fromYear: z.number().int().min(1984).max(2100),
        toYear: z.number().int().min(1984).max(2100),
        days: z
          .array(z.object({ date: IsoDateSchema, name: Names, kind: z.enum(['holiday', 'entity']), law: z.string().min(1).max(200).optional() }))
          .max(1000, { message: 'Demasiados días no laborables (máx. 1000).' }),
      }),
    })
    .refine((u) => u.calendar.toYear >= u.calendar.fromYear && u.calendar.toYear - u.calendar.fromYear <= 10, {
      message: 'El calendario debe cubrir de 1 a 11 años seguidos.',
    })
    .refine((u) => u.calendar.days.every((d) => Number(d.date.slice(0, 4)) >= u.calendar.fromYear && Number(d.date.slice(0, 4)) <= u.calendar.toYear), {
      message: 'Hay días fuera de los años que el calendario dice cubrir.',
    });
});
export type CalendarUpdate = z.infer<typeof CalendarUpdateSchema>;

/** What a calendar change did to one workflow: the notices it moved (none for a recurring parent). */
export interface CalendarApplied {
  status: PeriodStatus;
  moved: MovedNotice[];
}

/** A calendar change as the workflow's status keeps it, for the people who ask why a date moved. */
export interface CalendarChangeRecord {
  at: string;
  added: NonWorkingDay[];
  removed: NonWorkingDay[];
  moved: MovedNotice[];
}

export interface EvidenceReceipt {
  evidenceId: string;
  receivedAt: string;
  status: PeriodStatus;
}

export interface ProgressReceipt {
  percent: number;
  receivedAt: string;
  status: PeriodStatus;
}

export interface UpdateResult {
  status: PeriodStatus;
  due: string;
}

export const submitEvidenceUpdate = defineUpdate<EvidenceReceipt, [EvidenceSubmission]>('submitEvidence');
export const reportProgressUpdate = defineUpdate<ProgressReceipt, [ProgressReport]>('reportProgress');
export const reviewUpdate = defineUpdate<UpdateResult, [Review]>('review');
export const extendDeadlineUpdate = defineUpdate<UpdateResult, [ExtendDeadline]>('extendDeadline');
export const amendUpdate = defineUpdate<UpdateResult, [Amend]>('amend');
export const applyCalendarUpdate = defineUpdate<CalendarApplied, [CalendarUpdate]>('applyCalendar');
export const cancelSignal = defineSignal<[Cancel]>('cancel');
export const statusQuery = defineQuery<ActivityStatus>('status');

// ---------------------------------------------------------------------------------------------
// What the status query returns, and what the history keeps of each step.

export interface SentNoticeRecord {
  key: string;
  kind: NoticeKind;
  /** Workflow time the notice went out. */
  at: string;
  /** For a notice of the schedule, the instant the schedule set for it (`at` may be seconds later under load). */
  scheduledAt?: string;
  to: string[];
  cc: string[];
  messageId?: string;
  /** Area codes the SMTP server refused, when any. */
  failed?: string[];
  idempotencyKey: string;
}

export interface EvidenceRecord {
  id: string;
  evidence: EvidenceSubmission['evidence'];
  note?: string;
  submittedBy: string;
  receivedAt: string;
  check?: EvidenceCheck & { checkedAt: string };
  review?: { decision: 'approve' | 'reject'; reason?: string; newDue?: string; at: string };
}

/** One report of progress as the workflow keeps it; `via: 'evidence'` came with a deliverable. */
export interface ProgressRecord {
  percent: number;
  note?: string;
  reportedBy: string;
  via: ProgressReport['via'] | 'evidence';
  at: string;
  sourceId?: string;
  evidenceId?: string;
}

export interface NextNotice {
  kind: ScheduledKind;
  key: string;
  at: string;
  to: string[];
  cc: string[];
  why: { es: string; en: string };
  /** Set when a calendar change moved this notice: the sentence that says where and why. */
  moved?: { from: string; why: { es: string; en: string } };
}

export interface PeriodStatusView {
  kind: 'period';
  workflowId: string;
  planId: string;
  activity: { number: number; title: string; deliverable: string; responsible: string[]; start: string; due: string };
  period: string | null;
  status: PeriodStatus;
  /** The due date in force (after extensions and rejections). */
  due: string;
  revision: number;
  next: NextNotice | null;
  sent: SentNoticeRecord[];
  evidence: EvidenceRecord[];
  /** Reports of progress, oldest first, the last PROGRESS_HISTORY_MAX of them (absent before progress-v1). */
  progress?: ProgressRecord[];
  /** Calendar changes applied while the activity ran (`plazos calendar apply`), oldest first. */
  calendarChanges?: CalendarChangeRecord[];
  closedAt: string | null;
}

export interface RecurringStatusView {
  kind: 'recurring';
  workflowId: string;
  planId: string;
  activity: PeriodStatusView['activity'];
  periods: { key: string; workflowId: string; start: string; due: string; status: PeriodStatus | 'not-started'; closedAt: string | null }[];
  status: PeriodStatus;
  closedAt: string | null;
}

export type ActivityStatus = PeriodStatusView | RecurringStatusView;

export interface ActivityResult {
  activity: number;
  period: string | null;
  status: Outcome;
  closedAt: string;
  /** For a recurring activity, each period's result. */
  periods?: ActivityResult[];
  /** What was sent, for the simulation's report and for audits. */
  sent: SentNoticeRecord[];
}
