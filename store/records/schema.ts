/**
 * The tables of plazos's own records, as Kysely sees them. Times are milliseconds since the epoch
 * (BIGINT, read back as numbers); lists are JSON text, so both engines store them the same way.
 */
import type { Generated } from 'kysely';

export interface SentLedgerTable {
  idempotency_key: string;
  message_id: string;
  /** JSON array of area codes. */
  accepted: string;
  rejected: string;
  recorded_at: number;
}

export interface ReplyTargetTable {
  notice_id: string;
  workflow_id: string;
  /** The whole target as JSON: codes and plan text, no address. */
  target: string;
  recorded_at: number;
}

export interface MailboxProcessedTable {
  message_key: string;
  folder: string;
  outcome: string;
  recorded_at: number;
}

export interface CutFileTable {
  plan_id: string;
  cut: string;
  name: string;
  sha256: string;
  size: number;
  kept_at: number;
}

export interface SessionTable {
  /** sha256 of the cookie's token: a copy of the table does not sign anyone in. */
  token_hash: string;
  username: string;
  /** A short hash of the user's password hash when the session began: a changed password ends it. */
  user_stamp: string;
  created_at: number;
  expires_at: number;
  /** JSON `{ oapla, control, areas }`; null on rows from before roles existed (users-file OAPLA users). */
  roles: string | null;
  /** The provider's id token for a session opened by OpenID Connect: the hint its sign-out wants. */
  id_token: string | null;
}

export interface ThrottleTable {
  key: string;
  window_start: number;
  hits: number;
  blocked_until: Generated<number>;
}

export interface OneTimeTokenTable {
  token_hash: string;
  purpose: string;
  subject: string;
  expires_at: number;
  spent_at: number | null;
}

export interface UnsentNoticeTable {
  idempotency_key: string;
  workflow_id: string;
  plan_id: string;
  kind: string;
  /** describeMailFailure's code: `connection-refused`, `auth-rejected`... */
  code: string;
  /** What happened and what to change, in Spanish; never the server's own text (it may quote an address). */
  reason: string;
  fix: string;
  first_failed_at: number;
  last_failed_at: number;
  attempts: number;
  /** When it went out after all; null while it has not. */
  sent_at: number | null;
}

export interface CalendarFeedTable {
  id: string;
  /** sha256 of the subscription URL's token. */
  token_hash: string;
  /** An area code, or `all`. */
  scope: string;
  created_at: number;
  revoked_at: number | null;
}

export interface CalendarEventVersionTable {
  uid: string;
  /** The due date last published, `2023-06-16`. */
  due: string;
  /** The reminder instants last published, as revise() was given them; null on rows from before 0006. */
  alarms: string | null;
  sequence: number;
  modified_at: number;
  /** When a feed last listed the event (refreshed at most daily); rows unseen for long are swept (0007). */
  seen_at: number | null;
}

export interface RecordsSchema {
  sent_ledger: SentLedgerTable;
  reply_targets: ReplyTargetTable;
  mailbox_processed: MailboxProcessedTable;
  cut_files: CutFileTable;
  sessions: SessionTable;
  throttle: ThrottleTable;
  one_time_tokens: OneTimeTokenTable;
  unsent_notices: UnsentNoticeTable;
  calendar_feeds: CalendarFeedTable;
  calendar_event_versions: CalendarEventVersionTable;
}
