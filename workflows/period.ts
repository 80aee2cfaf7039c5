/**
 * One period of one plan activity, from kickoff to outcome. This is workflow code: it runs in
 * Temporal's deterministic sandbox, may be replayed years later, and therefore does no I/O, reads
 * no clock but the workflow's, and reaches the world only through activities.
 *
 * The notices it sends are those of `activityNotices` (calendar/schedule.ts), the same function
 * `plazos plan preview` prints: the workflow only decides which of them are still owed.
 *
 * This file is the main loop; the period's state and the notices it owes are in period-state.ts,
 * its messages in period-messages.ts, its mail in period-mail.ts, the evidence check in
 * period-evidence.ts, the list pages' attributes in period-listing.ts and the status query's view
 * in period-view.ts. Replay of the recorded histories (test/replay) holds them to the commands
 * earlier runs wrote: a change of order there is a change of workflow, to be patched.
 */
import { allHandlersFinished, condition, log, makeContinueAsNewFunc, patched, workflowInfo } from '@temporalio/workflow';
import type { Period } from '../calendar/periods';
import { millisOf } from './clock';
import { CONTINUE_AS_NEW_PATCH, continueAsNewReason } from './continue-as-new';
import { verifySubmission } from './period-evidence';
import { PeriodMail, STATUS_AFTER } from './period-mail';
import { PeriodMessages } from './period-messages';
import { PeriodState, type PeriodEvent } from './period-state';
import { isClosed, type ActivityResult, type ActivityWorkflowInput, type PeriodStatus } from './shared';

/** A workflow that starts overdue sends its latest escalation at once (see catchUp). */
export const CATCH_UP_ESCALATION_PATCH = 'catch-up-escalation-v1';

export class PeriodLifecycle {
  private readonly state: PeriodState;
  private readonly mail: PeriodMail;

  constructor(
    private readonly input: ActivityWorkflowInput,
    private readonly period: Period,
  ) {
    this.state = new PeriodState(input, period);
    this.mail = new PeriodMail(this.state);
  }

  // ---- the main loop --------------------------------------------------------------------------

