/** A period's status as the pages show it: dates, what is expected, what was sent, evidence and reviews. */
import type { PeriodStatusView } from '../workflows/shared';
import { KIND_ES, lightOf, STATUS_ES } from './labels';

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
    next: s.next ? { kind: KIND_ES[s.next.kind] ?? s.next.kind, at: when(s.next.at), why: s.next.why.es } : null,
    sent: s.sent.map((n) => ({ at: when(n.at), kind: KIND_ES[n.kind] ?? n.kind, to: n.to.join(', '), cc: n.cc.join(', ') })),
    evidence: s.evidence.map((e) => ({
      id: e.id,
      receivedAt: when(e.receivedAt),
      submittedBy: e.submittedBy,
      url: e.evidence.kind === 'url' ? e.evidence.url : null,
      file: e.evidence.kind === 'file' ? { name: e.evidence.name, sha256: e.evidence.sha256, size: e.evidence.size } : null,
      note: e.note ?? null,
      check: e.check ? { ok: e.check.ok, message: e.check.message.es } : null,
      review: e.review ? { approved: e.review.decision === 'approve', reason: e.review.reason ?? null, newDue: e.review.newDue ?? null, at: when(e.review.at) } : null,
    })),
  };
}
