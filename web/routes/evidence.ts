/**
 * Evidence by secure link: an area lead opens the link from a notice, sees the activity and what
 * was sent so far, and hands in a URL or a file with a note. The token is checked before anything
 * else is read, and a refused token says nothing about any activity.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { checkUpload, evidenceMessage, readUpload } from '../../activities/evidence';
import { verifyEvidenceToken } from '../../activities/email/links';
import { readStatus, tryUpdate, handleOf, type StatusReading } from '../../client/operations';
import {
  EvidenceSubmissionSchema,
  isClosed,
  ProgressReportSchema,
  reportProgressUpdate,
  submitEvidenceUpdate,
  type PeriodStatusView,
} from '../../workflows/shared';
import { describeRefusal, type Sender, type WriteKind } from '../../client/write-gate';
import { PLAN_TIMEZONE } from '../../calendar/policy';
import { message, page, type Ctx } from '../context';
import { formParts, formToken, fromBody, renewCsrf } from '../forms';
import { activityView, indexedActivityView } from '../activity-view';

const REFUSED = {
  malformed: [
    403,
    'Enlace no válido',
    'Este enlace no es válido. Use el enlace completo del último correo que recibió, o pida uno nuevo a la Oficina Asesora de Planeación.',
  ],
  'bad-signature': [
    403,
    'Enlace no válido',
    'Este enlace no es válido. Use el enlace completo del último correo que recibió, o pida uno nuevo a la Oficina Asesora de Planeación.',
  ],
  expired: [410, 'Enlace vencido', 'Este enlace ya venció. Use el enlace del correo más reciente, o pida uno nuevo a la Oficina Asesora de Planeación.'],
} as const;

/**
 * One hand-in of evidence or progress: for which activity, recorded as which area, counted as which
 * sender, and where its form posts back. Reached by a notice's link (the token is the credential) or
 * by a signed-in person from their page (routes/lead.ts); both go through the same checks and bounds.
 */
export interface HandIn {
  workflowId: string;
  /** The area recorded as the sender (`submittedBy`, `reportedBy`). */
  area: string;
  /** Counted by the write gate; null for OAPLA, whose own actions always get through. */
  sender: Sender | null;
  /** The form's own address: it posts back to itself. */
  action: string;
  status: PeriodStatusView;
  /** A signed-in person's name, for the layout; none for a link holder. */
  user?: string;
  /** The page of the signed-in person's activities, which the form links back to. */
  list?: string;
  /** Shown without the form: Control Interno reads and sends nothing. */
  readOnly?: boolean;
}

/**
 * The grant and the activity's full status, or null once a page has been sent: a refused link, no
 * such activity, or a worker that did not answer in time (`error` then says what did not happen).
 */
async function granted(ctx: Ctx, req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply, error?: string): Promise<HandIn | null> {
  const check = verifyEvidenceToken(req.params.token, ctx.keys.links, ctx.today());
  if (!check.ok) {
    const [code, title, text] = REFUSED[check.reason];
    message(ctx, reply, code, title, text);
    return null;
  }
  const status = periodStatus(ctx, reply, await readStatus(ctx.client, check.grant.workflowId), check.grant.area, error);
  if (!status) return null;
  const token = req.params.token;
  return { workflowId: check.grant.workflowId, area: check.grant.area, sender: { link: token }, action: `/evidencia/${token}`, status };
}

/**
 * The activity's full status when its worker answers; otherwise a page (what the index knows, or
 * not found) has been sent and the answer is null.
 */
export function periodStatus(
  ctx: Ctx,
  reply: FastifyReply,
  reading: StatusReading | null,
  area: string,
  error?: string,
  user?: string,
): PeriodStatusView | null {
  if (reading?.source === 'index') {
    showIndexed(ctx, reply, area, reading, error, user);
    return null;
  }
  if (!reading || reading.status.kind !== 'period') {
    message(ctx, reply, 404, 'Actividad no encontrada', 'La actividad ya no está en seguimiento. Consulte a la Oficina Asesora de Planeación.');
    return null;
  }
  return reading.status;
}

/**
 * What the server's index knows, without the form: handing in evidence is an update, which needs
 * the worker. 503 with Retry-After while the activity is open (try again soon); 200 once the index
 * says it is closed, since then no retry would help.
 */
