/**
 * What the status query of a period answers: the period as it stands, and its next notice with the
 * reason it falls when it does. A query reads state only: it adds nothing to the history.
 */
import { describeMove, describeReason, type MovedNotice } from '../calendar/reason';
import type { ScheduledNotice } from '../calendar/schedule';
import { isClosed, type NextNotice, type PeriodStatusView } from './shared';
import type { PeriodState } from './period-state';

export function periodView(s: PeriodState): PeriodStatusView {
  const next = s.pausedForEvidence() || isClosed(s.status) ? null : s.nextNotice();
  return {
    kind: 'period',
    workflowId: s.workflowId,
    planId: s.input.plan.id,
    activity: {
      number: s.activity.number,
      title: s.activity.title,
      deliverable: s.activity.deliverable,
      responsible: s.activity.responsible,
      start: s.period.start,
      due: s.due,
    },
    period: s.period.key,
    status: s.status,
    due: s.due,
    revision: s.revision,
    next: next ? nextView(next, movedTo(s, next)) : null,
    sent: s.sent,
    evidence: s.evidence,
    ...(s.progress.length > 0 ? { progress: s.progress } : {}),
    ...(s.calendarChanges.length > 0 ? { calendarChanges: s.calendarChanges } : {}),
    closedAt: s.closedAt,
  };
}

/** The latest calendar change that put this notice where it is now, if one did. */
function movedTo(s: PeriodState, n: ScheduledNotice): MovedNotice | null {
  for (let i = s.calendarChanges.length - 1; i >= 0; i--) {
    const found = s.calendarChanges[i]?.moved.find((m) => m.key === n.key);
    if (found) return found.to === n.at ? found : null;
  }
  return null;
}

function nextView(n: ScheduledNotice, moved: MovedNotice | null): NextNotice {
  const view: NextNotice = {
    kind: n.kind,
    key: n.key,
    at: n.at,
    to: n.to,
    cc: n.cc,
    why: { es: describeReason(n.reason, 'es'), en: describeReason(n.reason, 'en') },
  };
  if (moved) view.moved = { from: moved.from, why: { es: describeMove(moved, 'es'), en: describeMove(moved, 'en') } };
  return view;
}
