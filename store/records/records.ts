/**
 * plazos's own records behind one interface, whatever the engine: what was sent (the sent-ledger),
 * what a reply may answer (the reply registry), what the mailbox already acted on, which cut
 * reports are kept, and the web's sessions, throttling counters and one-time tokens.
 *
 * Every method is one statement or one short transaction: callers in several processes (workers,
 * web apps, the mailbox reader, on several hosts) meet only here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { RecordsSchema } from './schema';
import { calendarEventVersionsOver, calendarFeedsOver, type CalendarEventVersions, type CalendarFeeds } from './calendar-feeds';

export interface SentRecord {
  idempotencyKey: string;
  messageId: string;
  /** Area codes the server accepted and refused. */
  accepted: string[];
  rejected: string[];
}

export interface SentLedger {
  /** The stored receipt for this key, or null when it has not been sent. */
  find(idempotencyKey: string): Promise<SentRecord | null>;
  /** Durably records a sent notice; on return, a crash no longer loses it. The first receipt of a key stays. */
  record(entry: SentRecord): Promise<void>;
}

export interface ReplyRows {
  remember(noticeId: string, workflowId: string, target: object): Promise<void>;
  /** The target as remembered (parsed JSON), or null. */
  find(noticeId: string): Promise<unknown>;
}

export type Folder = 'processed' | 'refused';

export interface Processed {
  key: string;
  folder: Folder;
  /** What was done, as a code: `evidence:E2`, `progress`, `refused-sender`, `not-received:nothing`, `ignore:auto-reply`. */
  outcome: string;
}

export interface ProcessedLedger {
  find(key: string): Promise<Processed | null>;
  record(entry: Processed): Promise<void>;
}

export interface CutFile {
  planId: string;
  cut: string;
  name: string;
  sha256: string;
  size: number;
}

export interface CutIndex {
  /** Keeps the row unless one is already kept for (plan, cut, name); true when this call kept it. */
  keep(file: CutFile): Promise<boolean>;
  find(planId: string, cut: string, name: string): Promise<CutFile | null>;
}

/** What a session's holder may do, as the web app decided when they signed in. */
export interface SessionRoles {
  oapla: boolean;
  control: boolean;
  areas: string[];
}

export interface Session {
  username: string;
  userStamp: string;
  expiresAt: number;
  /** None on a session from before roles were kept (a users-file OAPLA user's). */
  roles?: SessionRoles | null;
  /** The provider's id token, for a session opened by OpenID Connect. */
  idToken?: string | null;
}

/** A session as found: the optional parts always present, null when none. */
export type FoundSession = Required<Session>;

export interface Sessions {
  /** A new session; the token goes into the cookie, only its hash into the store. */
  open(session: Session): Promise<string>;
  /** The live session of this token, or null (unknown, ended, expired). */
  find(token: string, nowMs: number): Promise<FoundSession | null>;
  end(token: string): Promise<void>;
  /** Ends every session of a user (removed, password changed); returns how many. */
  endUser(username: string): Promise<number>;
  /** Removes expired sessions; returns how many. */
  sweep(nowMs: number): Promise<number>;
}

export interface Throttle {
  /** Counts one more event for `key` in the fixed window of `windowMs` holding `nowMs`; returns the count so far in it. */
  hit(key: string, windowMs: number, nowMs: number): Promise<number>;
  /** Forgets the count (a success); a block stays until it runs out. */
  clear(key: string): Promise<void>;
  block(key: string, untilMs: number, nowMs: number): Promise<void>;
  /** Milliseconds left of the longest block on any of the keys, or 0. */
  blockedFor(keys: readonly string[], nowMs: number): Promise<number>;
  /**
   * Forgets the keys starting with `prefix` whose window started more than `olderThanMs` ago and
   * that are not blocked: one row per name an attacker tries would otherwise stay for good. Only
   * the caller's keys: each counter has its own window, and a sweep sized for sign-ins (minutes)
   * must not reset a counter of hours. Returns how many.
   */
  sweep(prefix: string, olderThanMs: number, nowMs: number): Promise<number>;
}

