/**
 * How statuses and notice kinds read for people, in Spanish and English: one table for the CLI,
 * the simulation's summary, the web pages and the digest and cut reports the activities write.
 */
import type { NoticeKind } from './notice-kinds';
import type { PeriodStatus } from './statuses';

export type LabelLocale = 'es' | 'en';

export const STATUS_LABELS: Record<LabelLocale, Record<PeriodStatus | 'not-started', string>> = {
  es: {
    scheduled: 'programada',
    active: 'en curso',
    reminded: 'recordada',
    due: 'vence hoy',
    escalated: 'escalada',
    checking: 'verificando',
    'in-review': 'en revisión',
    'on-time': 'a tiempo',
    late: 'tarde',
    missed: 'incumplida',
    cancelled: 'cancelada',
    'not-started': 'sin iniciar',
  },
  en: {
    scheduled: 'scheduled',
    active: 'active',
    reminded: 'reminded',
    due: 'due today',
    escalated: 'escalated',
    checking: 'checking',
    'in-review': 'in review',
    'on-time': 'on time',
    late: 'late',
    missed: 'missed',
    cancelled: 'cancelled',
    'not-started': 'not started',
  },
};

/** Each kind of notice as people read it: typed by the list of kinds, so a new kind without its label does not compile. */
export const NOTICE_KIND_LABELS: Record<LabelLocale, Record<NoticeKind, string>> = {
  es: {
    kickoff: 'inicio',
    reminder: 'recordatorio',
    due: 'vencimiento',
    escalation: 'escalamiento',
    missed: 'incumplido',
    'evidence-received': 'evidencia recibida',
    'check-failed': 'verificación fallida',
    'review-requested': 'revisión solicitada',
    approved: 'aprobada',
    rejected: 'rechazada',
    extended: 'prórroga',
    amended: 'cambio',
    cancelled: 'cancelada',
    'delivery-failed': 'fallo de entrega',
  },
  en: {
    kickoff: 'kickoff',
    reminder: 'reminder',
    due: 'due',
    escalation: 'escalation',
    missed: 'missed',
    'evidence-received': 'evidence received',
    'check-failed': 'check failed',
    'review-requested': 'review requested',
    approved: 'approved',
    rejected: 'rejected',
    extended: 'extended',
    amended: 'amended',
    cancelled: 'cancelled',
    'delivery-failed': 'delivery failed',
  },
};

/** The updates, signals and timeline steps that appear beside the notices in an activity's history. */
const STEP_LABELS: Record<LabelLocale, Record<string, string>> = {
  es: {
    submitEvidence: 'evidencia entregada',
    review: 'revisión',
    extendDeadline: 'prórroga',
    amend: 'cambio',
    cancel: 'cancelación',
    started: 'seguimiento iniciado',
    'period-started': 'periodo iniciado',
    closed: 'cerrada',
    ok: 'verificación correcta',
  },
  en: {
    submitEvidence: 'evidence submitted',
    review: 'review',
    extendDeadline: 'extension',
    amend: 'change',
    cancel: 'cancellation',
    started: 'follow-up started',
    'period-started': 'period started',
    closed: 'closed',
    ok: 'check passed',
  },
};

/** Notice kinds and history steps by name, for what reads a name from a history or a store row. */
export const KIND_LABELS: Record<LabelLocale, Record<string, string>> = {
  es: { ...NOTICE_KIND_LABELS.es, ...STEP_LABELS.es },
  en: { ...NOTICE_KIND_LABELS.en, ...STEP_LABELS.en },
};
