/**
 * How statuses and notice kinds read for people, in Spanish and English: one table for the CLI,
 * the simulation's summary and the web pages.
 */
import type { PeriodStatus } from '../workflows/shared';

export type LabelLocale = 'es' | 'en';

export const STATUS_LABELS: Record<LabelLocale, Record<PeriodStatus | 'not-started', string>> = {
  es: {
    scheduled: 'programada', active: 'en curso', reminded: 'recordada', due: 'vence hoy', escalated: 'escalada',
    checking: 'verificando', 'in-review': 'en revisión', 'on-time': 'a tiempo', late: 'tarde', missed: 'incumplida',
    cancelled: 'cancelada', 'not-started': 'sin iniciar',
  },
  en: {
    scheduled: 'scheduled', active: 'active', reminded: 'reminded', due: 'due today', escalated: 'escalated',
    checking: 'checking', 'in-review': 'in review', 'on-time': 'on time', late: 'late', missed: 'missed',
    cancelled: 'cancelled', 'not-started': 'not started',
  },
};

/** Notice kinds, and the names of the updates, signals and timeline steps that appear beside them. */
export const KIND_LABELS: Record<LabelLocale, Record<string, string>> = {
  es: {
    kickoff: 'inicio', reminder: 'recordatorio', due: 'vencimiento', escalation: 'escalamiento', missed: 'incumplido',
    'evidence-received': 'evidencia recibida', 'check-failed': 'verificación fallida', 'review-requested': 'revisión solicitada',
    approved: 'aprobada', rejected: 'rechazada', extended: 'prórroga', amended: 'cambio', cancelled: 'cancelada', 'delivery-failed': 'fallo de entrega',
    submitEvidence: 'evidencia entregada', review: 'revisión', extendDeadline: 'prórroga', amend: 'cambio', cancel: 'cancelación',
    started: 'seguimiento iniciado', 'period-started': 'periodo iniciado', closed: 'cerrada', ok: 'verificación correcta',
  },
  en: {
    kickoff: 'kickoff', reminder: 'reminder', due: 'due', escalation: 'escalation', missed: 'missed',
    'evidence-received': 'evidence received', 'check-failed': 'check failed', 'review-requested': 'review requested',
    approved: 'approved', rejected: 'rejected', extended: 'extended', amended: 'amended', cancelled: 'cancelled', 'delivery-failed': 'delivery failed',
    submitEvidence: 'evidence submitted', review: 'review', extendDeadline: 'extension', amend: 'change', cancel: 'cancellation',
    started: 'follow-up started', 'period-started': 'period started', closed: 'closed', ok: 'check passed',
  },
};