export interface OneTimeTokens {
  /** A token for `subject`, good once until `expiresAt`. */
  issue(purpose: string, subject: string, expiresAt: number): Promise<string>;
  /** The subject, if this call spent a live token of this purpose; null when unknown, expired or already spent. */
  spend(purpose: string, token: string, nowMs: number): Promise<string | null>;
}

/** A notice a worker could not send yet, and why (describeMailFailure's words). */
export interface UnsentNotice {
  idempotencyKey: string;
  workflowId: string;
  planId: string;
  kind: string;
  code: string;
  reason: string;
  fix: string;
}

export interface UnsentNoticeRow extends UnsentNotice {
  firstFailedAt: number;
  lastFailedAt: number;
  attempts: number;
}

export interface UnsentSummary {
  count: number;
  /** When the oldest of them first failed; null when none. */
  since: number | null;
  /** The reason of the latest failure. */
  latest: Pick<UnsentNoticeRow, 'code' | 'reason' | 'fix' | 'lastFailedAt'> | null;
}

export interface LateSummary {
  /** Notices that failed first and went out later, in the span asked. */
  count: number;
  /** The earliest first failure among them and the latest send: roughly how long mail was out. */
  from: number | null;
  until: number | null;
}

export interface UnsentNotices {
  /** One more failed attempt: the first one sets `firstFailedAt`, every one updates the reason. */
  failed(notice: UnsentNotice, nowMs: number): Promise<void>;
  /**
   * The notice left the list: `sent` (late; kept a month for the digest to count) or `refused` for
   * good (the workflow reports that itself; forgotten). A key never listed is a no-op.
   */
  cleared(idempotencyKey: string, outcome: 'sent' | 'refused', nowMs: number): Promise<void>;
  /** The notices that failed first and went out after `sinceMs`. */
  late(opts: { sinceMs: number; planId?: string }): Promise<LateSummary>;
  /**
   * The notices that failed after `sinceMs` (an older failure is one Temporal stopped retrying, which
   * the workflow itself reports), oldest first, at most `limit`; one plan's or every plan's.
   */
  list(opts: { sinceMs: number; planId?: string; limit: number }): Promise<UnsentNoticeRow[]>;
  summary(opts: { sinceMs: number; planId?: string }): Promise<UnsentSummary>;
  /** How many notices of each plan are waiting (failed after `sinceMs`, not sent): one grouped query. */
  perPlan(opts: { sinceMs: number }): Promise<Map<string, number>>;
}

export type Engine = 'sqlite' | 'postgres';

export interface Records {
  readonly engine: Engine;
  readonly sent: SentLedger;
  readonly replies: ReplyRows;
  readonly processed: ProcessedLedger;
  readonly cuts: CutIndex;
  readonly sessions: Sessions;
  readonly throttle: Throttle;
  readonly tokens: OneTimeTokens;
  readonly unsent: UnsentNotices;
  readonly calendarFeeds: CalendarFeeds;
  readonly calendarEvents: CalendarEventVersions;
  /** Where the records are, without credentials: for logs and /health. */
  describe(): string;
  /** Answers when the store can be reached (a trivial query). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A stored row that does not parse: the caller cannot tell what happened, and must not guess. */
export class RecordUnreadableError extends Error {
  constructor(
    readonly table: string,
    readonly key: string,
    why: string,
  ) {
    super(`El registro ${key} de ${table} no se puede leer (${why}).`);
    this.name = 'RecordUnreadableError';
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

function sessionRoles(key: string, text: string | null): SessionRoles | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RecordUnreadableError('sessions', key, 'JSON inválido');
  }
  const v = value as Partial<SessionRoles> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.oapla !== 'boolean' ||
    typeof v.control !== 'boolean' ||
    !Array.isArray(v.areas) ||
    !v.areas.every((a) => typeof a === 'string')
  )
    throw new RecordUnreadableError('sessions', key, 'formato desconocido');
  return { oapla: v.oapla, control: v.control, areas: [...v.areas] };
}

