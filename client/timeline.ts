/**
 * An activity's timeline read from its workflow history: what was sent, when, to which areas and
 * why; evidence, checks, reviews, extensions; the outcome. The history is the audit trail OAPLA
 * keeps, so this reads only the history, nothing that could have changed since.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import type { NoticeEmailInput, SendReceipt } from '../activities/email/types';
import type { EvidenceCheck } from '../activities/evidence/types';
import type { ActivityResult, ActivityWorkflowInput } from '../workflows/shared';
import { PLAN_TIMEZONE } from '../calendar/policy';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

export type TimelineKind = 'started' | 'notice' | 'notice-failed' | 'update' | 'update-refused' | 'signal' | 'check' | 'period-started' | 'closed';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  /** Notice kind, update name, signal name... */
  name: string;
  to?: string[];
  cc?: string[];
  /** Why a notice fell on that date, as the e-mail said it. */
  why?: string;
  messageId?: string;
  /** Areas whose mailbox refused the notice. */
  failed?: string[];
  details?: Record<string, unknown>;
}

function first<T>(payloads: Payloads): T | undefined {
  const payload = payloads?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<T>(payload) : undefined;
}

function all(payloads: Payloads): unknown[] {
  return (payloads?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p));
}

function eventMillis(event: HistoryEvent): number {
  const t = event.eventTime;
  return Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
}

export function timelineFromHistory(history: temporal.api.history.v1.IHistory): TimelineEntry[] {
  const events = history.events ?? [];
  const startedInput = first<ActivityWorkflowInput>(events[0]?.workflowExecutionStartedEventAttributes?.input);
  const zone = startedInput?.plan?.timezone ?? PLAN_TIMEZONE;
  const offset = startedInput?.clockOffsetMs ?? 0;
  const at = (e: HistoryEvent) =>
    DateTime.fromMillis(Math.floor((eventMillis(e) + offset) / 1000) * 1000, { zone }).toISO({ suppressMilliseconds: true }) as string;

  const scheduled = new Map<string, { type: string; input: unknown }>();
  const updates = new Map<string, TimelineEntry>();
  const entries: TimelineEntry[] = [];
  for (const e of events) {
    const id = String(e.eventId ?? '');
    if (e.workflowExecutionStartedEventAttributes) {
      entries.push({
        at: at(e),
        kind: 'started',
        name: 'started',
        // A digest's or a cut's workflow has no activity: its history still reads.
        details: { activity: startedInput?.activity?.number, period: startedInput?.period?.key ?? null, due: startedInput?.activity?.due },
      });
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      scheduled.set(id, { type: a.activityType?.name ?? '', input: first(a.input) });
    } else if (e.activityTaskCompletedEventAttributes) {
      const a = e.activityTaskCompletedEventAttributes;
      const s = scheduled.get(String(a.scheduledEventId ?? ''));
      if (s?.type === 'sendNotice') {
        const input = s.input as NoticeEmailInput;
        const receipt = first<SendReceipt>(a.result);
        entries.push({
          at: at(e),
          kind: 'notice',
          name: input.kind,
          to: input.to,
          cc: input.cc,
          why: input.reason,
          messageId: receipt?.messageId,
          ...(receipt?.rejected.length ? { failed: receipt.rejected } : {}),
          ...(input.detail ? { details: { ...input.detail } } : {}),
        });
      } else if (s?.type === 'checkEvidence') {
        const check = first<EvidenceCheck>(a.result);
        entries.push({
          at: at(e),
          kind: 'check',
          name: check?.ok ? 'ok' : (check?.code ?? 'unknown'),
          details: { message: check?.message.es, status: check?.status },
        });
      }
    } else if (e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
      const a = e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
      const s = scheduled.get(String(a?.scheduledEventId ?? ''));
      if (s?.type === 'sendNotice') {
        const input = s.input as NoticeEmailInput;
        entries.push({
          at: at(e),
          kind: 'notice-failed',
          name: input.kind,
          to: input.to,
          cc: input.cc,
          details: { failure: a?.failure?.message ?? 'timeout' },
        });
      }
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
      const req = accepted.acceptedRequest?.input;
      const entry: TimelineEntry = { at: at(e), kind: 'update', name: req?.name ?? '', details: { args: all(req?.args) } };
      entries.push(entry);
      const updateId = accepted.acceptedRequest?.meta?.updateId ?? accepted.protocolInstanceId;
      if (updateId) updates.set(updateId, entry);
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      // What the update did (a calendar change: the notices it moved), on the entry that asked for it.
      const done = e.workflowExecutionUpdateCompletedEventAttributes;
      const entry = updates.get(done.meta?.updateId ?? '');
      if (entry?.details) {
        if (done.outcome?.success) entry.details.result = first(done.outcome.success);
        else if (done.outcome?.failure) entry.details.refused = done.outcome.failure.message ?? '';
      }
    } else if (e.workflowExecutionSignaledEventAttributes) {
      const sig = e.workflowExecutionSignaledEventAttributes;
      entries.push({ at: at(e), kind: 'signal', name: sig.signalName ?? '', details: { args: all(sig.input) } });
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      entries.push({ at: at(e), kind: 'period-started', name: e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId ?? '' });
    } else if (e.workflowExecutionCompletedEventAttributes) {
      const result = first<ActivityResult>(e.workflowExecutionCompletedEventAttributes.result);
      entries.push({ at: at(e), kind: 'closed', name: result?.status ?? 'completed', details: { closedAt: result?.closedAt } });
    } else if (e.workflowExecutionTerminatedEventAttributes || e.workflowExecutionFailedEventAttributes) {
      entries.push({ at: at(e), kind: 'closed', name: e.workflowExecutionTerminatedEventAttributes ? 'terminated' : 'failed' });
    }
  }
  return entries;
}
