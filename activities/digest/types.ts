/**
 * What the digest workflow and its activities agree on. Types only, so the workflow can import
 * them without pulling anything into its bundle. Like every notice, these travel in history:
 * area codes and plan text, never addresses.
 */
import type { PlanRef } from '../../plans/plan-ref';
import type { DigestContent } from '../../calendar/digest';
import type { NoticeLocale } from '../email/types';

/** The plan as its digest needs it; the digest goes to its `owner`. */
export type DigestPlanRef = Pick<PlanRef, 'id' | 'title' | 'entity' | 'owner' | 'timezone'>;

export interface DigestWorkflowInput {
  plan: DigestPlanRef;
  locale: NoticeLocale;
}

export interface CollectDigestInput {
  planId: string;
  timezone: string;
  /** The day the digest speaks of, in the plan's zone. */
  today: string;
}

export interface SendDigestInput {
  plan: DigestPlanRef;
  locale: NoticeLocale;
  content: DigestContent;
}

export interface DigestReceipt {
  messageId: string;
  idempotencyKey: string;
  accepted: string[];
  rejected: string[];
  duplicate: boolean;
}

/** What a digest run returns (and the Schedule's recent actions show). */
export interface DigestResult {
  date: string;
  overdue: number;
  dueSoon: number;
  inReview: number;
  messageId: string;
}

/** `digest/participacion-ciudadana-2023/2023-08-08`: one digest per plan and day. */
export function digestIdempotencyKey(planId: string, date: string): string {
  return `digest/${planId}/${date}`;
}
