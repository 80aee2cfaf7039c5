/** What people read on the pages: statuses, notice kinds and the traffic light, in Spanish. */
import type { PeriodStatus } from '../workflows/shared';

export const STATUS_ES: Record<PeriodStatus | 'not-started', string> = {
  scheduled: 'programada', active: 'en curso', reminded: 'recordada', due: 'vence hoy', escalated: 'escalada',
  checking: 'verificando', 'in-review': 'en revisión', 'on-time': 'a tiempo', late: 'tarde', missed: 'incumplida',
  cancelled: 'cancelada', 'not-started': 'sin iniciar',
};

export const KIND_ES: Record<string, string> = {
  kickoff: 'inicio', reminder: 'recordatorio', due: 'vencimiento', escalation: 'escalamiento', missed: 'incumplido',
  'evidence-received': 'evidencia recibida', 'check-failed': 'verificación fallida', 'review-requested': 'revisión solicitada',
  approved: 'aprobada', rejected: 'rechazada', extended: 'prórroga', amended: 'cambio', cancelled: 'cancelada', 'delivery-failed': 'fallo de entrega',
  submitEvidence: 'evidencia entregada', review: 'revisión', extendDeadline: 'prórroga', amend: 'cambio', cancel: 'cancelación',
  started: 'seguimiento iniciado', 'period-started': 'periodo iniciado', closed: 'cerrada', ok: 'verificación correcta',
};

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
