/**
 * What one run of a period's workflow holds (workflows/period.ts): the activity as amended, its due
 * date and revision, the notices it owes and those it sent, the evidence and progress received,
 * and the changes of state the list pages see (workflows/period-listing.ts). The other parts of the
 * workflow (messages, mail, evidence check, view) read and change the period through it.
 *
 * Workflow code: no I/O, no clock but the workflow's.
 */
import { workflowInfo } from '@temporalio/workflow';
import { BusinessCalendar, type CalendarData, type CalendarDiff } from '../calendar/business-calendar';
import type { Period } from '../calendar/periods';
import { weekdayOf, type MovedNotice } from '../calendar/reason';
import { activityNotices, type ScheduledNotice } from '../calendar/schedule';
import type { PlanActivity } from '../plans/model';
import { effectivePolicy } from '../calendar/policy';
import { millisOf, WorkflowClock } from './clock';
import { boundCarried } from './continue-as-new';
import { PeriodListing } from './period-listing';
import {
  type ActivityWorkflowInput,
  type CarriedPeriodState,
  type CalendarChangeRecord,
  type EvidenceRecord,
  type Outcome,
  type PeriodStatus,
  type ProgressRecord,
  type SentNoticeRecord,
} from './shared';

/** What the update handlers hand to the main loop, which does the slow parts (mail, checks). */
export type PeriodEvent =
  | { type: 'evidence'; id: string }
  | { type: 'approved'; reason?: string }
  | { type: 'rejected'; reason: string; newDue: string }
  | { type: 'extended'; reason: string; newDue: string }
  | { type: 'amended'; reason: string }
  | { type: 'cancelled'; reason: string }
  | { type: 'calendar' }
  | { type: 'progress' };

export class PeriodState {
  calendarData: CalendarData;
  calendar: BusinessCalendar;
  calendarChanges: CalendarChangeRecord[] = [];
  readonly workflowId = workflowInfo().workflowId;
  activity: PlanActivity;
  status: PeriodStatus = 'scheduled';
  due: string;
  /** Increments each time the due date changes, so the new reminders are new notices. */
  revision = 0;
  /** Notices due at or before this instant are not sent: they passed before the workflow (or a new due date) took over. */
  horizon: number;
  schedule: ScheduledNotice[] = [];
  sent: SentNoticeRecord[] = [];
  sentKeys = new Set<string>();
  evidence: EvidenceRecord[] = [];
  /** Reports of progress, oldest first, bounded (workflows/progress.ts). */
  progress: ProgressRecord[] = [];
  /** Where recent reports came from (an e-mail's Message-ID): a re-delivered reply is recorded once. */
  progressSources: string[] = [];
  /** Evidence records and amendment mails earlier runs dropped (continue-as-new.ts): numbering counts on. */
  dropped = { evidence: 0, amended: 0 };
  /** Updates this run accepted: Temporal caps them per run (continue-as-new.ts). */
  acceptedUpdates = 0;
  /** Of them, the areas' (progress and evidence), which the validators stop at AREA_UPDATES_PER_RUN_MAX. */
  areaUpdates = 0;
  /** Runs of this period before this one. */
  runs = 0;
  readonly inbox: PeriodEvent[] = [];
  /** The status to return to when a check fails. */
  statusBeforeCheck: PeriodStatus = 'active';
  closedAt: string | null = null;
  readonly clock: WorkflowClock;
  /** When the last mail of this period went out (workflow time), for the list pages. */
  lastNoticeAt: string | null = null;
  /** The search attributes and memo that show this period on the list pages. */
  readonly listing: PeriodListing;

  constructor(
    readonly input: ActivityWorkflowInput,
    readonly period: Period,
  ) {
    this.clock = new WorkflowClock(input.plan.timezone, input.clockOffsetMs);
    this.calendarData = input.calendar;
    this.calendar = BusinessCalendar.fromData(input.calendar);
    this.activity = { ...input.activity };
    this.due = period.due;
    this.horizon = this.clock.now();
    if (input.carried) this.restore(input.carried);
    this.recompute();
    this.listing = new PeriodListing(this);
  }

  /** A continued run: the state the previous run handed over, exactly as it was. */
  private restore(c: CarriedPeriodState): void {
    this.runs = c.runs;
    this.activity = { ...c.activity };
    this.status = c.status;
    this.statusBeforeCheck = c.statusBeforeCheck;
    this.due = c.due;
    this.revision = c.revision;
    this.horizon = c.horizon;
    this.sentKeys = new Set(c.sentKeys);
    this.sent = [...c.sent];
    this.evidence = [...c.evidence];
    this.progress = [...c.progress];
    this.progressSources = [...c.progressSources];
    this.calendarChanges = [...c.calendarChanges];
    this.dropped = { ...c.dropped };
    this.lastNoticeAt = c.lastNoticeAt;
    this.closedAt = c.closedAt;
  }

