/**
 * What the workflows, the worker, the CLI and the web agree on: workflow IDs, the task queue,
 * search attributes, message definitions and their payload schemas, and the shapes a query returns.
 *
 * Everything here is deterministic (zod and plain data) because workflow code imports it too.
 * Payloads carry area codes and plan text, never e-mail addresses.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { CalendarData } from '../calendar/business-calendar';
import type { Period } from '../calendar/periods';
import type { NoticeLocale } from '../activities/email/types';
import type { PlanActivity } from '../plans/model';

// Workflow IDs are defined in domain/ids.ts, which the activities' links build too.
export { activityWorkflowId, periodWorkflowId } from '../domain/ids';

/** Registered on the dev server when plazos starts it (see workers/dev-server.ts). */
export const SEARCH_ATTRIBUTES = {
  plan: defineSearchAttributeKey('PlazosPlan', SearchAttributeType.KEYWORD),
  activity: defineSearchAttributeKey('PlazosActivity', SearchAttributeType.INT),
  areas: defineSearchAttributeKey('PlazosAreas', SearchAttributeType.KEYWORD_LIST),
  status: defineSearchAttributeKey('PlazosStatus', SearchAttributeType.KEYWORD),
  due: defineSearchAttributeKey('PlazosDue', SearchAttributeType.DATETIME),
  // What the list pages show without asking the worker (workflows/listing.ts keeps them current).
  // SQL visibility (the dev server, PostgreSQL) allows 3 attributes of each type but Keyword (10):
  // Datetime and Int have one left after these, so the start date is an ISO date in a Keyword.
  title: defineSearchAttributeKey('PlazosTitle', SearchAttributeType.TEXT),
  start: defineSearchAttributeKey('PlazosStart', SearchAttributeType.KEYWORD),
  evidence: defineSearchAttributeKey('PlazosEvidence', SearchAttributeType.INT),
  lastNotice: defineSearchAttributeKey('PlazosLastNotice', SearchAttributeType.DATETIME),
  nextNotice: defineSearchAttributeKey('PlazosNextNotice', SearchAttributeType.DATETIME),
  // The last percentage of progress an area reported (0..100): the third and last Int SQL visibility allows.
  progress: defineSearchAttributeKey('PlazosProgress', SearchAttributeType.INT),
} as const;

// The plan as each activity workflow needs it (no other activity, no people's names): plans/plan-ref.ts.
export type { PlanRef } from '../plans/plan-ref';
import type { PlanRef } from '../plans/plan-ref';

export interface ActivityWorkflowInput {
  plan: PlanRef;
  activity: PlanActivity;
  /** Non-working days for the years the activity may touch, so the workflow never depends on a library update. */
  calendar: CalendarData;
  locale: NoticeLocale;
  /** Set for the child workflow of one period of a recurring activity. */
  period?: Period;
  /** Upsert search attributes (the dev server and clusters have them registered). */
  searchAttributes?: boolean;
  /** Simulation only: workflow time runs this far from the server's clock (see workflows/clock.ts). */
  clockOffsetMs?: number;
  /** Send the kickoff at once if the activity has already started (see PeriodLifecycle.catchUp). */
  kickoffNow?: boolean;
  /**
   * Set only by a period's own continue-as-new (workflows/continue-as-new.ts): the state of the run
   * that ended, bounded. A run that has it takes up where that one stopped and never catches up again.
   */
  carried?: CarriedPeriodState;
}

/**
 * What one run of a period hands to the next. Plain data, checked by nobody but the workflow that
 * wrote it; its lists are bounded in workflows/continue-as-new.ts so the next run's input stays small.
 */
export interface CarriedPeriodState {
  /** Runs of this period before the one this state starts (1 for the first continued run). */
  runs: number;
  /** The activity as amended (title, deliverable, responsible areas). */
  activity: PlanActivity;
  status: PeriodStatus;
  statusBeforeCheck: PeriodStatus;
  due: string;
  revision: number;
  /** Epoch ms: notices due before it are not sent (PeriodState.horizon). */
  horizon: number;
  /** Keys of the notices already sent for the due date in force: none of them goes out again. */
  sentKeys: string[];
  sent: SentNoticeRecord[];
  evidence: EvidenceRecord[];
  progress: ProgressRecord[];
  progressSources: string[];
  calendarChanges: CalendarChangeRecord[];
  /** Records the bounds dropped in earlier runs: evidence ids and mail keys count on from them. */
  dropped: { evidence: number; amended: number };
  lastNoticeAt: string | null;
  closedAt: string | null;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle: the statuses, defined once in domain/statuses.ts (which the digest's pure code reads too).

export { isClosed, OUTCOMES, PERIOD_STATUSES, type Outcome, type PeriodStatus } from '../domain/statuses';
import type { PeriodStatus } from '../domain/statuses';

// ---------------------------------------------------------------------------------------------
// The messages and their payloads (workflows/messages.ts), and what the status query returns
// (workflows/status-view.ts): one import for the workflows and their clients.
export * from './messages';
export * from './status-view';
import type { CalendarChangeRecord } from './messages';
import type { EvidenceRecord, ProgressRecord, SentNoticeRecord } from './status-view';
