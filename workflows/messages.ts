/**
 * The messages an activity's workflow takes (updates and a signal), their payload schemas and what
 * each answers. Deterministic (zod and plain data): workflow code imports it. workflows/shared.ts
 * hands it on with the rest of what workflows and clients agree on.
 */
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { NonWorkingDay } from '../calendar/business-calendar';
import type { MovedNotice } from '../calendar/reason';
import type { PeriodStatus } from '../domain/statuses';
import { AreaCodeSchema, IsoDateSchema } from '../plans/field-schemas';

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
