/**
 * Calendar subscriptions: the private feed URLs OAPLA hands out and revokes, and the version of each
 * deliverable's event as the feeds last published it.
 *
 * The version lives here because visibility keeps a deliverable's due date, not when it last moved:
 * a subscribed calendar (Outlook above all) takes a changed event when its SEQUENCE is higher, so the
 * feed must remember what it published before. One row per deliverable, shared by every feed, so an
 * area's feed and OAPLA's agree on the same event's version.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { RecordsSchema } from './schema';

export interface CalendarFeed {
  /** Short and not secret: what `plazos calendar feed revoke` names. */
  id: string;
  /** An area code, or `all` for every plan. */
  scope: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface CalendarFeeds {
  /** A new feed; the token goes into the URL, only its hash into the store. */
  create(scope: string, nowMs: number): Promise<{ feed: CalendarFeed; token: string }>;
  /** Every feed, revoked ones included, oldest first. */
  list(): Promise<CalendarFeed[]>;
  /** True when this call revoked it; false when the id is unknown or it was revoked already. */
  revoke(id: string, nowMs: number): Promise<boolean>;
  /** The feed of this token while it is not revoked, or null (unknown, forged, revoked). */
  find(token: string): Promise<CalendarFeed | null>;
}

export interface EventVersion {
  sequence: number;
  /** When plazos first published this due date. */
  modifiedAt: number;
}

