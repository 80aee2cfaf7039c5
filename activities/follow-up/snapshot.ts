/**
 * The rows of a cut report from what visibility lists (search attributes and the follow-up memo of
 * each workflow, domain/listed-workflow.ts). Pure: the caller lists, this decides what each row says.
 *
 * At the cut (`source: 'cut'`) a row says the workflow's status as listed then. Rebuilt later for a
 * cut nobody kept (`reconstructed`), it says what the kept history can still tell on that day: the
 * progress and evidence dated on or before the cut (the memo keeps their dates), the outcome if the
 * workflow had closed by then, and otherwise only whether it had fallen due.
 */
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../../calendar/business-calendar';
import { publicationDeadline } from '../../calendar/cuts';
import type { ListedWorkflow } from '../../domain/listed-workflow';
import { isClosed } from '../../domain/statuses';
import { cutTotals } from './totals';
import type { CutPlanRef, CutRow, CutSnapshot, CutStatus } from './types';

export interface SnapshotOptions {
  plan: CutPlanRef;
  cut: string;
  takenAt: string;
  source: CutSnapshot['source'];
  calendar: BusinessCalendar;
}

function dateIn(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zone).toISODate() ?? iso.slice(0, 10);
}

function statusAt(w: ListedWorkflow, cut: string, closedOn: string | null, source: CutSnapshot['source']): CutStatus {
  if (source === 'cut') return w.status ?? 'not-started';
  if (w.start && w.start > cut) return 'not-started';
  if (w.status && isClosed(w.status) && closedOn !== null && closedOn <= cut) return w.status;
  return w.due && w.due < cut ? 'overdue' : 'open';
}

function lateness(
  status: CutStatus,
  due: string,
  cut: string,
  deliveredOn: string | null,
  calendar: BusinessCalendar,
): { late: boolean; businessDaysLate: number } {
  if (!due || status === 'cancelled' || status === 'on-time' || status === 'not-started') return { late: false, businessDaysLate: 0 };
  const until = status === 'late' && deliveredOn ? deliveredOn : cut;
  const days = due < until ? calendar.businessDaysBetween(due, until) : 0;
  return { late: status === 'late' || status === 'missed' || days > 0, businessDaysLate: days };
}

export function cutRow(w: ListedWorkflow, opts: SnapshotOptions): CutRow {
  const zone = opts.plan.timezone;
  const memo = w.followUp;
  const closedOn = memo?.closedAt ? dateIn(memo.closedAt, zone) : w.closeTime ? dateIn(w.closeTime.toISOString(), zone) : null;
  const onOrBefore = (iso: string) => dateIn(iso, zone) <= opts.cut;
  const progress = (memo?.progress ?? []).filter((p) => onOrBefore(p.at));
  const last = progress[progress.length - 1];
  const evidence = (memo?.evidence ?? []).filter((e) => onOrBefore(e.at));
  const status = statusAt(w, opts.cut, closedOn, opts.source);
  const lastEvidence = evidence[evidence.length - 1];
  // Before progress-v1 a workflow kept no memo: the listed attribute is all there is, and only at the cut is it the cut's.
  const listedOnly = memo === null && opts.source === 'cut' ? w.progress : null;
  return {
    workflowId: w.workflowId,
    activity: w.activity,
    period: w.period,
    title: w.title,
    areas: w.areas,
    due: w.due,
    status,
    progress: last?.percent ?? listedOnly,
    progressDate: last ? dateIn(last.at, zone) : null,
    progressNote: last?.note ?? null,
    evidence: evidence.map((e) => ({ ref: e.link ?? e.file ?? e.id, date: dateIn(e.at, zone), ...(e.decision ? { decision: e.decision } : {}) })),
    ...lateness(status, w.due, opts.cut, lastEvidence ? dateIn(lastEvidence.at, zone) : closedOn, opts.calendar),
  };
}

export function buildCutSnapshot(listed: ListedWorkflow[], opts: SnapshotOptions): CutSnapshot {
  const rows = listed.map((w) => cutRow(w, opts));
  const { followUpCuts: _cuts, ...plan } = opts.plan;
  return {
    format: 1,
    plan,
    cut: opts.cut,
    deadline: publicationDeadline(opts.cut, opts.calendar),
    takenAt: opts.takenAt,
    source: opts.source,
    rows,
    totals: cutTotals(rows),
  };
}
