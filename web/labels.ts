/** What people read on the pages: statuses, notice kinds and the traffic light, in Spanish. */
import { KIND_LABELS, STATUS_LABELS } from '../client/labels';
import type { PeriodStatus } from '../workflows/shared';

export const STATUS_ES = STATUS_LABELS.es;
export const KIND_ES = KIND_LABELS.es;

export type Light = 'rojo' | 'ambar' | 'verde' | 'gris';

/** Red needs OAPLA now; amber is close to or past due; green is delivered; grey is not running. */
export function lightOf(status: PeriodStatus | 'not-started'): Light {
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
export function urgency(status: PeriodStatus | 'not-started'): number {
  if (status === 'escalated') return 0;
  return { rojo: 1, ambar: 2, verde: 4, gris: 3 }[lightOf(status)];
}
