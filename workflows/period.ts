/**
 * One period of one plan activity, from kickoff to outcome. This is workflow code: it runs in
 * Temporal's deterministic sandbox, may be replayed years later, and therefore does no I/O, reads
 * no clock but the workflow's, and reaches the world only through activities.
 *
 * The notices it sends are those of `activityNotices` (calendar/schedule.ts), the same function
 * `plazos plan preview` prints: the workflow only decides which of them are still owed.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { NoticeEmailInput, NoticeKind } from '../activities/email/types';
import { BusinessCalendar, type CalendarData, type CalendarDiff } from '../calendar/business-calendar';
import type { Period } from '../calendar/periods';
import { describeMove, describeReason, describeReasonSent, weekdayOf, type MovedNotice } from '../calendar/reason';
import { activityNotices, type ScheduledNotice } from '../calendar/schedule';
import type { PlanActivity } from '../plans/model';
import { effectivePolicy } from '../calendar/policy';
import { dateAttribute, instantAttribute, millisOf, WorkflowClock } from './clock';
import { CALENDAR_PATCH, checkCalendarUpdate } from './calendar-update';
import { AREA_UPDATES_PER_RUN_MAX, boundCarried, CONTINUE_AS_NEW_PATCH, continueAsNewReason } from './continue-as-new';
import { LISTING_PATCH, listingAttributes } from './listing';
import { FOLLOW_UP_MEMO, followUpMemo, keepProgress, PROGRESS_PATCH, PROGRESS_SOURCES_MAX } from './progress';
import {
  amendUpdate,
  AmendSchema,
  applyCalendarUpdate,
  cancelSignal,
  CancelSchema,
  EvidenceSubmissionSchema,
  extendDeadlineUpdate,
  ExtendDeadlineSchema,
  isClosed,
  ProgressReportSchema,
  reportProgressUpdate,
  reviewUpdate,
  ReviewSchema,
  SEARCH_ATTRIBUTES,
  statusQuery,
  submitEvidenceUpdate,
  type ActivityResult,
  type ActivityWorkflowInput,
  type Amend,
  type CarriedPeriodState,
  type CalendarApplied,
  type CalendarChangeRecord,
  type CalendarUpdate,
  type EvidenceReceipt,
  type EvidenceSubmission,
  type ExtendDeadline,
  type Review,
  type UpdateResult,
  type EvidenceRecord,
  type NextNotice,
  type Outcome,
  type PeriodStatus,
  type PeriodStatusView,
  type ProgressReceipt,
  type ProgressRecord,
  type ProgressReport,
  type SentNoticeRecord,
} from './shared';
import { parseOrThrow } from './validation';

type Activities = ReturnType<typeof createActivities>;

/** A workflow that starts overdue sends its latest escalation at once (see catchUp). */
export const CATCH_UP_ESCALATION_PATCH = 'catch-up-escalation-v1';

// SMTP trouble (4xx, connection refused) is retried with backoff for up to two days; a 5xx for a
// recipient is not retryable and comes back at once as a delivery failure.
const { sendNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // sendNotice heartbeats while it sends: a worker killed mid-send is noticed in 20 s, not a minute.
  heartbeatTimeout: '20 seconds',
  scheduleToCloseTimeout: '2 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const { checkEvidence } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5 },
});

/** What the update handlers hand to the main loop, which does the slow parts (mail, checks). */
type Event =
  | { type: 'evidence'; id: string }
  | { type: 'approved'; reason?: string }
  | { type: 'rejected'; reason: string; newDue: string }
  | { type: 'extended'; reason: string; newDue: string }
  | { type: 'amended'; reason: string }
  | { type: 'cancelled'; reason: string }
  | { type: 'calendar' }
  | { type: 'progress' };

const STATUS_AFTER: Partial<Record<NoticeKind, PeriodStatus>> = {
  kickoff: 'active',
  reminder: 'reminded',
  due: 'due',
  escalation: 'escalated',
  missed: 'missed',
};