function showIndexed(ctx: Ctx, reply: FastifyReply, area: string, reading: Extract<StatusReading, { source: 'index' }>, error?: string, user?: string) {
  const view = indexedActivityView(reading.index, reading.deadlineMs);
  if (!view.closed) reply.header('Retry-After', '60');
  return page(ctx, reply, view.closed ? 200 : 503, 'evidence-index', {
    title: `Actividad ${view.activity.number ?? ''}`.trim(),
    ...view,
    area,
    user,
    error: view.closed ? undefined : error,
  });
}

export function showForm(ctx: Ctx, reply: FastifyReply, h: HandIn, code = 200, error?: string, values: Record<string, string> = {}) {
  return page(ctx, reply, code, 'evidence', {
    title: `Actividad ${h.status.activity.number}`,
    ...activityView(h.status),
    area: h.area,
    closed: isClosed(h.status.status),
    action: h.action,
    csrf: formToken(reply),
    maxMb: Math.floor(ctx.maxUploadBytes / (1024 * 1024)),
    error,
    values,
    user: h.user,
    list: h.list,
    readOnly: h.readOnly,
  });
}

interface FileFields {
  sha256: string;
  size: number;
  mediaType: string;
  name: string;
}
interface FormFields {
  url?: string;
  note?: string;
  progress?: string;
  file?: FileFields & { bytes: Buffer };
}

class FormError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 413 = 400,
  ) {
    super(message);
  }
}

const FIELD_NAMES: Record<string, string> = { url: 'enlace', note: 'nota', progress: 'avance', _csrf: 'formulario' };
const FORM_FIELDS = new Set(['_csrf', 'url', 'note', 'progress']);

/** Read and checked in full, but not stored yet: a form refused for any later part stores nothing. */
async function readFile(ctx: Ctx, part: MultipartFile): Promise<FormFields['file']> {
  const bytes = await fromBody(readUpload(part.file, ctx.maxUploadBytes));
  if (!bytes) throw new FormError(evidenceMessage('too-large', { maxBytes: ctx.maxUploadBytes }).es, 413);
  const check = await checkUpload(part.filename, bytes, ctx.maxUploadBytes);
  if (!check.ok) throw new FormError(check.message, check.status);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mediaType: check.mediaType, name: check.name };
}

/** Reads the form in order, from where the CSRF check stopped (forms.ts): its token was good. */
async function readForm(ctx: Ctx, req: FastifyRequest): Promise<FormFields> {
  const fields: FormFields = {};
  for await (const part of formParts(req)) {
    if (part.type === 'file') {
      if (!part.filename) {
        part.file.resume();
        continue;
      }
      if (fields.file) throw new FormError('Adjunte un solo archivo.');
      fields.file = await readFile(ctx, part);
    } else if (FORM_FIELDS.has(part.fieldname)) {
      // busboy cuts a field at the size limit without a word: a cut note or link is refused, not kept.
      if (part.valueTruncated) throw new FormError(`El campo "${FIELD_NAMES[part.fieldname]}" es demasiado largo.`, 413);
      if (part.fieldname === '_csrf') continue;
      fields[part.fieldname as 'url' | 'note' | 'progress'] = typeof part.value === 'string' ? part.value : '';
    }
  }
  return fields;
}

/** The progress field: empty is none; anything but a whole number 0..100 is refused (the schema says why). */
function progressOf(text: string | undefined): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') return { ok: true, value: undefined };
  if (!/^\d{1,3}$/.test(trimmed)) return { ok: false, error: 'El avance debe ser un número entero de 0 a 100.' };
  return { ok: true, value: Number(trimmed) };
}

type Submission = { ok: true; kind: 'evidence' | 'progress'; value: unknown } | { ok: false; error: string };

/** A link or a file is evidence (with its progress, if given); progress alone is a progress report. */
function submissionOf(fields: Omit<FormFields, 'file'> & { file?: FileFields }, area: string): Submission {
  const url = fields.url?.trim() ?? '';
  const progress = progressOf(fields.progress);
  if (!progress.ok) return progress;
  const note = fields.note?.trim() || undefined;
  if (url && fields.file) return { ok: false, error: 'Indique un enlace o adjunte un archivo (uno de los dos).' };
  if (!url && !fields.file) {
    if (progress.value === undefined) return { ok: false, error: 'Indique un enlace, adjunte un archivo o escriba el avance en %.' };
    const parsed = ProgressReportSchema.safeParse({ percent: progress.value, note, reportedBy: area, via: 'web' });
    if (parsed.success) return { ok: true, kind: 'progress', value: parsed.data };
    return { ok: false, error: parsed.error.issues[0]?.message ?? 'Datos inválidos.' };
  }
  const evidence = fields.file ? { kind: 'file', ...fields.file } : { kind: 'url', url };
  const parsed = EvidenceSubmissionSchema.safeParse({
    evidence,
    note,
    submittedBy: area,
    ...(progress.value !== undefined ? { progress: progress.value } : {}),
  });
  if (parsed.success) return { ok: true, kind: 'evidence', value: parsed.data };
  return { ok: false, error: parsed.error.issues[0]?.message ?? 'Datos inválidos.' };
}

