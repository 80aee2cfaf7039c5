/**
 * Validates a notice at the activity's edge. The workflow builds it, but history outlives code:
 * a malformed input (an old workflow, a hand-started one) must fail clearly, not send a broken mail.
 */
import { z } from 'zod';
import { AreaCodeSchema, IsoDateSchema } from '../../plans/model';
import { NOTICE_KINDS, NOTICE_LOCALES, type NoticeEmailInput } from './types';

/** True for an absolute http(s) URL: links are put in an href, so no `javascript:` or `data:`. */
export function isHttpUrl(value: string): boolean {
  if (/[\p{Cc}\s]/u.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const HttpUrlSchema = z.string().refine(isHttpUrl, { message: 'El enlace debe ser una URL http o https.' });
const TextSchema = z.string().max(4000, { message: 'El texto es demasiado largo (máximo 4000 caracteres).' });

export const NoticeEmailInputSchema = z.object({
  idempotencyKey: z
    .string()
    .min(1, { message: 'Falta la clave de idempotencia.' })
    .max(300)
    .refine((k) => !/\p{Cc}/u.test(k), { message: 'La clave no puede contener caracteres de control.' }),
  kind: z.enum(NOTICE_KINDS),
  locale: z.enum(NOTICE_LOCALES),
  to: z.array(AreaCodeSchema).min(1, { message: 'El aviso necesita al menos un área destinataria.' }),
  cc: z.array(AreaCodeSchema),
  plan: z.object({
    id: z.string().min(1),
    title: TextSchema.min(1),
    year: z.number().int(),
    entity: TextSchema.optional(),
    owner: AreaCodeSchema.optional(),
  }),
  activity: z.object({
    number: z.number().int().min(1),
    title: TextSchema.min(1),
    deliverable: TextSchema.min(1),
    start: IsoDateSchema,
    due: IsoDateSchema,
    responsible: z.array(AreaCodeSchema).min(1),
  }),
  period: z.string().max(100).nullable(),
  dueDate: IsoDateSchema,
  reason: TextSchema.optional(),
  detail: z
    .object({
      escalation: z.number().int().min(1).optional(),
      maxEscalations: z.number().int().min(0).optional(),
      note: TextSchema.optional(),
      checkMessage: TextSchema.optional(),
      rejectReason: TextSchema.optional(),
      newDue: IsoDateSchema.optional(),
      evidenceUrl: HttpUrlSchema.optional(),
      failedRecipients: z.array(AreaCodeSchema).optional(),
    })
    .optional(),
  links: z.object({ evidence: HttpUrlSchema.optional() }).optional(),
});

// Fails to compile if the schema and the hand-written interface drift apart.
const _schemaMatchesInterface: z.ZodType<NoticeEmailInput> = NoticeEmailInputSchema;
void _schemaMatchesInterface;
