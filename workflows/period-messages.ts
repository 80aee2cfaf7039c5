/**
 * The messages a period's workflow answers: the areas' evidence and progress, OAPLA's review,
 * extension, amendment and cancellation, a new calendar, and the status query. Each update has a
 * validator, which refuses before anything enters the history (it reads state only), and a handler,
 * which changes the period and leaves the slow parts (mail, checks) to the main loop's inbox.
 *
 * A handler's `patched` calls (CALENDAR_PATCH here, the listing's through PeriodState) write
 * markers into the history: they stay in the order recorded histories hold them (test/replay).
 */
import { patched, setHandler } from '@temporalio/workflow';
import { CALENDAR_PATCH, checkCalendarUpdate } from './calendar-update';
import { AREA_UPDATES_PER_RUN_MAX } from './continue-as-new';
import { keepProgress, PROGRESS_SOURCES_MAX } from './progress';
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
  statusQuery,
  submitEvidenceUpdate,
  type Amend,
  type CalendarApplied,
  type CalendarUpdate,
  type EvidenceReceipt,
  type EvidenceSubmission,
  type ExtendDeadline,
  type ProgressReceipt,
  type ProgressRecord,
  type ProgressReport,
  type Review,
  type UpdateResult,
} from './shared';
import type { PeriodState } from './period-state';
import { periodView } from './period-view';
import { parseOrThrow } from './validation';

export class PeriodMessages {
  constructor(private readonly s: PeriodState) {}