/**
 * True once a Spanish 429 page with Retry-After went out: this link or this activity has written
 * enough for now. (A boolean, not the reply: a reply is thenable, and awaiting it waits for it.)
 */
async function writeRefused(ctx: Ctx, reply: FastifyReply, kind: WriteKind, sender: Sender | null, workflowId: string): Promise<boolean> {
  if (!sender) return false;
  const admission = await ctx.writeGate.admit({ kind, sender, workflowId });
  if (admission.ok) return false;
  reply.header('retry-after', String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))));
  const title = kind === 'progress' ? 'Demasiados reportes de avance' : 'Demasiadas evidencias';
  message(ctx, reply, 429, title, `${describeRefusal(admission, ctx.now(), PLAN_TIMEZONE).es} No se recibió este envío.`);
  return true;
}

/**
 * Reads the form, checks it in full, counts it, stores its file and sends it to the workflow: the
 * same for a link and for a signed-in person. Returns the reply with the receipt or the refusal.
 */
export async function handIn(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, h: HandIn): Promise<FastifyReply> {
  if (!req.isMultipart()) return showForm(ctx, reply, h, 400, 'Envíe el formulario de esta página.');
  let fields: FormFields;
  try {
    fields = await readForm(ctx, req);
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    return showForm(ctx, reply, h, err.status, err.message);
  }
  const values = { url: fields.url ?? '', note: fields.note ?? '', progress: fields.progress ?? '' };
  const upload = fields.file;
  const file: FileFields | undefined = upload && { sha256: upload.sha256, size: upload.size, mediaType: upload.mediaType, name: upload.name };
  const submission = submissionOf({ ...fields, file }, h.area);
  if (!submission.ok) return showForm(ctx, reply, h, 400, submission.error, values);
  // Counted before anything is stored or sent: a sender cannot flood the workflow, nor the area's
  // and OAPLA's inboxes with the mail each failed evidence check sends.
  if (await writeRefused(ctx, reply, submission.kind, h.sender, h.workflowId)) return reply;
  const receipt = { ...activityView(h.status), back: h.action, user: h.user };
  if (submission.kind === 'progress') {
    const reported = await tryUpdate(() => handleOf(ctx.client, h.workflowId).executeUpdate(reportProgressUpdate, { args: [submission.value as never] }));
    if (!reported.ok) return showForm(ctx, reply, h, 409, `La actividad no aceptó el avance: ${reported.message}`, values);
    renewCsrf(reply);
    return page(ctx, reply, 200, 'receipt', { title: 'Avance recibido', ...receipt, progressOnly: true, receipt: reported.value });
  }
  // Only a form that passed every check stores its file, under the hash it was checked with.
  if (upload) await ctx.store.put(upload.bytes, { maxBytes: ctx.maxUploadBytes });
  const sent = await tryUpdate(() => handleOf(ctx.client, h.workflowId).executeUpdate(submitEvidenceUpdate, { args: [submission.value as never] }));
  if (!sent.ok) return showForm(ctx, reply, h, 409, `La actividad no aceptó la evidencia: ${sent.message}`, values);
  // The token of this form is spent: the same form sent again (a replay, a second click) is refused.
  renewCsrf(reply);
  return page(ctx, reply, 200, 'receipt', { title: 'Evidencia recibida', ...receipt, receipt: sent.value });
}

export function evidenceRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Params: { token: string } }>('/evidencia/:token', async (req, reply) => {
    const h = await granted(ctx, req, reply);
    return h ? showForm(ctx, reply, h) : reply;
  });

  app.post<{ Params: { token: string } }>('/evidencia/:token', async (req, reply) => {
    const h = await granted(ctx, req, reply, 'No se recibió la evidencia: envíela de nuevo cuando el motor responda.');
    return h ? handIn(ctx, req, reply, h) : reply;
  });
}