export class PeriodLifecycle {
  private calendarData: CalendarData;
  private calendar: BusinessCalendar;
  private calendarChanges: CalendarChangeRecord[] = [];
  private readonly workflowId = workflowInfo().workflowId;
  private activity: PlanActivity;
  private status: PeriodStatus = 'scheduled';
  private due: string;
  /** Increments each time the due date changes, so the new reminders are new notices. */
  private revision = 0;
  /** Notices due at or before this instant are not sent: they passed before the workflow (or a new due date) took over. */
  private horizon: number;
  private schedule: ScheduledNotice[] = [];
  private sent: SentNoticeRecord[] = [];
  private sentKeys = new Set<string>();
  private evidence: EvidenceRecord[] = [];
  /** Reports of progress, oldest first, bounded (workflows/progress.ts). */
  private progress: ProgressRecord[] = [];
  /** Where recent reports came from (an e-mail's Message-ID): a re-delivered reply is recorded once. */
  private progressSources: string[] = [];
  /** Evidence records and amendment mails earlier runs dropped (continue-as-new.ts): numbering counts on. */
  private dropped = { evidence: 0, amended: 0 };
  /** Updates this run accepted: Temporal caps them per run (continue-as-new.ts). */
  private acceptedUpdates = 0;
  /** Of them, the areas' (progress and evidence), which the validators stop at AREA_UPDATES_PER_RUN_MAX. */
  private areaUpdates = 0;
  /** Runs of this period before this one. */
  private runs = 0;
  /** Under PROGRESS_PATCH: progress, evidence or the outcome changed since the follow-up memo was written. */
  private followUpStale = false;
  private readonly inbox: Event[] = [];
  /** The status to return to when a check fails. */
  private statusBeforeCheck: PeriodStatus = 'active';
  private closedAt: string | null = null;
  private readonly clock: WorkflowClock;
  /** When the last mail of this period went out (workflow time), for the list pages. */
  private lastNoticeAt: string | null = null;
  /** Under LISTING_PATCH: something the search attributes show changed since the last upsert. */
  private listingStale = false;

