/**
 * A plazos workflow as Temporal's visibility lists it: what each keeps in its search attributes
 * (workflows/listing.ts) and its follow-up memo (workflows/progress.ts). The workflows write these,
 * the client lists them (client/plan-list.ts) and the digest and cut-report activities read them, so
 * the shapes sit below all three.
 */
import type { PeriodStatus } from './statuses';

/** The memo key of the follow-up (Decreto 124 de 2016's cuts): returned with each List row. */
export const FOLLOW_UP_MEMO = 'plazosFollowUp';

export interface FollowUpMemo {
  /** Oldest first. */
  progress: { percent: number; at: string; by: string; note?: string }[];
  evidence: { id: string; at: string; link?: string; file?: string; decision?: 'approve' | 'reject' }[];
  closedAt: string | null;
}

export interface ListedWorkflow {
  workflowId: string;
  planId: string;
  activity: number;
  /** `2023-03` for one period of a recurring activity. */
  period: string | null;
  /** Empty for a workflow started before titles were indexed, until it next changes. */
  title: string;
  areas: string[];
  /** ISO dates in the plan's zone; empty when not indexed yet. */
  start: string;
  due: string;
  /** Null when the workflow never set one. */
  status: PeriodStatus | null;
  evidence: number | null;
  /** `2023-06-16 08:00`, in the plan's zone. */
  lastNotice: string | null;
  nextNotice: string | null;
  /** Temporal's own state of the run. */
  running: boolean;
  /** The last percentage of progress an area reported (PlazosProgress), null before any. */
  progress: number | null;
  /** Progress history and evidence links the workflow keeps in its memo (workflows/progress.ts), for the cut reports. */
  followUp: FollowUpMemo | null;
  /** When Temporal closed the run, for a run that is closed. */
  closeTime: Date | null;
}
