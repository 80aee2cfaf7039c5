/**
 * What a notice that can be answered was about, by notice id (its Message-ID's hex): the workflow,
 * the area that may answer it, the plan's lead (copied on refusals) and the titles the replies
 * quote. The worker writes a record before it sends the notice; the mailbox reader (another
 * process, maybe on another host) reads it from the same store when an answer arrives.
 *
 * Codes and plan text only: no address, no person's name.
 */
import type { PlanRef } from '../../plans/plan-ref';
import type { ReplyRows } from '../../store/records';
import type { NoticeKind, NoticeLocale } from './types';

export interface ReplyTarget {
  noticeId: string;
  kind: NoticeKind;
  workflowId: string;
  /** The area whose addresses may answer (the activity's lead area, as for the evidence link). */
  area: string;
  /** The plan's lead area (OAPLA), copied on every refusal. */
  owner: string;
  locale: NoticeLocale;
  plan: Pick<PlanRef, 'id' | 'title'>;
  activity: { number: number; title: string };
  period: string | null;
}

export interface ReplyRegistry {
  remember(target: ReplyTarget): Promise<void>;
  find(noticeId: string): Promise<ReplyTarget | null>;
}

const FORMAT = 1;

function isTarget(v: unknown, noticeId: string): v is ReplyTarget & { format: number } {
  const r = v as Partial<ReplyTarget & { format: number }> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.format === FORMAT &&
    r.noticeId === noticeId &&
    typeof r.workflowId === 'string' &&
    typeof r.area === 'string' &&
    typeof r.owner === 'string' &&
    typeof r.activity?.number === 'number'
  );
}

export function createReplyRegistry(rows: ReplyRows): ReplyRegistry {
  return {
    remember: (target) => rows.remember(target.noticeId, target.workflowId, { format: FORMAT, ...target }),
    async find(noticeId) {
      if (!/^[0-9a-f]{32}$/.test(noticeId)) return null;
      const stored = await rows.find(noticeId);
      if (stored === null) return null;
      if (!isTarget(stored, noticeId)) throw new Error(`El registro de respuestas ${noticeId} no tiene el formato esperado.`);
      const { format: _format, ...target } = stored;
      return target;
    },
  };
}