  constructor(
    private readonly input: ActivityWorkflowInput,
    private readonly period: Period,
  ) {
    this.clock = new WorkflowClock(input.plan.timezone, input.clockOffsetMs);
    this.calendarData = input.calendar;
    this.calendar = BusinessCalendar.fromData(input.calendar);
    this.activity = { ...input.activity };
    this.due = period.due;
    this.horizon = this.clock.now();
    if (input.carried) this.restore(input.carried);
    this.recompute();
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

  // ---- the main loop --------------------------------------------------------------------------

  async run(): Promise<ActivityResult> {
    this.registerHandlers();
    // Title, start and next notice are indexed from the start, not only from the kickoff on.
    if (this.listing()) this.listingStale = true;
    // A continued run takes up where the last one stopped: what was due then was sent or is owed now.
    if (this.input.carried) this.carriedOver();
    else await this.catchUp();
    while (!isClosed(this.status)) {
      // Before the event is handled: a check or a mail may take a while, and its status shows meanwhile.
      this.flushListing();
      const event = this.inbox.shift();
      if (event) {
        await this.handle(event);
        continue;
      }
      // A quiet point: no mail going out, no check running, nothing received left to do.
      if (this.runIsFull() && (await this.quietAfterHandlers())) await this.continueAsNew();
      const next = this.pausedForEvidence() ? null : this.nextNotice();
      const wait = next ? this.clock.until(next.at) : undefined;
      if (wait !== undefined && wait <= 0 && next) {
        await this.send(next);
        continue;
      }
      const woken = wait === undefined ? (await condition(() => this.inbox.length > 0), true) : await condition(() => this.inbox.length > 0, wait);
      if (!woken && next) await this.send(next);
    }
    // The closing event (approval, cancellation) still owes its mail; updates that arrived with it
    // finish before the workflow completes.
    for (let event = this.inbox.shift(); event; event = this.inbox.shift()) await this.handle(event);
    await condition(allHandlersFinished);
    this.flushListing();
    return {
      activity: this.activity.number,
      period: this.period.key,
      status: this.status,
      closedAt: this.closedAt ?? this.clock.nowIso(),
      sent: this.sent,
    };
  }

  /**
   * A workflow started after some of its notices were due (a plan started mid-year) does not replay
   * them: it announces the activity at once, saying where it stands, and goes on from the next one.
   * If even the last notice has passed, the activity is recorded as missed, once. With `kickoffNow`
   * (set by `plazos plan start` for an activity whose start date is today or past) the kickoff also
   * goes out at once when its hour has not come yet: the administrator just started the plan.
   */
  private async catchUp(): Promise<void> {
    const passed = this.schedule.filter((n) => millisOf(n.at) < this.horizon);
    const missed = passed.find((n) => n.kind === 'missed');
    if (missed) {
      await this.send(missed, { late: true });
      return;
    }
    const kickoff = this.schedule.find((n) => n.kind === 'kickoff');
    const kickoffPassed = kickoff !== undefined && passed.includes(kickoff);
    if (kickoff && (kickoffPassed || (this.input.kickoffNow && this.period.start <= this.clock.today()))) {
      await this.send(kickoff, { late: kickoffPassed });
    }
    const last = passed[passed.length - 1];
    // Already overdue when follow-up began: the plan's owner hears it now from the latest
    // escalation, instead of seeing "escalated" on the dashboard with no mail behind it. New
    // behaviour at a workflow's start, so old histories keep the old path.
    if (last?.kind === 'escalation' && patched(CATCH_UP_ESCALATION_PATCH)) await this.send(last, { late: true });
    if (last && STATUS_AFTER[last.kind]) this.setStatus(STATUS_AFTER[last.kind] as PeriodStatus);
  }

  private pausedForEvidence(): boolean {
    return this.status === 'checking' || this.status === 'in-review';
  }

  private nextNotice(): ScheduledNotice | null {
    return this.pendingNotices()[0] ?? null;
  }

  /** The notices still owed: not sent, and not passed before the workflow (or a new due date) took over. */
  private pendingNotices(): ScheduledNotice[] {
    return this.schedule.filter((n) => !this.sentKeys.has(this.noticeId(n)) && millisOf(n.at) >= this.horizon);
  }

  /**
   * A new calendar (a holiday created by law, a día cívico): the notices still owed are computed
   * again on it. A notice already sent keeps its key, so it is never sent twice; one that moves to
   * an instant already past goes out at once.
   */
  private replaceCalendar(merged: CalendarData, diff: CalendarDiff): MovedNotice[] {
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
  private noticeId(n: ScheduledNotice): string {
    return n.kind === 'kickoff' ? 'kickoff' : `${this.revision}/${n.key}`;
  }

  private recompute(): void {
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

  // ---- continuing as new ------------------------------------------------------------------------

  /** Evidence received by this period in all its runs: ids, keys and the listing count on it. */
  private evidenceCount(): number {
    return this.dropped.evidence + this.evidence.length;
  }

  /** The follow-up memo travels with the run; written again in case the run that ended never wrote it. */
  private carriedOver(): void {
    if (this.progress.length > 0 || this.evidence.length > 0) this.followUpChanged();
  }

  /** Whether this run reached a bound of its own (continue-as-new.ts); the patch is asked only then. */
  private runIsFull(): boolean {
    const reason = continueAsNewReason(workflowInfo(), this.acceptedUpdates);
    if (reason === null || !patched(CONTINUE_AS_NEW_PATCH)) return false;
    log.info('period continues as new', { reason, runs: this.runs + 1 });
    return true;
  }

  /** Update handlers finished; an update they took in meanwhile is handled in this run first. */
  private async quietAfterHandlers(): Promise<boolean> {
    await condition(allHandlersFinished);
    return this.inbox.length === 0 && !isClosed(this.status);
  }

  /**
   * Ends this run and starts the next with the same workflow id, type and task queue, and this
   * period's state in its input. The TS SDK sends memo and search attributes only when given (the
   * command's fields are left unset otherwise, and what a server does then is its own choice): both
   * are passed as this run last wrote them, so the list pages and the cut report see no gap.
   */
  private async continueAsNew(): Promise<never> {
    this.flushListing();
    const info = workflowInfo();
    const next: ActivityWorkflowInput = { ...this.input, period: this.period, calendar: this.calendarData, carried: this.carry() };
    return makeContinueAsNewFunc<(input: ActivityWorkflowInput) => Promise<ActivityResult>>({
      ...(info.memo && Object.keys(info.memo).length > 0 ? { memo: info.memo } : {}),
      ...(this.input.searchAttributes ? { typedSearchAttributes: info.typedSearchAttributes } : {}),
    })(next);
  }

  private carry(): CarriedPeriodState {
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

  // ---- sending --------------------------------------------------------------------------------

  private async send(notice: ScheduledNotice, opts: { late?: boolean } = {}): Promise<void> {
    const id = this.noticeId(notice);
    this.sentKeys.add(id);
    const escalation = notice.escalation;
    const policy = effectivePolicy(this.input.plan, this.activity);
    // A late notice sent on its own day (the workflow started after its hour) reads like any other; one
    // sent on time but on a later day (a worker that was down) too: follow-up did not begin late.
    const today = this.clock.today();
    const sentOn = opts.late || today < notice.reason.date ? today : notice.reason.date;
    const reason = describeReasonSent(notice.reason, this.input.locale, sentOn);
    await this.mail(
      notice.kind,
      id,
      notice.to,
      notice.cc,
      { reason, detail: escalation ? { escalation, maxEscalations: policy.maxEscalations } : undefined },
      notice.at,
    );
    const after = STATUS_AFTER[notice.kind];
    if (after) this.setStatus(after);
    if (notice.kind === 'missed') this.close('missed');
  }

  private async mail(
    kind: NoticeKind,
    id: string,
    to: string[],
    cc: string[],
    extra: Pick<NoticeEmailInput, 'reason' | 'detail'> = {},
    scheduledAt?: string,
  ): Promise<void> {
    const idempotencyKey = `${this.workflowId}/${id}/${kind}`;
    const record: SentNoticeRecord = { key: id, kind, at: this.clock.nowIso(), ...(scheduledAt ? { scheduledAt } : {}), to, cc, idempotencyKey };
    this.sent.push(record);
    // A status set just before this mail (in review, rejected...) is listed now, not once the mail
    // is out: with SMTP down the send retries for up to two days.
    if (this.listing()) this.flushListing();
    try {
      const receipt = await sendNotice(this.emailInput(kind, idempotencyKey, to, cc, extra));
      record.messageId = receipt.messageId;
      if (receipt.rejected.length > 0) {
        record.failed = receipt.rejected;
        await this.reportDeliveryFailure(record, receipt.rejected);
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const details = err.cause instanceof ApplicationFailure ? (err.cause.details?.[0] as { rejected?: string[] } | undefined) : undefined;
      record.failed = details?.rejected?.length ? details.rejected : [...to, ...cc];
      log.warn('notice not delivered', { key: idempotencyKey, kind });
      await this.reportDeliveryFailure(record, record.failed);
    }
    this.lastNoticeAt = record.at;
    if (this.listing()) this.listingStale = true;
  }

  /** The plan's owner hears when an area's mailbox refuses a notice; a failure of that report is only logged. */
  private async reportDeliveryFailure(record: SentNoticeRecord, failed: string[]): Promise<void> {
    if (record.kind === 'delivery-failed') return;
    const owner = this.input.plan.owner;
    const idempotencyKey = `${record.idempotencyKey}/delivery-failed`;
    try {
      const receipt = await sendNotice(this.emailInput('delivery-failed', idempotencyKey, [owner], [], { detail: { failedRecipients: failed } }));
      this.sent.push({
        key: `${record.key}/delivery-failed`,
        kind: 'delivery-failed',
        at: this.clock.nowIso(),
        to: [owner],
        cc: [],
        idempotencyKey,
        messageId: receipt.messageId,
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.error('delivery failure could not be reported', { key: idempotencyKey });
    }
  }

  private emailInput(
    kind: NoticeKind,
    idempotencyKey: string,
    to: string[],
    cc: string[],
    extra: Pick<NoticeEmailInput, 'reason' | 'detail'>,
  ): NoticeEmailInput {
    const { plan } = this.input;
    const a = this.activity;
    return {
      idempotencyKey,
      kind,
      locale: this.input.locale,
      to,
      cc,
      plan: { id: plan.id, title: plan.title, year: plan.year, entity: plan.entity, owner: plan.owner },
      activity: { number: a.number, title: a.title, deliverable: a.deliverable, start: this.period.start, due: this.due, responsible: a.responsible },
      period: this.period.key,
      dueDate: this.due,
      ...extra,
    };
  }

  /** Notices about the area's own work go to its lead area, with the plan's owner in copy. */
  private toArea(): { to: string[]; cc: string[] } {
    const [lead, ...others] = this.activity.responsible;
    const owner = this.input.plan.owner;
    return { to: [lead ?? owner], cc: [...new Set([...others, owner])].filter((c) => c !== lead) };
  }

  // ---- events -----------------------------------------------------------------------------------

  private async handle(event: Event): Promise<void> {
    const area = this.toArea();
    const owner = this.input.plan.owner;
    switch (event.type) {
      case 'evidence':
        return this.verifySubmission(event.id);
      case 'approved':
        await this.mail('approved', `review-${this.evidenceCount()}`, area.to, area.cc, { detail: { note: event.reason } });
        return;
      case 'rejected':
        await this.mail('rejected', `review-${this.evidenceCount()}`, area.to, area.cc, { detail: { rejectReason: event.reason, newDue: event.newDue } });
        return;
      case 'extended':
        await this.mail('extended', `extended-${this.revision}`, area.to, area.cc, { detail: { note: event.reason, newDue: event.newDue } });
        return;
      case 'amended':
        await this.mail('amended', `amended-${this.dropped.amended + this.sent.filter((s) => s.kind === 'amended').length + 1}`, area.to, area.cc, {
          detail: { note: event.reason },
        });
        return;
      case 'cancelled':
        await this.mail(
          'cancelled',
          'cancelled',
          area.to,
          [...new Set([...area.cc, owner])].filter((c) => !area.to.includes(c)),
          { detail: { note: event.reason } },
        );
        return;
      case 'calendar':
      case 'progress':
        // Nothing to send: waking the loop is the point, so that it sleeps until the recomputed notice
        // (a calendar change) or lists the new progress (the loop upserts the attributes at its top).
        return;
    }
  }

  private async verifySubmission(id: string): Promise<void> {
    const record = this.evidence.find((e) => e.id === id);
    if (!record) return;
    const check = await checkEvidence(record.evidence);
    record.check = { ...check, checkedAt: this.clock.nowIso() };
    const area = this.toArea();
    if (!check.ok) {
      this.setStatus(this.statusBeforeCheck);
      await this.mail('check-failed', `${id}/check`, area.to, area.cc, { detail: { checkMessage: check.message[this.input.locale] } });
      return;
    }
    this.setStatus('in-review');
    const evidenceUrl = record.evidence.kind === 'url' ? record.evidence.url : undefined;
    await this.mail('evidence-received', `${id}/received`, area.to, [], { detail: { note: record.note, evidenceUrl } });
    await this.mail('review-requested', `${id}/review-requested`, [this.input.plan.owner], [], { detail: { note: record.note, evidenceUrl } });
  }

  // ---- messages ---------------------------------------------------------------------------------

  /** Each message has a validator, which refuses before anything enters the history, and a handler. */
  private registerHandlers(): void {
    // Each handler counts the update: only accepted updates (past the validator) count towards Temporal's cap.
    const accepted =
      <A, R>(handler: (arg: A) => R) =>
      (arg: A): R => {
        this.acceptedUpdates++;
        return handler(arg);
      };
    setHandler(
      submitEvidenceUpdate,
      accepted((s: EvidenceSubmission) => this.onSubmitEvidence(s)),
      { validator: (p) => this.validateSubmitEvidence(p) },
    );
    setHandler(
      reportProgressUpdate,
      accepted((r: ProgressReport) => this.onReportProgress(r)),
      { validator: (p) => this.validateReportProgress(p) },
    );
    setHandler(
      reviewUpdate,
      accepted((r: Review) => this.onReview(r)),
      { validator: (p) => this.validateReview(p) },
    );
    setHandler(
      extendDeadlineUpdate,
      accepted((e: ExtendDeadline) => this.onExtendDeadline(e)),
      { validator: (p) => this.validateExtendDeadline(p) },
    );
    setHandler(
      amendUpdate,
      accepted((a: Amend) => this.onAmend(a)),
      { validator: (p) => this.validateAmend(p) },
    );
    setHandler(
      applyCalendarUpdate,
      accepted((u: CalendarUpdate) => this.onApplyCalendar(u)),
      { validator: (p) => this.validateApplyCalendar(p) },
    );
    setHandler(cancelSignal, (payload) => this.onCancel(payload));
    setHandler(statusQuery, () => this.view());
  }

  /**
   * A run busy with a mail or a check cannot hand over yet: the areas wait, OAPLA does not. Reads
   * state only, as a validator must; a refusal leaves no trace in the history.
   */
  private refuseWhenRunFull(): void {
    if (this.areaUpdates >= AREA_UPDATES_PER_RUN_MAX)
      throw new Error('La actividad está recibiendo demasiados reportes en este momento; intente de nuevo en unos minutos.');
  }

  private refuseWhenClosed(): void {
    if (isClosed(this.status)) throw new Error(`La actividad ya está cerrada (${this.status}).`);
  }

  private refuseBeforeToday(date: string): void {
    const today = this.clock.today();
    if (date < today) throw new Error(`La nueva fecha ${date} ya pasó (hoy es ${today}).`);
    // The calendar data travels in the input and covers a few years; a date beyond it is refused
    // here, in the validator, so it never enters the history.
    try {
      this.calendar.addBusinessDays(date, 30);
    } catch {
      throw new Error(`La nueva fecha ${date} está fuera del calendario de este plan.`);
    }
  }

  private validateSubmitEvidence(payload: unknown): void {
    parseOrThrow(EvidenceSubmissionSchema, payload);
    this.refuseWhenClosed();
    this.refuseWhenRunFull();
    if (this.pausedForEvidence()) throw new Error('Ya hay una evidencia en verificación o revisión; espere la decisión de la oficina de planeación.');
  }

  private onSubmitEvidence(submission: EvidenceSubmission): EvidenceReceipt {
    this.areaUpdates++;
    const id = `E${this.evidenceCount() + 1}`;
    this.statusBeforeCheck = this.status;
    this.evidence.push({
      id,
      evidence: submission.evidence,
      note: submission.note,
      submittedBy: submission.submittedBy,
      receivedAt: this.clock.nowIso(),
    });
    if (submission.progress !== undefined) {
      keepProgress(this.progress, {
        percent: submission.progress,
        ...(submission.note ? { note: submission.note } : {}),
        reportedBy: submission.submittedBy,
        via: 'evidence',
        at: this.clock.nowIso(),
        evidenceId: id,
      });
    }
    this.followUpChanged();
    this.setStatus('checking');
    this.inbox.push({ type: 'evidence', id });
    return { evidenceId: id, receivedAt: this.clock.nowIso(), status: this.status };
  }

  private validateReportProgress(payload: unknown): void {
    parseOrThrow(ProgressReportSchema, payload);
    this.refuseWhenClosed();
    this.refuseWhenRunFull();
  }

  /** A report already recorded under the same sourceId (a reply delivered twice) returns the first receipt. */
  private onReportProgress(report: ProgressReport): ProgressReceipt {
    this.areaUpdates++;
    const earlier = report.sourceId === undefined ? undefined : this.progress.find((p) => p.sourceId === report.sourceId);
    if (earlier) return { percent: earlier.percent, receivedAt: earlier.at, status: this.status };
    if (report.sourceId !== undefined && this.progressSources.includes(report.sourceId)) {
      // Recorded once, since dropped from the bounded history: still not recorded twice.
      return { percent: report.percent, receivedAt: this.clock.nowIso(), status: this.status };
    }
    const record: ProgressRecord = {
      percent: report.percent,
      ...(report.note ? { note: report.note } : {}),
      reportedBy: report.reportedBy,
      via: report.via,
      at: this.clock.nowIso(),
      ...(report.sourceId !== undefined ? { sourceId: report.sourceId } : {}),
    };
    keepProgress(this.progress, record);
    if (report.sourceId !== undefined) {
      this.progressSources.push(report.sourceId);
      if (this.progressSources.length > PROGRESS_SOURCES_MAX) this.progressSources.shift();
    }
    this.followUpChanged();
    // The loop may be asleep until the next notice, weeks away: wake it so the listing shows the report now.
    this.inbox.push({ type: 'progress' });
    return { percent: record.percent, receivedAt: record.at, status: this.status };
  }

  private validateReview(payload: unknown): void {
    const review = parseOrThrow(ReviewSchema, payload);
    this.refuseWhenClosed();
    if (this.status !== 'in-review') throw new Error('No hay evidencia en revisión para esta actividad.');
    if (review.decision === 'reject') this.refuseBeforeToday(review.newDue);
  }

  private onReview(review: Review): UpdateResult {
    const latest = this.evidence[this.evidence.length - 1];
    const at = this.clock.nowIso();
    this.followUpChanged();
    if (review.decision === 'approve') {
      if (latest) latest.review = { decision: 'approve', reason: review.reason, at };
      const received = latest ? latest.receivedAt.slice(0, 10) : this.clock.today();
      this.inbox.push({ type: 'approved', reason: review.reason });
      this.close(received <= this.due ? 'on-time' : 'late');
    } else {
      if (latest) latest.review = { decision: 'reject', reason: review.reason, newDue: review.newDue, at };
      this.changeDue(review.newDue);
      this.setStatus('active');
      this.inbox.push({ type: 'rejected', reason: review.reason, newDue: review.newDue });
    }
    return { status: this.status, due: this.due };
  }

  private validateExtendDeadline(payload: unknown): void {
    const ext = parseOrThrow(ExtendDeadlineSchema, payload);
    this.refuseWhenClosed();
    if (ext.newDue === this.due) throw new Error(`La actividad ya vence el ${ext.newDue}.`);
    this.refuseBeforeToday(ext.newDue);
  }

  private onExtendDeadline(ext: ExtendDeadline): UpdateResult {
    this.changeDue(ext.newDue);
    if (this.status === 'due' || this.status === 'escalated' || this.status === 'reminded') this.setStatus('active');
    this.inbox.push({ type: 'extended', reason: ext.reason, newDue: ext.newDue });
    return { status: this.status, due: this.due };
  }

  private validateAmend(payload: unknown): void {
    parseOrThrow(AmendSchema, payload);
    this.refuseWhenClosed();
  }

  private onAmend(amend: Amend): UpdateResult {
    this.activity = {
      ...this.activity,
      ...(amend.title !== undefined ? { title: amend.title } : {}),
      ...(amend.deliverable !== undefined ? { deliverable: amend.deliverable } : {}),
      ...(amend.responsible !== undefined ? { responsible: [...new Set(amend.responsible)] } : {}),
    };
    this.recompute();
    this.attributesChanged();
    this.inbox.push({ type: 'amended', reason: amend.reason });
    return { status: this.status, due: this.due };
  }

  private validateApplyCalendar(payload: unknown): void {
    this.refuseWhenClosed();
    checkCalendarUpdate(this.calendarData, payload);
  }

  private onApplyCalendar(update: CalendarUpdate): CalendarApplied {
    const { merged, diff } = checkCalendarUpdate(this.calendarData, update);
    const moved = this.replaceCalendar(merged, diff);
    if (this.listing()) this.listingStale = true;
    // The loop sleeps until the notice it computed before the change: wake it to sleep again.
    if (patched(CALENDAR_PATCH)) this.inbox.push({ type: 'calendar' });
    return { status: this.status, moved };
  }

  /** A signal has no validator: a malformed or late cancellation is ignored rather than refused. */
  private onCancel(payload: unknown): void {
    const parsed = CancelSchema.safeParse(payload);
    if (isClosed(this.status)) return;
    this.close('cancelled');
    this.inbox.push({ type: 'cancelled', reason: parsed.success ? parsed.data.reason : '' });
  }

  private changeDue(newDue: string): void {
    this.due = newDue;
    this.revision++;
    this.horizon = this.clock.now();
    this.recompute();
    this.attributesChanged();
  }

  // ---- state ------------------------------------------------------------------------------------

  private setStatus(status: PeriodStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.attributesChanged();
  }

  private close(outcome: Outcome): void {
    this.closedAt = this.clock.nowIso();
    this.followUpChanged();
    this.setStatus(outcome);
  }

  /** Whether this run publishes progress and the follow-up memo (PROGRESS_PATCH); false while replaying an older run. */
  private followUp(): boolean {
    return this.listing() && patched(PROGRESS_PATCH);
  }

  private followUpChanged(): void {
    if (!this.input.searchAttributes) return;
    this.followUpStale = true;
    this.listingStale = this.listingStale || this.listing();
  }

  /** Whether this run keeps the list pages' attributes (LISTING_PATCH); false while replaying an older run. */
  private listing(): boolean {
    return this.input.searchAttributes === true && patched(LISTING_PATCH);
  }

  /** Before LISTING_PATCH each change was upserted at once; under it, once per step of the loop. */
  private attributesChanged(): void {
    if (this.listing()) this.listingStale = true;
    else this.upsertAttributes();
  }

  private flushListing(): void {
    if (!this.listingStale) return;
    this.listingStale = false;
    const next = this.pausedForEvidence() || isClosed(this.status) ? null : this.nextNotice();
    const followUp = this.followUp();
    const last = this.progress[this.progress.length - 1];
    upsertSearchAttributes(
      listingAttributes({
        status: this.status,
        due: dateAttribute(this.due, this.input.plan.timezone),
        areas: this.activity.responsible,
        title: this.activity.title,
        start: this.period.start,
        evidence: this.evidenceCount(),
        lastNotice: this.lastNoticeAt ? instantAttribute(this.lastNoticeAt) : null,
        nextNotice: next ? instantAttribute(next.at) : null,
        ...(followUp && last ? { progress: last.percent } : {}),
      }),
    );
    if (followUp && this.followUpStale) {
      this.followUpStale = false;
      upsertMemo({ [FOLLOW_UP_MEMO]: followUpMemo(this.progress, this.evidence, this.closedAt) });
    }
  }

  /** The attributes as workflows started before LISTING_PATCH upsert them, at each change. */
  private upsertAttributes(): void {
    if (!this.input.searchAttributes) return;
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.status, value: this.status },
      { key: SEARCH_ATTRIBUTES.due, value: dateAttribute(this.due, this.input.plan.timezone) },
      { key: SEARCH_ATTRIBUTES.areas, value: this.activity.responsible },
    ]);
  }

  /** The latest calendar change that put this notice where it is now, if one did. */
  private movedTo(n: ScheduledNotice): MovedNotice | null {
    for (let i = this.calendarChanges.length - 1; i >= 0; i--) {
      const found = this.calendarChanges[i]?.moved.find((m) => m.key === n.key);
      if (found) return found.to === n.at ? found : null;
    }
    return null;
  }

  view(): PeriodStatusView {
    const next = this.pausedForEvidence() || isClosed(this.status) ? null : this.nextNotice();
    return {
      kind: 'period',
      workflowId: this.workflowId,
      planId: this.input.plan.id,
      activity: {
        number: this.activity.number,
        title: this.activity.title,
        deliverable: this.activity.deliverable,
        responsible: this.activity.responsible,
        start: this.period.start,
        due: this.due,
      },
      period: this.period.key,
      status: this.status,
      due: this.due,
      revision: this.revision,
      next: next ? nextView(next, this.movedTo(next)) : null,
      sent: this.sent,
      evidence: this.evidence,
      ...(this.progress.length > 0 ? { progress: this.progress } : {}),
      ...(this.calendarChanges.length > 0 ? { calendarChanges: this.calendarChanges } : {}),
      closedAt: this.closedAt,
    };
  }
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
