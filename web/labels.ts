/** What people read on the pages: statuses, notice kinds and the traffic light, in Spanish. */
import { KIND_LABELS, STATUS_LABELS } from '../domain/labels';
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import type { PeriodStatus } from '../workflows/shared';

export const STATUS_ES = STATUS_LABELS.es;
export const KIND_ES = KIND_LABELS.es;

export type Light = 'rojo' | 'ambar' | 'verde' | 'gris';

/** A row's status: a period's, a period not started yet, or none known (the index had no PlazosStatus). */
export type RowStatus = PeriodStatus | 'not-started' | 'unknown';

export function statusLabel(status: RowStatus): string {
  return status === 'unknown' ? 'sin dato' : STATUS_ES[status];
}

/** Red needs OAPLA now; amber is close to or past due; green is delivered; grey is not running (or unknown). */
export function lightOf(status: RowStatus): Light {
  switch (status) {
    case 'escalated':
    case 'missed':
      return 'rojo';
    case 'due':
    case 'reminded':
    case 'late':
      return 'ambar';
    case 'checking':
    case 'in-review':
    case 'on-time':
      return 'verde';
    default:
      return 'gris';
  }
}

/** Escalated first, then by how urgent the light is, then by activity number. */
export function urgency(status: RowStatus): number {
  if (status === 'escalated') return 0;
  return { rojo: 1, ambar: 2, verde: 4, gris: 3 }[lightOf(status)];
}

/** Temporal's state of a workflow run, as the index reports it when the worker does not answer. */
export function executionLabel(execution: WorkflowExecutionStatusName): string {
  const labels: Partial<Record<WorkflowExecutionStatusName, string>> = {
    RUNNING: 'en seguimiento',
    COMPLETED: 'seguimiento terminado',
    TERMINATED: 'detenido por un administrador',
    FAILED: 'falló',
    CANCELLED: 'cancelado',
    TIMED_OUT: 'venció el tiempo de ejecución',
    PAUSED: 'en pausa',
  };
  return labels[execution] ?? execution.toLowerCase();
}

const MONTHS_SHORT = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];

/** `ene` for 1 … `dic` for 12: the months as es-CO abbreviates them on the pages and the timeline. */
export function monthShort(month: number): string {
  return MONTHS_SHORT[month - 1] ?? String(month);
}

/**
 * A date as people in Colombia write it on the pages: `2026-11-30` reads `30 nov 2026`, and an
 * instant `2026-11-20 08:00` (or `2026-11-20T08:00…`) reads `20 nov 2026, 08:00`. The pages print
 * dates through this alone; the CSV, the JSON and the calendar feeds keep ISO for the machines.
 * Anything that is not such a date (empty, already written out) comes back as it was.
 */
export function dateLabel(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value);
  if (!m) return value;
  const [, y, mo, d, hh, mm] = m;
  const day = `${Number(d)} ${monthShort(Number(mo))} ${y}`;
  return hh ? `${day}, ${hh}:${mm}` : day;
}

/** `30/11/2026` from `2026-11-30`: how the filter's text boxes show a date they hold. */
export function dateInputValue(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * What a person typed in a date box, as ISO: `30/11/2026`, `30-11-2026`, `3/1/2026` (day first,
 * as in Colombia), or `2026-11-30` (the links the pages and older bookmarks carry). Null when it is
 * no such date or no day of the calendar (`31/02/2026`).
 */
export function parseDateInput(text: string): string | null {
  const s = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}