  /** Each message has a validator, which refuses before anything enters the history, and a handler. */
  register(): void {
    // Each handler counts the update: only accepted updates (past the validator) count towards Temporal's cap.
    const accepted =
      <A, R>(handler: (arg: A) => R) =>
      (arg: A): R => {
        this.s.acceptedUpdates++;
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
    setHandler(statusQuery, () => periodView(this.s));
  }

  /**
   * A run busy with a mail or a check cannot hand over yet: the areas wait, OAPLA does not. Reads
   * state only, as a validator must; a refusal leaves no trace in the history.
   */
  private refuseWhenRunFull(): void {
    if (this.s.areaUpdates >= AREA_UPDATES_PER_RUN_MAX)
      throw new Error('La actividad está recibiendo demasiados reportes en este momento; intente de nuevo en unos minutos.');
  }

  private refuseWhenClosed(): void {
    if (isClosed(this.s.status)) throw new Error(`La actividad ya está cerrada (${this.s.status}).`);
  }

  private refuseBeforeToday(date: string): void {
    const today = this.s.clock.today();
    if (date < today) throw new Error(`La nueva fecha ${date} ya pasó (hoy es ${today}).`);
    // The calendar data travels in the input and covers a few years; a date beyond it is refused
    // here, in the validator, so it never enters the history.
    try {
      this.s.calendar.addBusinessDays(date, 30);
    } catch {
      throw new Error(`La nueva fecha ${date} está fuera del calendario de este plan.`);
    }
  }

  private validateSubmitEvidence(payload: unknown): void {
    parseOrThrow(EvidenceSubmissionSchema, payload);
    this.refuseWhenClosed();
    this.refuseWhenRunFull();
    if (this.s.pausedForEvidence()) throw new Error('Ya hay una evidencia en verificación o revisión; espere la decisión de la oficina de planeación.');
  }

  private onSubmitEvidence(submission: EvidenceSubmission): EvidenceReceipt {
    this.s.areaUpdates++;
    const id = `E${this.s.evidenceCount() + 1}`;
    this.s.statusBeforeCheck = this.s.status;
    this.s.evidence.push({
      id,
      evidence: submission.evidence,
      note: submission.note,
      submittedBy: submission.submittedBy,
      receivedAt: this.s.clock.nowIso(),
    });
    if (submission.progress !== undefined) {
      keepProgress(this.s.progress, {
        percent: submission.progress,
        ...(submission.note ? { note: submission.note } : {}),
        reportedBy: submission.submittedBy,
        via: 'evidence',
        at: this.s.clock.nowIso(),
        evidenceId: id,
      });
    }
    this.s.listing.followUpChanged();
    this.s.setStatus('checking');
    this.s.inbox.push({ type: 'evidence', id });
    return { evidenceId: id, receivedAt: this.s.clock.nowIso(), status: this.s.status };
  }

  private validateReportProgress(payload: unknown): void {
    parseOrThrow(ProgressReportSchema, payload);
    this.refuseWhenClosed();
    this.refuseWhenRunFull();
  }

  /** A report already recorded under the same sourceId (a reply delivered twice) returns the first receipt. */
  private onReportProgress(report: ProgressReport): ProgressReceipt {
    this.s.areaUpdates++;
    const earlier = report.sourceId === undefined ? undefined : this.s.progress.find((p) => p.sourceId === report.sourceId);
    if (earlier) return { percent: earlier.percent, receivedAt: earlier.at, status: this.s.status };
    if (report.sourceId !== undefined && this.s.progressSources.includes(report.sourceId)) {
      // Recorded once, since dropped from the bounded history: still not recorded twice.
      return { percent: report.percent, receivedAt: this.s.clock.nowIso(), status: this.s.status };
    }
    const record: ProgressRecord = {
      percent: report.percent,
      ...(report.note ? { note: report.note } : {}),
      reportedBy: report.reportedBy,
      via: report.via,
      at: this.s.clock.nowIso(),
      ...(report.sourceId !== undefined ? { sourceId: report.sourceId } : {}),
    };
    keepProgress(this.s.progress, record);
    if (report.sourceId !== undefined) {
      this.s.progressSources.push(report.sourceId);
      if (this.s.progressSources.length > PROGRESS_SOURCES_MAX) this.s.progressSources.shift();
    }
    this.s.listing.followUpChanged();
    // The loop may be asleep until the next notice, weeks away: wake it so the listing shows the report now.
    this.s.inbox.push({ type: 'progress' });
    return { percent: record.percent, receivedAt: record.at, status: this.s.status };
  }

  private validateReview(payload: unknown): void {
    const review = parseOrThrow(ReviewSchema, payload);
    this.refuseWhenClosed();
    if (this.s.status !== 'in-review') throw new Error('No hay evidencia en revisión para esta actividad.');
    if (review.decision === 'reject') this.refuseBeforeToday(review.newDue);
  }

  private onReview(review: Review): UpdateResult {
    const latest = this.s.evidence[this.s.evidence.length - 1];
    const at = this.s.clock.nowIso();
    this.s.listing.followUpChanged();
    if (review.decision === 'approve') {
      if (latest) latest.review = { decision: 'approve', reason: review.reason, at };
      const received = latest ? latest.receivedAt.slice(0, 10) : this.s.clock.today();
      this.s.inbox.push({ type: 'approved', reason: review.reason });
      this.s.close(received <= this.s.due ? 'on-time' : 'late');
    } else {
      if (latest) latest.review = { decision: 'reject', reason: review.reason, newDue: review.newDue, at };
      this.s.changeDue(review.newDue);
      this.s.setStatus('active');
      this.s.inbox.push({ type: 'rejected', reason: review.reason, newDue: review.newDue });
    }
    return { status: this.s.status, due: this.s.due };
  }

  private validateExtendDeadline(payload: unknown): void {
    const ext = parseOrThrow(ExtendDeadlineSchema, payload);
    this.refuseWhenClosed();
    if (ext.newDue === this.s.due) throw new Error(`La actividad ya vence el ${ext.newDue}.`);
    this.refuseBeforeToday(ext.newDue);
  }

  private onExtendDeadline(ext: ExtendDeadline): UpdateResult {
    this.s.changeDue(ext.newDue);
    if (this.s.status === 'due' || this.s.status === 'escalated' || this.s.status === 'reminded') this.s.setStatus('active');
    this.s.inbox.push({ type: 'extended', reason: ext.reason, newDue: ext.newDue });
    return { status: this.s.status, due: this.s.due };
  }

  private validateAmend(payload: unknown): void {
    parseOrThrow(AmendSchema, payload);
    this.refuseWhenClosed();
  }

  private onAmend(amend: Amend): UpdateResult {
    this.s.activity = {
      ...this.s.activity,
      ...(amend.title !== undefined ? { title: amend.title } : {}),
      ...(amend.deliverable !== undefined ? { deliverable: amend.deliverable } : {}),
      ...(amend.responsible !== undefined ? { responsible: [...new Set(amend.responsible)] } : {}),
    };
    this.s.recompute();
    this.s.listing.attributesChanged();
    this.s.inbox.push({ type: 'amended', reason: amend.reason });
    return { status: this.s.status, due: this.s.due };
  }

  private validateApplyCalendar(payload: unknown): void {
    this.refuseWhenClosed();
    checkCalendarUpdate(this.s.calendarData, payload);
  }

  private onApplyCalendar(update: CalendarUpdate): CalendarApplied {
    const { merged, diff } = checkCalendarUpdate(this.s.calendarData, update);
    const moved = this.s.replaceCalendar(merged, diff);
    this.s.listing.changed();
    // The loop sleeps until the notice it computed before the change: wake it to sleep again.
    if (patched(CALENDAR_PATCH)) this.s.inbox.push({ type: 'calendar' });
    return { status: this.s.status, moved };
  }

  /** A signal has no validator: a malformed or late cancellation is ignored rather than refused. */
  private onCancel(payload: unknown): void {
    const parsed = CancelSchema.safeParse(payload);
    if (isClosed(this.s.status)) return;
    this.s.close('cancelled');
    this.s.inbox.push({ type: 'cancelled', reason: parsed.success ? parsed.data.reason : '' });
  }
}