  async run(): Promise<ActivityResult> {
    const s = this.state;
    new PeriodMessages(s).register();
    // Title, start and next notice are indexed from the start, not only from the kickoff on.
    s.listing.changed();
    // A continued run takes up where the last one stopped: what was due then was sent or is owed now.
    if (this.input.carried) this.carriedOver();
    else await this.catchUp();
    while (!isClosed(s.status)) {
      // Before the event is handled: a check or a mail may take a while, and its status shows meanwhile.
      s.listing.flush();
      const event = s.inbox.shift();
      if (event) {
        await this.handle(event);
        continue;
      }
      // A quiet point: no mail going out, no check running, nothing received left to do.
      if (this.runIsFull() && (await this.quietAfterHandlers())) await this.continueAsNew();
      const next = s.pausedForEvidence() ? null : s.nextNotice();
      const wait = next ? s.clock.until(next.at) : undefined;
      if (wait !== undefined && wait <= 0 && next) {
        await this.mail.send(next);
        continue;
      }
      const woken = wait === undefined ? (await condition(() => s.inbox.length > 0), true) : await condition(() => s.inbox.length > 0, wait);
      if (!woken && next) await this.mail.send(next);
    }
    // The closing event (approval, cancellation) still owes its mail; updates that arrived with it
    // finish before the workflow completes.
    for (let event = s.inbox.shift(); event; event = s.inbox.shift()) await this.handle(event);
    await condition(allHandlersFinished);
    s.listing.flush();
    return {
      activity: s.activity.number,
      period: this.period.key,
      status: s.status,
      closedAt: s.closedAt ?? s.clock.nowIso(),
      sent: s.sent,
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
    const s = this.state;
    const passed = s.schedule.filter((n) => millisOf(n.at) < s.horizon);
    const missed = passed.find((n) => n.kind === 'missed');
    if (missed) {
      await this.mail.send(missed, { late: true });
      return;
    }
    const kickoff = s.schedule.find((n) => n.kind === 'kickoff');
    const kickoffPassed = kickoff !== undefined && passed.includes(kickoff);
    if (kickoff && (kickoffPassed || (this.input.kickoffNow && this.period.start <= s.clock.today()))) {
      await this.mail.send(kickoff, { late: kickoffPassed });
    }
    const last = passed[passed.length - 1];
    // Already overdue when follow-up began: the plan's owner hears it now from the latest
    // escalation, instead of seeing "escalated" on the dashboard with no mail behind it. New
    // behaviour at a workflow's start, so old histories keep the old path.
    if (last?.kind === 'escalation' && patched(CATCH_UP_ESCALATION_PATCH)) await this.mail.send(last, { late: true });
    if (last && STATUS_AFTER[last.kind]) s.setStatus(STATUS_AFTER[last.kind] as PeriodStatus);
  }

  // ---- continuing as new ------------------------------------------------------------------------

  /** The follow-up memo travels with the run; written again in case the run that ended never wrote it. */
  private carriedOver(): void {
    const s = this.state;
    if (s.progress.length > 0 || s.evidence.length > 0) s.listing.followUpChanged();
  }

  /** Whether this run reached a bound of its own (continue-as-new.ts); the patch is asked only then. */
  private runIsFull(): boolean {
    const reason = continueAsNewReason(workflowInfo(), this.state.acceptedUpdates);
    if (reason === null || !patched(CONTINUE_AS_NEW_PATCH)) return false;
    log.info('period continues as new', { reason, runs: this.state.runs + 1 });
    return true;
  }

  /** Update handlers finished; an update they took in meanwhile is handled in this run first. */
  private async quietAfterHandlers(): Promise<boolean> {
    await condition(allHandlersFinished);
    return this.state.inbox.length === 0 && !isClosed(this.state.status);
  }

  /**
   * Ends this run and starts the next with the same workflow id, type and task queue, and this
   * period's state in its input. The TS SDK sends memo and search attributes only when given (the
   * command's fields are left unset otherwise, and what a server does then is its own choice): both
   * are passed as this run last wrote them, so the list pages and the cut report see no gap.
   */
  private async continueAsNew(): Promise<never> {
    this.state.listing.flush();
    const info = workflowInfo();
    const next: ActivityWorkflowInput = { ...this.input, period: this.period, calendar: this.state.calendarData, carried: this.state.carry() };
    return makeContinueAsNewFunc<(input: ActivityWorkflowInput) => Promise<ActivityResult>>({
      ...(info.memo && Object.keys(info.memo).length > 0 ? { memo: info.memo } : {}),
      ...(this.input.searchAttributes ? { typedSearchAttributes: info.typedSearchAttributes } : {}),
    })(next);
  }

  // ---- events -----------------------------------------------------------------------------------

  private async handle(event: PeriodEvent): Promise<void> {
    const s = this.state;
    const area = this.mail.toArea();
    const owner = this.input.plan.owner;
    switch (event.type) {
      case 'evidence':
        return verifySubmission(s, this.mail, event.id);
      case 'approved':
        await this.mail.mail('approved', `review-${s.evidenceCount()}`, area.to, area.cc, { detail: { note: event.reason } });
        return;
      case 'rejected':
        await this.mail.mail('rejected', `review-${s.evidenceCount()}`, area.to, area.cc, { detail: { rejectReason: event.reason, newDue: event.newDue } });
        return;
      case 'extended':
        await this.mail.mail('extended', `extended-${s.revision}`, area.to, area.cc, { detail: { note: event.reason, newDue: event.newDue } });
        return;
      case 'amended':
        await this.mail.mail('amended', `amended-${s.dropped.amended + s.sent.filter((x) => x.kind === 'amended').length + 1}`, area.to, area.cc, {
          detail: { note: event.reason },
        });
        return;
      case 'cancelled':
        await this.mail.mail(
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
}