function stringList(table: string, key: string, text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RecordUnreadableError(table, key, 'JSON inválido');
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new RecordUnreadableError(table, key, 'formato desconocido');
  return value;
}

/** Rows inserted by a statement, across drivers (SQLite reports bigint or number). */
const inserted = (result: { numInsertedOrUpdatedRows?: bigint | undefined }[]) => result.reduce((n, r) => n + Number(r.numInsertedOrUpdatedRows ?? 0), 0);

/** describeMailFailure's sentences are short; a longer one is cut rather than stored whole. */
const UNSENT_TEXT_MAX = 500;
const LATE_KEPT_MS = 31 * 24 * 3_600_000;

export function recordsOver(db: Kysely<RecordsSchema>, engine: Engine, description: string, now: () => number = Date.now): Records {
  const sent: SentLedger = {
    async find(idempotencyKey) {
      const row = await db.selectFrom('sent_ledger').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
      if (!row) return null;
      return {
        idempotencyKey,
        messageId: row.message_id,
        accepted: stringList('sent_ledger', idempotencyKey, row.accepted),
        rejected: stringList('sent_ledger', idempotencyKey, row.rejected),
      };
    },
    async record(entry) {
      await db
        .insertInto('sent_ledger')
        .values({
          idempotency_key: entry.idempotencyKey,
          message_id: entry.messageId,
          accepted: JSON.stringify(entry.accepted),
          rejected: JSON.stringify(entry.rejected),
          recorded_at: now(),
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute();
    },
  };

  const replies: ReplyRows = {
    async remember(noticeId, workflowId, target) {
      await db
        .insertInto('reply_targets')
        .values({ notice_id: noticeId, workflow_id: workflowId, target: JSON.stringify(target), recorded_at: now() })
        .onConflict((oc) => oc.column('notice_id').doUpdateSet({ workflow_id: workflowId, target: JSON.stringify(target) }))
        .execute();
    },
    async find(noticeId) {
      const row = await db.selectFrom('reply_targets').select('target').where('notice_id', '=', noticeId).executeTakeFirst();
      if (!row) return null;
      try {
        return JSON.parse(row.target) as unknown;
      } catch {
        throw new RecordUnreadableError('reply_targets', noticeId, 'JSON inválido');
      }
    },
  };

  const processed: ProcessedLedger = {
    async find(key) {
      const row = await db.selectFrom('mailbox_processed').selectAll().where('message_key', '=', key).executeTakeFirst();
      if (!row) return null;
      if (row.folder !== 'processed' && row.folder !== 'refused') throw new RecordUnreadableError('mailbox_processed', key, `carpeta ${row.folder}`);
      return { key, folder: row.folder, outcome: row.outcome };
    },
    async record(entry) {
      await db
        .insertInto('mailbox_processed')
        .values({ message_key: entry.key, folder: entry.folder, outcome: entry.outcome, recorded_at: now() })
        .onConflict((oc) => oc.column('message_key').doUpdateSet({ folder: entry.folder, outcome: entry.outcome }))
        .execute();
    },
  };

  const cuts: CutIndex = {
    async keep(file) {
      const result = await db
        .insertInto('cut_files')
        .values({ plan_id: file.planId, cut: file.cut, name: file.name, sha256: file.sha256, size: file.size, kept_at: now() })
        .onConflict((oc) => oc.columns(['plan_id', 'cut', 'name']).doNothing())
        .execute();
      return inserted(result) > 0;
    },
    async find(planId, cut, name) {
      const row = await db.selectFrom('cut_files').selectAll().where('plan_id', '=', planId).where('cut', '=', cut).where('name', '=', name).executeTakeFirst();
      return row ? { planId, cut, name, sha256: row.sha256, size: row.size } : null;
    },
  };

  const sessions: Sessions = {
    async open(session) {
      const token = newToken();
      await db
        .insertInto('sessions')
        .values({
          token_hash: sha256(token),
          username: session.username,
          user_stamp: session.userStamp,
          created_at: now(),
          expires_at: session.expiresAt,
          roles: session.roles ? JSON.stringify({ oapla: session.roles.oapla, control: session.roles.control, areas: session.roles.areas }) : null,
          id_token: session.idToken ?? null,
        })
        .execute();
      return token;
    },
    async find(token, nowMs) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
      const row = await db
        .selectFrom('sessions')
        .select(['username', 'user_stamp', 'expires_at', 'roles', 'id_token'])
        .where('token_hash', '=', sha256(token))
        .where('expires_at', '>', nowMs)
        .executeTakeFirst();
      if (!row) return null;
      return {
        username: row.username,
        userStamp: row.user_stamp,
        expiresAt: Number(row.expires_at),
        roles: sessionRoles(row.username, row.roles),
        idToken: row.id_token,
      };
    },
    async end(token) {
      await db.deleteFrom('sessions').where('token_hash', '=', sha256(token)).execute();
    },
    async endUser(username) {
      const result = await db.deleteFrom('sessions').where('username', '=', username).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async sweep(nowMs) {
      const result = await db.deleteFrom('sessions').where('expires_at', '<=', nowMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };

  const throttle: Throttle = {
    async hit(key, windowMs, nowMs) {
      const windowStart = nowMs - (nowMs % windowMs);
      // One statement, so two web apps counting the same key at once both count.
      const row = await db
        .insertInto('throttle')
        .values({ key, window_start: windowStart, hits: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            hits: sql<number>`case when throttle.window_start = excluded.window_start then throttle.hits + 1 else 1 end`,
            window_start: sql<number>`excluded.window_start`,
          }),
        )
        .returning('hits')
        .executeTakeFirstOrThrow();
      return Number(row.hits);
    },
    async clear(key) {
      await db.updateTable('throttle').set({ hits: 0 }).where('key', '=', key).execute();
    },
    async block(key, untilMs, nowMs) {
      const windowStart = nowMs;
      await db
        .insertInto('throttle')
        .values({ key, window_start: windowStart, hits: 0, blocked_until: untilMs })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            blocked_until: sql<number>`case when throttle.blocked_until > excluded.blocked_until then throttle.blocked_until else excluded.blocked_until end`,
            hits: 0,
          }),
        )
        .execute();
    },
    async blockedFor(keys, nowMs) {
      if (keys.length === 0) return 0;
      const row = await db
        .selectFrom('throttle')
        .select((eb) => eb.fn.max('blocked_until').as('until'))
        .where('key', 'in', [...keys])
        .executeTakeFirst();
      const until = Number(row?.until ?? 0);
      return Math.max(0, until - nowMs);
    },
    async sweep(prefix, olderThanMs, nowMs) {
      if (prefix === '') throw new Error('throttle.sweep needs the prefix of its own keys');
      // The prefix is matched with substr, not LIKE: a key may hold `%` or `_`.
      const result = await db
        .deleteFrom('throttle')
        .where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix)
        .where('window_start', '<', nowMs - olderThanMs)
        .where('blocked_until', '<=', nowMs)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };

  const tokens: OneTimeTokens = {
    async issue(purpose, subject, expiresAt) {
      const token = newToken();
      await db
        .insertInto('one_time_tokens')
        .values({ token_hash: sha256(token), purpose, subject, expires_at: expiresAt, spent_at: null })
        .execute();
      return token;
    },
    async spend(purpose, token, nowMs) {
      // The update is the check: of two requests spending one token at once, one changes the row.
      const row = await db
        .updateTable('one_time_tokens')
        .set({ spent_at: nowMs })
        .where('token_hash', '=', sha256(token))
        .where('purpose', '=', purpose)
        .where('spent_at', 'is', null)
        .where('expires_at', '>', nowMs)
        .returning('subject')
        .executeTakeFirst();
      return row?.subject ?? null;
    },
  };

  /** The notices still waiting: failed after `sinceMs`, not sent since; one plan's or every plan's. */
  const waiting = (sinceMs: number, planId?: string) => {
    const query = db.selectFrom('unsent_notices').where('sent_at', 'is', null).where('last_failed_at', '>=', sinceMs);
    return planId === undefined ? query : query.where('plan_id', '=', planId);
  };
  const unsent: UnsentNotices = {
    async failed(notice, nowMs) {
      const text = (value: string) => value.slice(0, UNSENT_TEXT_MAX);
      await db
        .insertInto('unsent_notices')
        .values({
          idempotency_key: notice.idempotencyKey,
          workflow_id: notice.workflowId,
          plan_id: notice.planId,
          kind: notice.kind,
          code: notice.code,
          reason: text(notice.reason),
          fix: text(notice.fix),
          first_failed_at: nowMs,
          last_failed_at: nowMs,
          attempts: 1,
          sent_at: null,
        })
        .onConflict((oc) =>
          oc.column('idempotency_key').doUpdateSet({
            sent_at: null,
            code: notice.code,
            reason: text(notice.reason),
            fix: text(notice.fix),
            last_failed_at: nowMs,
            attempts: sql<number>`unsent_notices.attempts + 1`,
          }),
        )
        .execute();
    },
    async cleared(idempotencyKey, outcome, nowMs) {
      if (outcome === 'refused') {
        await db.deleteFrom('unsent_notices').where('idempotency_key', '=', idempotencyKey).execute();
        return;
      }
      await db.updateTable('unsent_notices').set({ sent_at: nowMs }).where('idempotency_key', '=', idempotencyKey).where('sent_at', 'is', null).execute();
      // A late notice is counted for a month (the digest looks back a week), then forgotten.
      await db
        .deleteFrom('unsent_notices')
        .where('sent_at', '<', nowMs - LATE_KEPT_MS)
        .execute();
    },
    async late({ sinceMs, planId }) {
      let query = db
        .selectFrom('unsent_notices')
        .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('first_failed_at').as('from'), eb.fn.max('sent_at').as('until')])
        .where('sent_at', '>=', sinceMs);
      if (planId !== undefined) query = query.where('plan_id', '=', planId);
      const row = await query.executeTakeFirst();
      const count = Number(row?.count ?? 0);
      return count === 0 ? { count: 0, from: null, until: null } : { count, from: Number(row!.from), until: Number(row!.until) };
    },
    async list({ sinceMs, planId, limit }) {
      const rows = await waiting(sinceMs, planId).selectAll().orderBy('first_failed_at').orderBy('idempotency_key').limit(limit).execute();
      return rows.map((r) => ({
        idempotencyKey: r.idempotency_key,
        workflowId: r.workflow_id,
        planId: r.plan_id,
        kind: r.kind,
        code: r.code,
        reason: r.reason,
        fix: r.fix,
        firstFailedAt: Number(r.first_failed_at),
        lastFailedAt: Number(r.last_failed_at),
        attempts: Number(r.attempts),
      }));
    },
    async summary({ sinceMs, planId }) {
      const totals = await waiting(sinceMs, planId)
        .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('first_failed_at').as('since')])
        .executeTakeFirst();
      const count = Number(totals?.count ?? 0);
      if (count === 0) return { count: 0, since: null, latest: null };
      const latest = await waiting(sinceMs, planId)
        .select(['code', 'reason', 'fix', 'last_failed_at'])
        .orderBy('last_failed_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return {
        count,
        since: Number(totals!.since),
        latest: latest ? { code: latest.code, reason: latest.reason, fix: latest.fix, lastFailedAt: Number(latest.last_failed_at) } : null,
      };
    },
    async perPlan({ sinceMs }) {
      const rows = await waiting(sinceMs)
        .select((eb) => ['plan_id', eb.fn.countAll<number>().as('count')])
        .groupBy('plan_id')
        .execute();
      return new Map(rows.map((r) => [r.plan_id, Number(r.count)]));
    },
  };

  return {
    engine,
    sent,
    replies,
    processed,
    cuts,
    sessions,
    throttle,
    tokens,
    unsent,
    calendarFeeds: calendarFeedsOver(db),
    calendarEvents: calendarEventVersionsOver(db),
    describe: () => description,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
