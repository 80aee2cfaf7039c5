/**
 * What an activity's status query returns, and what the history keeps of each step: the shapes the
 * CLI, the web and the digest read. workflows/shared.ts hands it on with the rest.
 */
import { defineQuery } from '@temporalio/workflow';
import type { NoticeKind as ScheduledKind } from '../calendar/schedule';
import type { EvidenceCheck } from '../activities/evidence/types';
import type { NoticeKind } from '../activities/email/types';
import type { Outcome, PeriodStatus } from '../domain/statuses';
import type { CalendarChangeRecord, EvidenceSubmission, ProgressReport } from './messages';

// What the status query returns, and what the history keeps of each step.

export interface SentNoticeRecord {
  key: string;
  kind: NoticeKind;
  /** Workflow time the notice went out. */
  at: string;
  /** For a notice of the schedule, the instant the schedule set for it (`at` may be seconds later under load). */
  scheduledAt?: string;
  to: string[];
  cc: string[];
  messageId?: string;
  /** Area codes the SMTP server refused, when any. */
  failed?: string[];
  idempotencyKey: string;
}

export interface EvidenceRecord {
  id: string;
  evidence: EvidenceSubmission['evidence'];
  note?: string;
  submittedBy: string;
  receivedAt: string;
  check?: EvidenceCheck & { checkedAt: string };
  review?: { decision: 'approve' | 'reject'; reason?: string; newDue?: string; at: string };
}

/** One report of progress as the workflow keeps it; `via: 'evidence'` came with a deliverable. */
export interface ProgressRecord {
  percent: number;
  note?: string;
  reportedBy: string;
  via: ProgressReport['via'] | 'evidence';
  at: string;
  sourceId?: string;
  evidenceId?: string;
}

export interface NextNotice {
  kind: ScheduledKind;
  key: string;
  at: string;
  to: string[];
  cc: string[];
  why: { es: string; en: string };
  /** Set when a calendar change moved this notice: the sentence that says where and why. */
  moved?: { from: string; why: { es: string; en: string } };
}

export interface PeriodStatusView {
  kind: 'period';
  workflowId: string;
  planId: string;
  activity: { number: number; title: string; deliverable: string; responsible: string[]; start: string; due: string };
  period: string | null;
  status: PeriodStatus;
  /** The due date in force (after extensions and rejections). */
  due: string;
  revision: number;
  next: NextNotice | null;
  sent: SentNoticeRecord[];
  evidence: EvidenceRecord[];
  /** Reports of progress, oldest first, the last PROGRESS_HISTORY_MAX of them (absent before progress-v1). */
  progress?: ProgressRecord[];
  /** Calendar changes applied while the activity ran (`plazos calendar apply`), oldest first. */
  calendarChanges?: CalendarChangeRecord[];
  closedAt: string | null;
}

export interface RecurringStatusView {
  kind: 'recurring';
  workflowId: string;
  planId: string;
  activity: PeriodStatusView['activity'];
  periods: { key: string; workflowId: string; start: string; due: string; status: PeriodStatus | 'not-started'; closedAt: string | null }[];
  status: PeriodStatus;
  closedAt: string | null;
}

export type ActivityStatus = PeriodStatusView | RecurringStatusView;

export interface ActivityResult {
  activity: number;
  period: string | null;
  status: Outcome;
  closedAt: string;
  /** For a recurring activity, each period's result. */
  periods?: ActivityResult[];
  /** What was sent, for the simulation's report and for audits. */
  sent: SentNoticeRecord[];
}

export const statusQuery = defineQuery<ActivityStatus>('status');
