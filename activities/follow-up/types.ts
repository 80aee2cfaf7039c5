/**
 * What the follow-up cut workflow, its activities, the CLI and the web agree on. Types only, so the
 * workflow imports them without pulling anything into its bundle. The snapshot itself never travels
 * in history (thousands of rows): the activity keeps it on disk and history holds its summary.
 */
import type { NoticeLocale } from '../email/types';
import type { PeriodStatus } from '../../domain/statuses';
import type { PlanRef } from '../../plans/plan-ref';

/** The plan as a cut report needs it; the report goes to its `owner` and to Control Interno. */
export type CutPlanRef = Pick<PlanRef, 'id' | 'title' | 'year' | 'entity' | 'owner' | 'timezone'> & {
  /** `MM-DD`; absent: the PAAC's three cuts (calendar/cuts.ts). */
  followUpCuts?: string[];
};

export interface CutWorkflowInput {
  plan: CutPlanRef;
  locale: NoticeLocale;
  /** Set by `plazos report cut --run`; a run started by the Schedule takes the cut from its scheduled time. */
  cut?: string;
}

/**
 * A row's state at the cut. `open` and `overdue` appear only in a reconstructed report (a cut with no
 * kept snapshot): which notice an open activity had reached on that day is not kept, only whether it
 * had fallen due.
 */
export type CutStatus = PeriodStatus | 'not-started' | 'open' | 'overdue';

export interface CutEvidence {
  /** The link, or `informe.pdf (sha256 0123abcd…)` for an uploaded file. */
  ref: string;
  /** ISO date it was handed in, in the plan's zone. */
  date: string;
  decision?: 'approve' | 'reject';
}

export interface CutRow {
  workflowId: string;
  activity: number;
  period: string | null;
  title: string;
  areas: string[];
  due: string;
  status: CutStatus;
  /** The last percentage reported on or before the cut; null when none was. */
  progress: number | null;
  progressDate: string | null;
  progressNote: string | null;
  evidence: CutEvidence[];
  /** Fell due before the cut and was not delivered by it, or was closed late or missed. */
  late: boolean;
  /** Business days from the due date to the cut (or to the late delivery); 0 when not late. */
  businessDaysLate: number;
}

export interface CutTotals {
  /** An area code, or `PLAN` for the whole plan (each activity counted once). */
  key: string;
  activities: number;
  delivered: number;
  late: number;
  withProgress: number;
  /** Mean progress, 0-100 with one decimal: a delivered activity counts 100, one with no report 0. */
  progress: number;
}

export interface CutSnapshot {
  format: 1;
  plan: Omit<CutPlanRef, 'followUpCuts' | 'timezone'> & { timezone: string };
  cut: string;
  /** Last business day to publish: the tenth after the cut. */
  deadline: string;
  /** When the rows were read (an ISO instant). */
  takenAt: string;
  /** `cut`: read at the cut and kept. `reconstructed`: rebuilt later from the workflows' kept history (see README.md). */
  source: 'cut' | 'reconstructed';
  rows: CutRow[];
  totals: CutTotals[];
}

export interface TakeCutSnapshotInput {
  plan: CutPlanRef;
  cut: string;
}

export interface CutSnapshotSummary {
  cut: string;
  deadline: string;
  rows: number;
  /** False when a snapshot of this cut was already kept (a retry, a second run): the kept one stands. */
  created: boolean;
  totals: CutTotals;
}

export interface SendCutReportInput {
  plan: CutPlanRef;
  locale: NoticeLocale;
  cut: string;
}

export interface CutReportReceipt {
  messageId: string;
  idempotencyKey: string;
  accepted: string[];
  rejected: string[];
  duplicate: boolean;
  /** Control Interno's area code, or null when config/areas.yaml names none. */
  controlInterno: string | null;
}

export interface CutResult {
  cut: string;
  rows: number;
  messageId: string;
}

/** One mail per plan and cut, whatever retried. */
export function cutIdempotencyKey(planId: string, cut: string): string {
  return `${planId}/follow-up/${cut}`;
}
