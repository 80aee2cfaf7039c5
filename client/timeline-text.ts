/**
 * One line of an activity's history in words: what an update or a signal asked and what it did
 * ("calendario aplicado: 3 avisos movidos; 85 días no laborables de 2023 a 2027"), never the raw
 * message. A calendar apply carries the whole calendar (about 9 KB of JSON); a terminal line and a
 * page row must stay one line, so what people wrote is cut to fit.
 */
import type { TimelineEntry } from './timeline';

export type TimelineLang = 'es' | 'en';

/** Characters of a sentence, after the time: one line of an 120-column terminal. */
export const SENTENCE_MAX = 100;

type Args = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Cuts to `max` characters (whole code points), ending in "…" when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** `head` in full, then `: tail` cut to what is left of the line. */
function withTail(head: string, tail: string): string {
  if (!tail) return clip(head, SENTENCE_MAX);
  const room = SENTENCE_MAX - [...head].length - 2;
  return room < 8 ? clip(head, SENTENCE_MAX) : `${head}: ${clip(tail, room)}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const WORDS = {
  es: {
    evidence: (by: string, what: string) => `evidencia entregada${by ? ` por ${by}` : ''}${what ? ` (${what})` : ''}`,
    link: 'enlace',
    file: 'archivo',
    progress: (pct: number | null, by: string) => `avance del ${pct ?? '?'} %${by ? ` reportado por ${by}` : ''}`,
    approve: 'evidencia aprobada',
    reject: (due: string) => `evidencia rechazada${due ? `, nueva fecha ${due}` : ''}`,
    extend: (due: string) => `prórroga hasta ${due || '?'}`,
    amend: (what: string[]) => `actividad modificada (${what.join(', ')})`,
    amendParts: { title: 'nombre', deliverable: 'entregable', responsible: (a: string[]) => `responsables ${a.join(', ')}` },
    calendar: (moved: number | null, days: number, from: number | null, to: number | null) =>
      `calendario aplicado: ${moved === null ? 'avisos por recalcular' : moved === 0 ? 'ningún aviso movido' : plural(moved, 'aviso movido', 'avisos movidos')}; ${plural(days, 'día no laborable', 'días no laborables')}${from && to ? ` de ${from} a ${to}` : ''}`,
    cancel: 'cancelación pedida',
    refused: 'no aplicada',
    other: (name: string) => `mensaje ${name}`,
  },
  en: {
    evidence: (by: string, what: string) => `evidence handed in${by ? ` by ${by}` : ''}${what ? ` (${what})` : ''}`,
    link: 'link',
    file: 'file',
    progress: (pct: number | null, by: string) => `progress ${pct ?? '?'} %${by ? ` reported by ${by}` : ''}`,
    approve: 'evidence approved',
    reject: (due: string) => `evidence rejected${due ? `, new due date ${due}` : ''}`,
    extend: (due: string) => `extended to ${due || '?'}`,
    amend: (what: string[]) => `activity amended (${what.join(', ')})`,
    amendParts: { title: 'title', deliverable: 'deliverable', responsible: (a: string[]) => `responsible ${a.join(', ')}` },
    calendar: (moved: number | null, days: number, from: number | null, to: number | null) =>
      `calendar applied: ${moved === null ? 'notices to recompute' : moved === 0 ? 'no notice moved' : plural(moved, 'notice moved', 'notices moved')}; ${plural(days, 'non-working day', 'non-working days')}${from && to ? ` from ${from} to ${to}` : ''}`,
    cancel: 'cancellation asked',
    refused: 'not applied',
    other: (name: string) => `message ${name}`,
  },
} as const;

/** The sentence of an update or signal entry; other kinds of entry have their own wording. */
export function messageSentence(entry: TimelineEntry, lang: TimelineLang = 'es'): string {
  const w = WORDS[lang];
  const args = ((entry.details?.args as unknown[] | undefined)?.[0] ?? {}) as Args;
  const refused = entry.details?.refused;
  const sentence = sentenceOf(entry.name, args, entry.details?.result, lang);
  if (typeof refused !== 'string') return sentence;
  // The refusal in full as far as it goes: it says why nothing changed.
  const suffix = ` · ${w.refused}: ${clip(refused.replace(/\s+/g, ' ').trim(), 50)}`;
  return `${clip(sentence, SENTENCE_MAX - [...suffix].length)}${suffix}`;
}

function sentenceOf(name: string, args: Args, result: unknown, lang: TimelineLang): string {
  const w = WORDS[lang];
  switch (name) {
    case 'submitEvidence': {
      const ev = (args.evidence ?? {}) as Args;
      const what = ev.kind === 'url' ? `${w.link} ${str(ev.url)}` : ev.kind === 'file' ? `${w.file} ${str(ev.name)}` : '';
      return withTail(w.evidence(str(args.submittedBy), clip(what, 50)), str(args.note));
    }
    case 'reportProgress':
      return withTail(w.progress(num(args.percent), str(args.reportedBy)), str(args.note));
    case 'review':
      return withTail(args.decision === 'approve' ? w.approve : w.reject(str(args.newDue)), str(args.reason));
    case 'extendDeadline':
      return withTail(w.extend(str(args.newDue)), str(args.reason));
    case 'amend': {
      const parts = [
        ...(args.title !== undefined ? [w.amendParts.title] : []),
        ...(args.deliverable !== undefined ? [w.amendParts.deliverable] : []),
        ...(args.responsible !== undefined ? [w.amendParts.responsible(list(args.responsible))] : []),
      ];
      return withTail(w.amend(parts), str(args.reason));
    }
    case 'applyCalendar': {
      const calendar = (args.calendar ?? {}) as Args;
      const days = Array.isArray(calendar.days) ? calendar.days.length : 0;
      const moved = result && typeof result === 'object' && Array.isArray((result as Args).moved) ? ((result as Args).moved as unknown[]).length : null;
      return clip(w.calendar(moved, days, num(calendar.fromYear), num(calendar.toYear)), SENTENCE_MAX);
    }
    case 'cancel':
      return withTail(w.cancel, str(args.reason));
    default:
      return clip(w.other(name), SENTENCE_MAX);
  }
}
