/**
 * The mail of a period: its scheduled notices (calendar/schedule.ts) and the messages that answer
 * what areas and OAPLA do. Each goes out through the sendNotice activity with an idempotency key
 * made of the workflow id and the notice's, so a retried or replayed send is one mail.
 */
import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import { MAIL_RETRY } from './retry';
import type { createActivities } from '../activities';
import type { NoticeEmailInput, NoticeKind } from '../activities/email/types';
import { describeReasonSent } from '../calendar/reason';
import type { ScheduledNotice } from '../calendar/schedule';
import { effectivePolicy } from '../calendar/policy';
import type { PeriodStatus, SentNoticeRecord } from './shared';
import type { PeriodState } from './period-state';

type Activities = ReturnType<typeof createActivities>;

// SMTP trouble (4xx, connection refused) is retried with backoff for up to two days; a 5xx for a
// recipient is not retryable and comes back at once as a delivery failure.
const { sendNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // sendNotice heartbeats while it sends: a worker killed mid-send is noticed in 20 s, not a minute.
  heartbeatTimeout: '20 seconds',
  scheduleToCloseTimeout: '2 days',
  retry: MAIL_RETRY,
});

/** The status a period reaches once a notice of this kind went out. */
export const STATUS_AFTER: Partial<Record<NoticeKind, PeriodStatus>> = {
  kickoff: 'active',
  reminder: 'reminded',
  due: 'due',
  escalation: 'escalated',
  missed: 'missed',
};

export class PeriodMail {
  constructor(private readonly state: PeriodState) {}

  async send(notice: ScheduledNotice, opts: { late?: boolean } = {}): Promise<void> {
    const s = this.state;
    const id = s.noticeId(notice);
    s.sentKeys.add(id);
    const escalation = notice.escalation;
    const policy = effectivePolicy(s.input.plan, s.activity);
    // A late notice sent on its own day (the workflow started after its hour) reads like any other; one
    // sent on time but on a later day (a worker that was down) too: follow-up did not begin late.
    const today = s.clock.today();
    const sentOn = opts.late || today < notice.reason.date ? today : notice.reason.date;
    const reason = describeReasonSent(notice.reason, s.input.locale, sentOn);
    await this.mail(
      notice.kind,
      id,
      notice.to,
      notice.cc,
      { reason, detail: escalation ? { escalation, maxEscalations: policy.maxEscalations } : undefined },
      notice.at,
    );
    const after = STATUS_AFTER[notice.kind];
    if (after) s.setStatus(after);
    if (notice.kind === 'missed') s.close('missed');
  }

  async mail(
    kind: NoticeKind,
    id: string,
    to: string[],
    cc: string[],
    extra: Pick<NoticeEmailInput, 'reason' | 'detail'> = {},
    scheduledAt?: string,
  ): Promise<void> {
    const s = this.state;
    const idempotencyKey = `${s.workflowId}/${id}/${kind}`;
    const record: SentNoticeRecord = { key: id, kind, at: s.clock.nowIso(), ...(scheduledAt ? { scheduledAt } : {}), to, cc, idempotencyKey };
    s.sent.push(record);
    // A status set just before this mail (in review, rejected...) is listed now, not once the mail
    // is out: with SMTP down the send retries for up to two days.
    if (s.listing.enabled()) s.listing.flush();
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
    s.lastNoticeAt = record.at;
    s.listing.changed();
  }

  /** The plan's owner hears when an area's mailbox refuses a notice; a failure of that report is only logged. */
  private async reportDeliveryFailure(record: SentNoticeRecord, failed: string[]): Promise<void> {
    if (record.kind === 'delivery-failed') return;
    const owner = this.state.input.plan.owner;
    const idempotencyKey = `${record.idempotencyKey}/delivery-failed`;
    try {
      const receipt = await sendNotice(this.emailInput('delivery-failed', idempotencyKey, [owner], [], { detail: { failedRecipients: failed } }));
      this.state.sent.push({
        key: `${record.key}/delivery-failed`,
        kind: 'delivery-failed',
        at: this.state.clock.nowIso(),
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
    const s = this.state;
    const { plan } = s.input;
    const a = s.activity;
    return {
      idempotencyKey,
      kind,
      locale: s.input.locale,
      to,
      cc,
      plan: { id: plan.id, title: plan.title, year: plan.year, entity: plan.entity, owner: plan.owner },
      activity: { number: a.number, title: a.title, deliverable: a.deliverable, start: s.period.start, due: s.due, responsible: a.responsible },
      period: s.period.key,
      dueDate: s.due,
      ...extra,
    };
  }

  /** Notices about the area's own work go to its lead area, with the plan's owner in copy. */
  toArea(): { to: string[]; cc: string[] } {
    const [lead, ...others] = this.state.activity.responsible;
    const owner = this.state.input.plan.owner;
    return { to: [lead ?? owner], cc: [...new Set([...others, owner])].filter((c) => c !== lead) };
  }
}
