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
