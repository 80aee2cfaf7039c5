/**
 * What status, the pages and /health say about mail that is not leaving: the notices a worker could
 * not send yet (activities/email/send-once.ts lists them in the store), read in one query, never
 * per workflow.
 */
import { unsentSince, unsentWhen } from '../activities/email/unsent';
import type { Records, UnsentNoticeRow, UnsentSummary } from '../store/records';
import { KIND_LABELS, type LabelLocale } from '../domain/labels';

/** A page or a status lists at most this many; the summary still counts them all. */
export const UNSENT_LIST_MAX = 500;

export interface UnsentNote {
  workflowId: string;
  planId: string;
  kind: string;
  /** "aviso de inicio sin enviar desde 7 dic 2026, 09:12: El servidor rechazó la conexión…" */
  text: string;
  fix: string;
  since: number;
  attempts: number;
}

export interface UnsentReading {
  summary: UnsentSummary;
  /** The oldest first; at most UNSENT_LIST_MAX. */
  notes: UnsentNote[];
  /** The oldest unsent notice of each workflow. */
  byWorkflow: Map<string, UnsentNote>;
}

const WORDS = {
  es: { notice: (kind: string) => `aviso de ${kind}`, unsent: 'sin enviar desde' },
  en: { notice: (kind: string) => `${kind} notice`, unsent: 'not sent since' },
} satisfies Record<LabelLocale, unknown>;

export function unsentText(row: Pick<UnsentNoticeRow, 'kind' | 'firstFailedAt' | 'reason'>, locale: LabelLocale = 'es'): string {
  const words = WORDS[locale];
  const kind = KIND_LABELS[locale][row.kind] ?? row.kind;
  return `${words.notice(kind)} ${words.unsent} ${unsentWhen(row.firstFailedAt, locale)}: ${row.reason}`;
}

export async function readUnsent(
  records: Pick<Records, 'unsent'>,
  nowMs: number,
  opts: { planId?: string; locale?: LabelLocale } = {},
): Promise<UnsentReading> {
  const sinceMs = unsentSince(nowMs);
  const where = { sinceMs, ...(opts.planId !== undefined ? { planId: opts.planId } : {}) };
  const [summary, rows] = await Promise.all([records.unsent.summary(where), records.unsent.list({ ...where, limit: UNSENT_LIST_MAX })]);
  const notes = rows.map((r) => ({
    workflowId: r.workflowId,
    planId: r.planId,
    kind: r.kind,
    text: unsentText(r, opts.locale),
    fix: r.fix,
    since: r.firstFailedAt,
    attempts: r.attempts,
  }));
  const byWorkflow = new Map<string, UnsentNote>();
  for (const note of notes) if (!byWorkflow.has(note.workflowId)) byWorkflow.set(note.workflowId, note);
  return { summary, notes, byWorkflow };
}

/** How many notices of each plan are waiting, counted by the store in one grouped query. */
export function unsentPerPlan(records: Pick<Records, 'unsent'>, nowMs: number): Promise<Map<string, number>> {
  return records.unsent.perPlan({ sinceMs: unsentSince(nowMs) });
}

/** One sentence for a banner or /health: how many, since when, the latest reason and what to change. */
export function unsentHeadline(summary: UnsentSummary, locale: LabelLocale = 'es'): string | null {
  if (summary.count === 0 || summary.since === null || !summary.latest) return null;
  const when = unsentWhen(summary.since, locale);
  return locale === 'es'
    ? `El correo no está saliendo: ${summary.count} ${summary.count === 1 ? 'aviso' : 'avisos'} sin enviar desde ${when}. Último motivo: ${summary.latest.reason} Qué hacer: ${summary.latest.fix}`
    : `Mail is not going out: ${summary.count} ${summary.count === 1 ? 'notice' : 'notices'} not sent since ${when}. Latest reason: ${summary.latest.reason} What to do: ${summary.latest.fix}`;
}
