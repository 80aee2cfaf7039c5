/**
 * What the workflow and the e-mail activity agree on. Only types and the list of kinds are imported,
 * so a workflow can `import type` these without pulling anything else into its bundle.
 *
 * Everything here travels in Temporal history, which is kept for years and shown in the UI:
 * it carries AREA CODES (`OAPLA`, `ARCOM`), never e-mail addresses or people's names. The
 * activity resolves codes to mailboxes from the areas directory at send time.
 */

// The one list of notice kinds lives in domain/notice-kinds.ts, under everything that names them.
export { NOTICE_KINDS, type NoticeKind } from '../../domain/notice-kinds';
import type { NoticeKind } from '../../domain/notice-kinds';
import type { PlanRef } from '../../plans/plan-ref';

/** Spanish (es-CO) first; English as the second locale. */
export const NOTICE_LOCALES = ['es', 'en'] as const;
export type NoticeLocale = (typeof NOTICE_LOCALES)[number];

/** Notices that carry the due date as a calendar (.ics) attachment. */
export const KINDS_WITH_CALENDAR: readonly NoticeKind[] = ['kickoff', 'reminder'];

export interface NoticeEmailInput {
  /** Stable per notice, e.g. `participacion-ciudadana-2023/13/-/0/reminder-3`. */
  idempotencyKey: string;
  kind: NoticeKind;
  locale: NoticeLocale;
  /** Area codes; each area's `email` goes to To and its `cc` to Cc. */
  to: string[];
  /** Area codes copied (their `email` and `cc`). */
  cc: string[];
  /** The plan's `owner` is named as "what happens next"; without it, OAPLA, as in the plan model. */
  plan: Pick<PlanRef, 'id' | 'title' | 'year' | 'entity'> & Partial<Pick<PlanRef, 'owner'>>;
  activity: {
    number: number;
    title: string;
    deliverable: string;
    start: string;
    due: string;
    responsible: string[];
  };
  /** The period this notice is about (`2023-03` reads "marzo de 2023"), or null for one-off activities. */
  period: string | null;
  /** ISO date this period's deliverable is due. */
  dueDate: string;
  /** Why this notice falls today, already written in `locale`. */
  reason?: string;
  detail?: {
    escalation?: number;
    maxEscalations?: number;
    note?: string;
    checkMessage?: string;
    rejectReason?: string;
    newDue?: string;
    /** Where the received evidence can be seen (http/https). */
    evidenceUrl?: string;
    /** Area codes whose mailboxes could not be reached. */
    failedRecipients?: string[];
  };
  /** Built by code, http/https only. `evidence`: where to submit the evidence. */
  links?: { evidence?: string };
}

/** What `sendNotice` returns; it goes into history too, so it lists area codes, not addresses. */
export interface SendReceipt {
  messageId: string;
  idempotencyKey: string;
  /** Areas with at least one mailbox the SMTP server accepted. */
  accepted: string[];
  /** Areas with at least one mailbox the SMTP server refused (the message still went to the others). */
  rejected: string[];
  /** True when this key had been sent before and nothing was sent now. */
  duplicate: boolean;
}

/** A receipt as the sent-ledger stores it. */
export type SentRecord = Omit<SendReceipt, 'duplicate'>;