  /** What the next run starts from (continue-as-new.ts bounds it). */
  carry(): CarriedPeriodState {
    const revision = `${this.revision}/`;
    return boundCarried({
      runs: this.runs + 1,
      activity: this.activity,
      status: this.status,
      statusBeforeCheck: this.statusBeforeCheck,
      due: this.due,
      revision: this.revision,
      horizon: this.horizon,
      // A key of an earlier due date is never asked for again: noticeId prefixes the revision in force.
      sentKeys: [...this.sentKeys].filter((k) => k === 'kickoff' || k.startsWith(revision)),
      sent: this.sent,
      evidence: this.evidence,
      progress: this.progress,
      progressSources: this.progressSources,
      calendarChanges: this.calendarChanges,
      dropped: this.dropped,
      lastNoticeAt: this.lastNoticeAt,
      closedAt: this.closedAt,
    });
  }

  // ---- the notices owed -----------------------------------------------------------------------

  pausedForEvidence(): boolean {
    return this.status === 'checking' || this.status === 'in-review';
  }

  nextNotice(): ScheduledNotice | null {
    return this.pendingNotices()[0] ?? null;
  }

  /** The notices still owed: not sent, and not passed before the workflow (or a new due date) took over. */
  pendingNotices(): ScheduledNotice[] {
    return this.schedule.filter((n) => !this.sentKeys.has(this.noticeId(n)) && millisOf(n.at) >= this.horizon);
  }

  /**
   * A new calendar (a holiday created by law, a día cívico): the notices still owed are computed
   * again on it. A notice already sent keeps its key, so it is never sent twice; one that moves to
   * an instant already past goes out at once.
   */
  replaceCalendar(merged: CalendarData, diff: CalendarDiff): MovedNotice[] {
    const before = new Map(this.pendingNotices().map((n) => [n.key, n]));
    this.calendarData = merged;
    this.calendar = BusinessCalendar.fromData(merged);
    this.recompute();
    const changed = [...diff.added.map((d) => ({ ...d, change: 'added' as const })), ...diff.removed.map((d) => ({ ...d, change: 'removed' as const }))];
    const moved: MovedNotice[] = [];
    for (const n of this.schedule) {
      const old = before.get(n.key);
      if (!old || old.at === n.at) continue;
      const dates = [old.date, n.date, n.reason.anchor, n.reason.base].sort();
      const [from, to] = [dates[0] as string, dates[dates.length - 1] as string];
      const causes = changed
        .filter((d) => d.date >= from && d.date <= to && weekdayOf(d.date) < 6)
        .map((d) => ({ date: d.date, change: d.change, kind: d.kind, name: d.name, ...(d.law ? { law: d.law } : {}) }));
      moved.push({ key: n.key, kind: n.kind, from: old.at, to: n.at, causes });
    }
    this.calendarChanges.push({ at: this.clock.nowIso(), added: diff.added, removed: diff.removed, moved });
    return moved;
  }

  /** Kickoff is sent once per period; the rest once per due-date revision. */
  noticeId(n: ScheduledNotice): string {
    return n.kind === 'kickoff' ? 'kickoff' : `${this.revision}/${n.key}`;
  }

  recompute(): void {
    const policy = effectivePolicy(this.input.plan, this.activity);
    const notices = activityNotices({
      activity: this.activity,
      period: { ...this.period, due: this.due },
      owner: this.input.plan.owner,
      policy,
      timezone: this.input.plan.timezone,
      calendar: this.calendar,
    });
    this.schedule = this.revision === 0 ? notices : notices.filter((n) => n.kind !== 'kickoff');
  }

  /** Evidence received by this period in all its runs: ids, keys and the listing count on it. */
  evidenceCount(): number {
    return this.dropped.evidence + this.evidence.length;
  }

  // ---- changes the list pages see ---------------------------------------------------------------

  setStatus(status: PeriodStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.listing.attributesChanged();
  }

  close(outcome: Outcome): void {
    this.closedAt = this.clock.nowIso();
    this.listing.followUpChanged();
    this.setStatus(outcome);
  }

  changeDue(newDue: string): void {
    this.due = newDue;
    this.revision++;
    this.horizon = this.clock.now();
    this.recompute();
    this.listing.attributesChanged();
  }
}
