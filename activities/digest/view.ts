/**
 * The digest as its templates see it: dates and statuses already in the reader's language, links
 * built here (http/https from configuration), plan text left as data for the templates to escape.
 */
import type { AreasDirectory } from '../../plans/areas';
import type { DigestEntry } from '../../calendar/digest';
import { formatDate } from '../../calendar/reason';
import { periodLabel } from '../email/dates';
import { STATUS_LABELS } from '../../domain/labels';
import type { SendDigestInput } from './types';

export interface DigestItemView {
  activity: number;
  period: string | null;
  title: string;
  responsible: string;
  due: string;
  status: string;
  url: string | null;
}

export interface DigestView {
  locale: 'es' | 'en';
  plan: { id: string; title: string; entity: string | null };
  owner: { code: string; name: string };
  date: string;
  horizon: string;
  overdue: DigestItemView[];
  dueSoon: DigestItemView[];
  inReview: DigestItemView[];
  counts: { overdue: number; dueSoon: number; inReview: number; missed: number };
  nothingPending: boolean;
  dashboardUrl: string | null;
  /** Mail trouble since the last digest; null when there was none (or the store could not say). */
  mail: DigestMailView | null;
}

/** Notices that still cannot go out, and notices of the past week that went out late. */
export interface DigestMailView {
  unsent: number;
  /** Exactly one, for the templates' singular. */
  unsentOne: boolean;
  lateOne: boolean;
  unsentSince: string | null;
  reason: string | null;
  fix: string | null;
  late: number;
  lateFrom: string | null;
  lateUntil: string | null;
}

/** Mid-sentence, as the notices write it: "(agosto de 2023)". */
function periodOf(period: string | null, locale: 'es' | 'en'): string | null {
  return period ? periodLabel(period, locale) : null;
}

export function buildDigestView(input: SendDigestInput, areas: AreasDirectory, baseUrl: string | null, mail: DigestMailView | null = null): DigestView {
  const { locale, content, plan } = input;
  const item = (e: DigestEntry): DigestItemView => ({
    activity: e.activity,
    period: periodOf(e.period, locale),
    title: e.title,
    responsible: e.responsible.join(', '),
    due: formatDate(e.due, locale),
    status: (STATUS_LABELS[locale] as Record<string, string>)[e.status] ?? e.status,
    url: baseUrl ? `${baseUrl}/actividad?id=${encodeURIComponent(e.workflowId)}` : null,
  });
  const counts = { overdue: content.overdue.length, dueSoon: content.dueSoon.length, inReview: content.inReview.length, missed: content.missed };
  return {
    locale,
    plan: { id: plan.id, title: plan.title, entity: plan.entity ?? null },
    owner: { code: plan.owner, name: areas[plan.owner]?.name ?? plan.owner },
    date: formatDate(content.date, locale),
    horizon: formatDate(content.horizon, locale),
    overdue: content.overdue.map(item),
    dueSoon: content.dueSoon.map(item),
    inReview: content.inReview.map(item),
    counts,
    nothingPending: counts.overdue + counts.dueSoon + counts.inReview === 0,
    dashboardUrl: baseUrl ? `${baseUrl}/planes/${encodeURIComponent(plan.id)}` : null,
    mail,
  };
}

/** A view with every field filled, rendered once at start so a broken template fails the worker, not a Monday. */
export const SAMPLE_DIGEST_VIEW: DigestView = {
  locale: 'es',
  plan: { id: 'plan', title: 'Plan', entity: 'Entidad' },
  owner: { code: 'OAPLA', name: 'Oficina Asesora de Planeación' },
  date: 'lunes 7 de agosto de 2023',
  horizon: 'lunes 14 de agosto de 2023',
  overdue: [
    {
      activity: 1,
      period: 'Marzo de 2023',
      title: 'Actividad',
      responsible: 'ARCOM',
      due: 'lunes 7 de agosto de 2023',
      status: 'escalada',
      url: 'https://plazos.example/actividad?id=plan%2F1',
    },
  ],
  dueSoon: [{ activity: 2, period: null, title: 'Actividad', responsible: 'ARCOM, ASERA', due: 'martes 8 de agosto de 2023', status: 'recordada', url: null }],
  inReview: [],
  counts: { overdue: 1, dueSoon: 1, inReview: 0, missed: 2 },
  nothingPending: false,
  dashboardUrl: 'https://plazos.example/planes/plan',
  mail: {
    unsent: 3,
    unsentOne: false,
    lateOne: false,
    unsentSince: '7 ago 2023, 08:00',
    reason: 'El servidor rechazó la conexión: nada escucha en ese puerto.',
    fix: 'Revise el servidor y el puerto en la URL.',
    late: 12,
    lateFrom: '1 ago 2023, 08:00',
    lateUntil: '1 ago 2023, 10:30',
  },
};
