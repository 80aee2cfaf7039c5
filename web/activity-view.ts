/** A period's status as the pages show it: dates, what is expected, what was sent, evidence and reviews. */
import type { IndexedStatus } from '../client/status';
import { isClosed, type PeriodStatusView } from '../workflows/shared';
import { executionLabel, KIND_ES, lightOf, STATUS_ES, statusLabel } from './labels';
import { formatSeconds } from './plan-view';

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function activityView(s: PeriodStatusView) {
  return {
    workflowId: s.workflowId,
    activity: s.activity,
    period: s.period,
    due: s.due,
    status: s.status,
    statusLabel: STATUS_ES[s.status],
    light: lightOf(s.status),
    next: s.next ? { kind: KIND_ES[s.next.kind] ?? s.next.kind, at: when(s.next.at), why: s.next.why.es, moved: s.next.moved?.why.es } : null,
    sent: s.sent.map((n) => ({ at: when(n.at), kind: KIND_ES[n.kind] ?? n.kind, to: n.to.join(', '), cc: n.cc.join(', ') })),
    evidence: s.evidence.map((e) => ({
      id: e.id,
      receivedAt: when(e.receivedAt),
      submittedBy: e.submittedBy,
      url: e.evidence.kind === 'url' ? e.evidence.url : null,
      file: e.evidence.kind === 'file' ? { name: e.evidence.name, sha256: e.evidence.sha256, size: e.evidence.size } : null,
      note: e.note ?? null,
      check: e.check ? { ok: e.check.ok, message: e.check.message.es } : null,
      review: e.review
        ? { approved: e.review.decision === 'approve', reason: e.review.reason ?? null, newDue: e.review.newDue ?? null, at: when(e.review.at) }
        : null,
    })),
    progress: (s.progress ?? [])
      .slice()
      .reverse()
      .map((p) => ({ at: when(p.at), percent: p.percent, note: p.note ?? null, reportedBy: p.reportedBy, via: VIA_ES[p.via] })),
    lastProgress: s.progress?.[s.progress.length - 1]?.percent ?? null,
  };
}

const VIA_ES: Record<NonNullable<PeriodStatusView['progress']>[number]['via'], string> = {
  web: 'página de evidencias',
  email: 'respuesta por correo',
  evidence: 'con la evidencia',
};

/** The sentence every page shows above a status that came from the server's index. */
export function unavailableNote(deadlineMs: number): string {
  return `El motor no respondió a tiempo; se muestra el estado según el índice del servidor (se esperó ${formatSeconds(deadlineMs)}).`;
}

/**
 * An activity as the server's index knows it when the worker does not answer: status, due date and
 * areas as the workflow last set them; title, deliverable and start as it was started with.
 * `closed` also holds for a run that ended without a plazos outcome (terminated by hand).
 */
export function indexedActivityView(index: IndexedStatus, deadlineMs: number) {
  const status = index.status ?? 'unknown';
  const planned = index.startedAs;
  return {
    workflowId: index.workflowId,
    planId: index.planId ?? index.workflowId.split('/')[0],
    activity: {
      number: index.activity,
      title: planned?.title ?? '',
      deliverable: planned?.deliverable ?? '',
      start: planned?.start ?? '',
      responsible: index.areas,
    },
    period: index.period,
    due: index.due ?? planned?.due ?? '',
    status,
    statusLabel: statusLabel(status),
    light: lightOf(status),
    execution: executionLabel(index.execution),
    closed: (status !== 'unknown' && isClosed(status)) || index.execution !== 'RUNNING',
    unavailable: unavailableNote(deadlineMs),
  };
}