export interface CalendarEventVersions {
  /**
   * The version of each event as published now: a UID first seen starts at 0 from `nowMs`; a due
   * date or alarms other than the ones stored is one more, from `nowMs`; the same keeps its version.
   * Two feeds read at once count a move once. `alarms` is any text that changes when the reminders
   * move (their instants, in order).
   */
  revise(events: readonly { uid: string; due: string; alarms: string }[], nowMs: number): Promise<Map<string, EventVersion>>;
  /**
   * Forgets at most `limit` events no feed has listed for `unseenMs` (their workflows closed, their
   * plans past); returns how many. One that comes back starts again at version 0.
   */
  sweep(unseenMs: number, nowMs: number, limit: number): Promise<number>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** 32 random bytes in base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Rows per statement: well under SQLite's and PostgreSQL's bound on parameters. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const feedOf = (r: { id: string; scope: string; created_at: number; revoked_at: number | null }): CalendarFeed => ({
  id: r.id,
  scope: r.scope,
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export function calendarFeedsOver(db: Kysely<RecordsSchema>): CalendarFeeds {
  return {
    async create(scope, nowMs) {
      const token = randomBytes(32).toString('base64url');
      const feed: CalendarFeed = { id: randomBytes(4).toString('hex'), scope, createdAt: nowMs, revokedAt: null };
      await db
        .insertInto('calendar_feeds')
        .values({ id: feed.id, token_hash: sha256(token), scope, created_at: nowMs, revoked_at: null })
        .execute();
      return { feed, token };
    },
    async list() {
      const rows = await db.selectFrom('calendar_feeds').select(['id', 'scope', 'created_at', 'revoked_at']).orderBy('created_at').orderBy('id').execute();
      return rows.map(feedOf);
    },
    async revoke(id, nowMs) {
      const result = await db.updateTable('calendar_feeds').set({ revoked_at: nowMs }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async find(token) {
      if (!TOKEN_PATTERN.test(token)) return null;
      const row = await db
        .selectFrom('calendar_feeds')
        .select(['id', 'scope', 'created_at', 'revoked_at'])
        .where('token_hash', '=', sha256(token))
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row ? feedOf(row) : null;
    },
  };
}

/**
 * A feed read marks its events seen at most this often: a read with nothing moved stays reads alone
 * but for one write a day, and the sweep's horizon is months.
 */
const SEEN_REFRESH_MS = 86_400_000;

interface StoredVersion {
  due: string;
  alarms: string | null;
  sequence: number;
  modifiedAt: number;
  seenAt: number;
}

export function calendarEventVersionsOver(db: Kysely<RecordsSchema>): CalendarEventVersions {
  const read = async (uids: readonly string[]) => {
    const found = new Map<string, StoredVersion>();
    for (const part of chunks(uids)) {
      const rows = await db.selectFrom('calendar_event_versions').selectAll().where('uid', 'in', part).execute();
      for (const r of rows)
        found.set(r.uid, {
          due: r.due,
          alarms: r.alarms,
          sequence: Number(r.sequence),
          modifiedAt: Number(r.modified_at),
          seenAt: Number(r.seen_at ?? r.modified_at),
        });
    }
    return found;
  };
  return {
    async revise(events, nowMs) {
      const stored = await read(events.map((e) => e.uid));
      // Only new and moved events are written: a feed read while nothing moved is reads alone. A row
      // from before alarms were kept (null) takes today's without a new version.
      const changed = events.filter((e) => {
        const s = stored.get(e.uid);
        return !s || s.due !== e.due || (s.alarms !== null && s.alarms !== e.alarms);
      });
      const adopted = events.filter((e) => {
        const s = stored.get(e.uid);
        return s && s.due === e.due && s.alarms === null;
      });
      for (const part of chunks(changed)) {
        await db
          .insertInto('calendar_event_versions')
          .values(part.map((e) => ({ uid: e.uid, due: e.due, alarms: e.alarms, sequence: 0, modified_at: nowMs, seen_at: nowMs })))
          .onConflict((oc) =>
            oc
              .column('uid')
              .doUpdateSet({
                due: sql<string>`excluded.due`,
                alarms: sql<string>`excluded.alarms`,
                sequence: sql<number>`calendar_event_versions.sequence + 1`,
                modified_at: sql<number>`excluded.modified_at`,
                seen_at: sql<number>`excluded.seen_at`,
              })
              // The guard makes a second reader that saw the same move a no-op, not a second bump.
              // A null alarms compares as unknown, so only a new due date bumps such a row.
              .where(sql<boolean>`calendar_event_versions.due <> excluded.due OR calendar_event_versions.alarms <> excluded.alarms`),
          )
          .execute();
      }
      for (const part of chunks(adopted)) {
        // The row exists: only the conflict branch runs, and only where alarms are still unknown.
        await db
          .insertInto('calendar_event_versions')
          .values(part.map((e) => ({ uid: e.uid, due: e.due, alarms: e.alarms, sequence: 0, modified_at: nowMs, seen_at: nowMs })))
          .onConflict((oc) =>
            oc
              .column('uid')
              .doUpdateSet({ alarms: sql<string>`excluded.alarms`, seen_at: sql<number>`excluded.seen_at` })
              .where(sql<boolean>`calendar_event_versions.alarms IS NULL AND calendar_event_versions.due = excluded.due`),
          )
          .execute();
      }
      // Seen again: the sweep keeps them. A day's reads write this once.
      const written = new Set([...changed, ...adopted].map((e) => e.uid));
      const stale = events.filter((e) => !written.has(e.uid) && (stored.get(e.uid)?.seenAt ?? nowMs) < nowMs - SEEN_REFRESH_MS).map((e) => e.uid);
      for (const part of chunks(stale)) {
        await db.updateTable('calendar_event_versions').set({ seen_at: nowMs }).where('uid', 'in', part).where('seen_at', '<', nowMs).execute();
      }
      const now = changed.length > 0 ? await read(changed.map((e) => e.uid)) : new Map<string, StoredVersion>();
      const versions = new Map<string, EventVersion>();
      for (const e of events) {
        const v = now.get(e.uid) ?? stored.get(e.uid);
        if (v) versions.set(e.uid, { sequence: v.sequence, modifiedAt: v.modifiedAt });
      }
      return versions;
    },
    async sweep(unseenMs, nowMs, limit) {
      // Bounded by a subquery (SQLite and PostgreSQL both take it; neither's DELETE takes LIMIT as such).
      const gone = db
        .selectFrom('calendar_event_versions')
        .select('uid')
        .where('seen_at', '<', nowMs - unseenMs)
        .limit(limit);
      const result = await db.deleteFrom('calendar_event_versions').where('uid', 'in', gone).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
