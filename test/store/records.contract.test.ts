/**
 * One contract for plazos's records, run against both engines: SQLite (the embedded default) and
 * PostgreSQL (production). Two `Records` opened on the same settings stand for two processes or two
 * hosts (a worker and the mailbox reader, two web apps): what one writes, the other sees.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { MIGRATIONS } from '../../store/records/migrations';
import { migrate } from '../../store/records/open';
import { openPostgres } from '../../store/records/postgres';
import { openSqlite } from '../../store/records/sqlite';
import { RecordUnreadableError, StoreUnavailableError, SQLITE_FILE, type Records, type RecordsSettings } from '../../store/records';
import type { RecordsSchema } from '../../store/records/schema';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, opener, startEngine, type EngineUnderTest } from '../helpers/records';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The alarms of a deadline on 16 June 2023 and of one on 14 July, as the feed's versions compare them. */
const A_ALARMS = '2023-06-01T13:00:00.000Z 2023-06-13T13:00:00.000Z';
const B_ALARMS = '2023-06-30T13:00:00.000Z 2023-07-11T13:00:00.000Z';
const T0 = Date.UTC(2023, 0, 4, 13, 0, 0);
/** A cookie token in the form the store hands out, and the hash it keeps of it. */
const SESSION_TOKEN = 'a'.repeat(43);
const SESSION_HASH = createHash('sha256').update(SESSION_TOKEN).digest('hex');

/** The raw database behind settings, to damage a row or look at the schema as an operator would. */
function rawDb(settings: RecordsSettings): Kysely<RecordsSchema> {
  if (settings.url) return openPostgres({ connectionString: settings.url, password: readFileSync(settings.passwordFile!, 'utf8').trim() });
  return openSqlite(join(settings.dataDir, SQLITE_FILE));
}

describe.each(ENGINES)('plazos records on %s', (engineName) => {
  let engine: EngineUnderTest;
  const stores = opener();
  beforeAll(async () => {
    engine = await startEngine(engineName);
  });
  afterEach(() => stores.closeAll());
  afterAll(() => engine?.close());

  /** Two handles on one new store, as two processes would have. */
  async function pair(): Promise<[Records, Records, RecordsSettings]> {
    const settings = engine.fresh();
    const a = await stores.open(settings);
    const b = await stores.open(settings);
    return [a, b, settings];
  }

  describe('the sent-ledger', () => {
    const RECORD = {
      idempotencyKey: 'participacion-ciudadana-2023/13/-/0/reminder-3',
      messageId: '<abc@entidad.gov.co>',
      accepted: ['ARACF'],
      rejected: ['ASERA'],
    };

    test('a notice never sent is not there; a recorded one is found by another process, as after a restart', async () => {
      const [worker, mailbox] = await pair();
      await expect(worker.sent.find(RECORD.idempotencyKey)).resolves.toBeNull();
      await worker.sent.record(RECORD);
      await expect(mailbox.sent.find(RECORD.idempotencyKey)).resolves.toEqual(RECORD);
      await expect(mailbox.sent.find(`${RECORD.idempotencyKey}-otro`)).resolves.toBeNull();
    });

    test('the first receipt of a key stays: a second send recorded later does not replace its Message-ID', async () => {
      const [ledger] = await pair();
      await ledger.sent.record(RECORD);
      await ledger.sent.record({ ...RECORD, messageId: '<otro@entidad.gov.co>' });
      await expect(ledger.sent.find(RECORD.idempotencyKey)).resolves.toMatchObject({ messageId: '<abc@entidad.gov.co>' });
    });

    test('500 notices recorded at the same moment from two processes are each found afterwards', async () => {
      const [a, b, settings] = await pair();
      const keys = Array.from({ length: 500 }, (_, i) => `rafaga-2023/${i + 1}/-/0/kickoff`);
      await Promise.all(
        keys.map((key, i) => (i % 2 ? a : b).sent.record({ idempotencyKey: key, messageId: `<m${i}@entidad.gov.co>`, accepted: ['OAPLA'], rejected: [] })),
      );
      const reopened = await stores.open(settings);
      const found = await Promise.all(keys.map((key) => reopened.sent.find(key)));
      expect(found.map((r) => r?.messageId)).toEqual(keys.map((_, i) => `<m${i}@entidad.gov.co>`));
    });

    test('a damaged receipt is an error naming the key, not "never sent" (which would send the notice again)', async () => {
      const [ledger, , settings] = await pair();
      await ledger.sent.record(RECORD);
      const db = rawDb(settings);
      await db.updateTable('sent_ledger').set({ accepted: '{no es json' }).execute();
      await db.destroy();
      const error = await ledger.sent.find(RECORD.idempotencyKey).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecordUnreadableError);
      expect((error as Error).message).toContain(RECORD.idempotencyKey);
    });
  });

  test('the reply registry and the processed-ledger keep what one process wrote for another', async () => {
    const [worker, reader] = await pair();
    const target = {
      noticeId: '0123456789abcdef0123456789abcdef',
      workflowId: 'plan-2023/13',
      area: 'ASERA',
      plan: { id: 'plan-2023', title: 'Plan «2023» & más' },
    };
    await worker.replies.remember(target.noticeId, target.workflowId, target);
    await expect(reader.replies.find(target.noticeId)).resolves.toEqual(target);
    await expect(reader.replies.find('f'.repeat(32))).resolves.toBeNull();

    await expect(reader.processed.find('<r1@entidad.gov.co>')).resolves.toBeNull();
    await reader.processed.record({ key: '<r1@entidad.gov.co>', folder: 'processed', outcome: 'evidence:E2' });
    await reader.processed.record({ key: '<r2@otro.example>', folder: 'refused', outcome: 'refused-sender' });
    await expect(worker.processed.find('<r1@entidad.gov.co>')).resolves.toEqual({ key: '<r1@entidad.gov.co>', folder: 'processed', outcome: 'evidence:E2' });
    await expect(worker.processed.find('<r2@otro.example>')).resolves.toMatchObject({ folder: 'refused' });
  });

  test('a cut report file is kept once: the second keep of the same name says so and leaves the first', async () => {
    const [a, b] = await pair();
    const file = { planId: 'plan-2023', cut: '2023-06-30', name: 'snapshot.json', sha256: 'a'.repeat(64), size: 10 };
    const both = await Promise.all([a.cuts.keep(file), b.cuts.keep({ ...file, sha256: 'b'.repeat(64) })]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const kept = await a.cuts.find('plan-2023', '2023-06-30', 'snapshot.json');
    expect(kept?.sha256).toBe(both[0] ? 'a'.repeat(64) : 'b'.repeat(64));
    await expect(a.cuts.find('plan-2023', '2023-12-31', 'snapshot.json')).resolves.toBeNull();
  });

  describe('sessions on the server', () => {
    test('a session opened on one web app is seen by another, and ended there by signing out', async () => {
      const [webA, webB] = await pair();
      const token = await webA.sessions.open({ username: 'planeacion', userStamp: 's1', expiresAt: T0 + 8 * HOUR });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await expect(webB.sessions.find(token, T0)).resolves.toEqual({
        username: 'planeacion',
        userStamp: 's1',
        expiresAt: T0 + 8 * HOUR,
        roles: null,
        idToken: null,
      });
      await webA.sessions.end(token);
      await expect(webB.sessions.find(token, T0)).resolves.toBeNull();
    });

    test('the store keeps only a hash of the token, so a copy of the table signs no one in', async () => {
      const [web, , settings] = await pair();
      const token = await web.sessions.open({ username: 'planeacion', userStamp: 's1', expiresAt: T0 + HOUR });
      const db = rawDb(settings);
      const rows = await db.selectFrom('sessions').select('token_hash').execute();
      await db.destroy();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.token_hash).not.toContain(token);
      await expect(web.sessions.find(rows[0]!.token_hash, T0)).resolves.toBeNull();
    });

    test('an expired session is refused and swept; ending a user ends every session of theirs and no other', async () => {
      const [web] = await pair();
      const old = await web.sessions.open({ username: 'planeacion', userStamp: 's', expiresAt: T0 });
      const one = await web.sessions.open({ username: 'planeacion', userStamp: 's', expiresAt: T0 + HOUR });
      const two = await web.sessions.open({ username: 'planeacion', userStamp: 's', expiresAt: T0 + HOUR });
      const other = await web.sessions.open({ username: 'control', userStamp: 's', expiresAt: T0 + HOUR });
      await expect(web.sessions.find(old, T0)).resolves.toBeNull();
      await expect(web.sessions.sweep(T0)).resolves.toBe(1);
      await expect(web.sessions.endUser('planeacion')).resolves.toBe(2);
      await expect(web.sessions.find(one, T0)).resolves.toBeNull();
      await expect(web.sessions.find(two, T0)).resolves.toBeNull();
      await expect(web.sessions.find(other, T0)).resolves.toMatchObject({ username: 'control' });
      await expect(web.sessions.find('no-es-un-token', T0)).resolves.toBeNull();
    });
  });

  describe('sessions with roles', () => {
    test("a session keeps its holder's roles and the provider's id token, as the web app gave them", async () => {
      const [webA, webB] = await pair();
      const roles = { oapla: false, control: true, areas: ['ARCOM', 'ASERA'] };
      const token = await webA.sessions.open({ username: 'ana@entidad.gov.co', userStamp: 'oidc', expiresAt: T0 + HOUR, roles, idToken: 'eyJ.x.y' });
      await expect(webB.sessions.find(token, T0)).resolves.toEqual({
        username: 'ana@entidad.gov.co',
        userStamp: 'oidc',
        expiresAt: T0 + HOUR,
        roles,
        idToken: 'eyJ.x.y',
      });
    });

    test('roles that do not parse are reported as an unreadable record, not taken as no roles or as OAPLA', async () => {
      const [web, , settings] = await pair();
      const token = await web.sessions.open({
        username: 'ana',
        userStamp: 'oidc',
        expiresAt: T0 + HOUR,
        roles: { oapla: false, control: false, areas: ['ARCOM'] },
      });
      const db = rawDb(settings);
      await db.updateTable('sessions').set({ roles: '{"oapla":"sí"}' }).execute();
      await db.destroy();
      await expect(web.sessions.find(token, T0)).rejects.toBeInstanceOf(RecordUnreadableError);
    });
  });

  describe('throttling counters', () => {
    test('two web apps count the same key together; a new window starts again from one', async () => {
      const [webA, webB] = await pair();
      const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? webA : webB).throttle.hit('u:planeacion', 15 * 60_000, T0)));
      expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await expect(webA.throttle.hit('u:planeacion', 15 * 60_000, T0 + 15 * 60_000)).resolves.toBe(1);
      await expect(webB.throttle.hit('u:otro', 15 * 60_000, T0)).resolves.toBe(1);
      await webB.throttle.clear('u:planeacion');
      await expect(webA.throttle.hit('u:planeacion', 15 * 60_000, T0 + 15 * 60_000)).resolves.toBe(1);
    });

    test('a block is seen by the other web app until it runs out, and a shorter one does not shorten it', async () => {
      const [webA, webB] = await pair();
      await expect(webB.throttle.blockedFor(['u:planeacion', 'ip:127.0.0.1'], T0)).resolves.toBe(0);
      await webA.throttle.block('u:planeacion', T0 + 15 * 60_000, T0);
      await webA.throttle.block('u:planeacion', T0 + 60_000, T0);
      await expect(webB.throttle.blockedFor(['u:planeacion', 'ip:127.0.0.1'], T0 + 60_000)).resolves.toBe(14 * 60_000);
      await expect(webB.throttle.blockedFor(['ip:127.0.0.1'], T0)).resolves.toBe(0);
      await expect(webB.throttle.blockedFor(['u:planeacion'], T0 + 15 * 60_000)).resolves.toBe(0);
    });
  });

  test('counters of names tried long ago are swept; a block still running is kept', async () => {
    const [web] = await pair();
    for (let i = 0; i < 50; i++) await web.throttle.hit(`u:intento-${i}`, 15 * 60_000, T0);
    await web.throttle.block('u:planeacion', T0 + 2 * HOUR, T0);
    await expect(web.throttle.sweep('u:', 30 * 60_000, T0 + HOUR)).resolves.toBe(50);
    await expect(web.throttle.blockedFor(['u:planeacion'], T0 + HOUR)).resolves.toBe(HOUR);
    await expect(web.throttle.sweep('u:', 30 * 60_000, T0 + 3 * HOUR)).resolves.toBe(1);
  });

  test('a sweep forgets only the keys of its own prefix: a short window never resets a longer one', async () => {
    const [web] = await pair();
    // An hour-long counter (a write bound) and 10-minute ones (sign-ins, `u_x` and `u%` look like LIKE patterns).
    for (let i = 0; i < 3; i++) await web.throttle.hit('write:progress:sender:abc', HOUR, T0);
    await web.throttle.hit('u_x', 10 * 60_000, T0);
    await web.throttle.hit('u%', 10 * 60_000, T0);
    await web.throttle.hit('uxx', 10 * 60_000, T0);
    await expect(web.throttle.sweep('u_', 20 * 60_000, T0 + 40 * 60_000)).resolves.toBe(1);
    await expect(web.throttle.sweep('u%', 20 * 60_000, T0 + 40 * 60_000)).resolves.toBe(1);
    await expect(web.throttle.hit('write:progress:sender:abc', HOUR, T0 + 40 * 60_000)).resolves.toBe(4);
    await expect(web.throttle.hit('uxx', 10 * 60_000, T0 + 40 * 60_000)).resolves.toBe(1);
    await expect(web.throttle.sweep('', 0, T0)).rejects.toThrow(/prefix/);
  });

  test('a one-time token is spent once: of two web apps spending it at once, one gets the subject', async () => {
    const [webA, webB] = await pair();
    const token = await webA.tokens.issue('clave', 'planeacion', T0 + HOUR);
    const spent = await Promise.all([webA.tokens.spend('clave', token, T0), webB.tokens.spend('clave', token, T0)]);
    expect(spent.filter((s) => s === 'planeacion')).toHaveLength(1);
    expect(spent.filter((s) => s === null)).toHaveLength(1);
    const late = await webA.tokens.issue('clave', 'planeacion', T0 + HOUR);
    await expect(webB.tokens.spend('otro-uso', late, T0)).resolves.toBeNull();
    await expect(webB.tokens.spend('clave', late, T0 + HOUR)).resolves.toBeNull();
  });

  test('a notice that cannot go out is listed once per key, since its first failure, by plan; sent, it leaves', async () => {
    const [worker, web] = await pair();
    const notice = (key: string, planId: string) => ({
      idempotencyKey: key,
      workflowId: `${planId}/13`,
      planId,
      kind: 'kickoff',
      code: 'connection-refused',
      reason: 'El servidor rechazó la conexión: nada escucha en ese puerto.',
      fix: 'Revise el servidor y el puerto en la URL.',
    });
    await expect(web.unsent.summary({ sinceMs: 0 })).resolves.toEqual({ count: 0, since: null, latest: null });
    await worker.unsent.failed(notice('pc-2023/13/-/0/kickoff', 'pc-2023'), T0);
    await worker.unsent.failed(notice('pc-2023/14/-/0/kickoff', 'pc-2023'), T0 + 60_000);
    await worker.unsent.failed(notice('otro-2023/1/-/0/kickoff', 'otro-2023'), T0 + 90_000);
    // A retry of the first, now refused at login: the reason changes, the start does not.
    await worker.unsent.failed({ ...notice('pc-2023/13/-/0/kickoff', 'pc-2023'), code: 'auth-rejected', reason: 'R'.repeat(2000) }, T0 + 2 * HOUR);

    const listed = await web.unsent.list({ sinceMs: 0, planId: 'pc-2023', limit: 10 });
    expect(listed.map((r) => [r.idempotencyKey, r.firstFailedAt, r.lastFailedAt, r.attempts, r.code])).toEqual([
      ['pc-2023/13/-/0/kickoff', T0, T0 + 2 * HOUR, 2, 'auth-rejected'],
      ['pc-2023/14/-/0/kickoff', T0 + 60_000, T0 + 60_000, 1, 'connection-refused'],
    ]);
    expect(listed[0]!.reason).toHaveLength(500);
    await expect(web.unsent.list({ sinceMs: 0, limit: 1 })).resolves.toHaveLength(1);
    // Failures older than the window are ones Temporal stopped retrying: not listed, not counted.
    await expect(web.unsent.list({ sinceMs: T0 + HOUR, limit: 10 })).resolves.toEqual([expect.objectContaining({ idempotencyKey: 'pc-2023/13/-/0/kickoff' })]);
    await expect(web.unsent.summary({ sinceMs: 0 })).resolves.toEqual({
      count: 3,
      since: T0,
      latest: { code: 'auth-rejected', reason: 'R'.repeat(500), fix: 'Revise el servidor y el puerto en la URL.', lastFailedAt: T0 + 2 * HOUR },
    });
    await expect(web.unsent.summary({ sinceMs: 0, planId: 'otro-2023' })).resolves.toMatchObject({ count: 1, since: T0 + 90_000 });
    await expect(web.unsent.perPlan({ sinceMs: 0 })).resolves.toEqual(
      new Map([
        ['pc-2023', 2],
        ['otro-2023', 1],
      ]),
    );
    await expect(web.unsent.perPlan({ sinceMs: T0 + HOUR })).resolves.toEqual(new Map([['pc-2023', 1]]));

    // Sent late: off the list, counted for the digest; refused for good: forgotten.
    await worker.unsent.cleared('pc-2023/13/-/0/kickoff', 'sent', T0 + 3 * HOUR);
    await worker.unsent.cleared('otro-2023/1/-/0/kickoff', 'refused', T0 + 3 * HOUR);
    await worker.unsent.cleared('nunca-fallo', 'sent', T0 + 3 * HOUR);
    await expect(web.unsent.summary({ sinceMs: 0, planId: 'pc-2023' })).resolves.toMatchObject({ count: 1, since: T0 + 60_000 });
    await expect(web.unsent.summary({ sinceMs: 0 })).resolves.toMatchObject({ count: 1 });
    await expect(web.unsent.late({ sinceMs: T0, planId: 'pc-2023' })).resolves.toEqual({ count: 1, from: T0, until: T0 + 3 * HOUR });
    await expect(web.unsent.late({ sinceMs: T0 + 4 * HOUR })).resolves.toEqual({ count: 0, from: null, until: null });
    await expect(web.unsent.late({ sinceMs: 0, planId: 'otro-2023' })).resolves.toMatchObject({ count: 0 });
    // Failing again after it went out puts it back on the list.
    await worker.unsent.failed(notice('pc-2023/13/-/0/kickoff', 'pc-2023'), T0 + 4 * HOUR);
    await expect(web.unsent.summary({ sinceMs: 0, planId: 'pc-2023' })).resolves.toMatchObject({ count: 2 });
    // A month after a late send, the row is forgotten when the next one is cleared.
    await worker.unsent.cleared('pc-2023/13/-/0/kickoff', 'sent', T0 + 5 * HOUR);
    await worker.unsent.cleared('pc-2023/14/-/0/kickoff', 'sent', T0 + 40 * 24 * HOUR);
    await expect(web.unsent.late({ sinceMs: 0 })).resolves.toEqual({ count: 1, from: T0 + 60_000, until: T0 + 40 * 24 * HOUR });
  });

  test('a calendar feed is found by its token from another process until revoked; a forged token finds nothing', async () => {
    const [cli, web] = await pair();
    const { feed, token } = await cli.calendarFeeds.create('ARCOM', T0);
    const { feed: all } = await cli.calendarFeeds.create('all', T0 + 1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(web.calendarFeeds.find(token)).resolves.toEqual({ id: feed.id, scope: 'ARCOM', createdAt: T0, revokedAt: null });
    await expect(web.calendarFeeds.find(`${token.slice(0, 42)}${token.endsWith('A') ? 'B' : 'A'}`)).resolves.toBeNull();
    await expect(web.calendarFeeds.find('no-es-un-token')).resolves.toBeNull();
    await expect(web.calendarFeeds.list()).resolves.toEqual([feed, all]);

    await expect(cli.calendarFeeds.revoke(feed.id, T0 + HOUR)).resolves.toBe(true);
    await expect(cli.calendarFeeds.revoke(feed.id, T0 + 2 * HOUR)).resolves.toBe(false);
    await expect(cli.calendarFeeds.revoke('desconocido', T0)).resolves.toBe(false);
    await expect(web.calendarFeeds.find(token)).resolves.toBeNull();
    await expect(web.calendarFeeds.list()).resolves.toEqual([{ ...feed, revokedAt: T0 + HOUR }, all]);
  });

  test('the store keeps only a hash of a feed token', async () => {
    const [cli, , settings] = await pair();
    const { token } = await cli.calendarFeeds.create('ARCOM', T0);
    const db = rawDb(settings);
    try {
      const rows = await db.selectFrom('calendar_feeds').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      await db.destroy();
    }
  });

  test("an event's version rises only when its due date moves, once for two feeds read at once", async () => {
    const [webA, webB] = await pair();
    const first = await webA.calendarEvents.revise(
      [
        { uid: 'a@plazos', due: '2023-06-16', alarms: A_ALARMS },
        { uid: 'b@plazos', due: '2023-07-14', alarms: B_ALARMS },
      ],
      T0,
    );
    expect(Object.fromEntries(first)).toEqual({ 'a@plazos': { sequence: 0, modifiedAt: T0 }, 'b@plazos': { sequence: 0, modifiedAt: T0 } });
    // Read again, unchanged: the same version, however late.
    await expect(webB.calendarEvents.revise([{ uid: 'a@plazos', due: '2023-06-16', alarms: A_ALARMS }], T0 + HOUR)).resolves.toEqual(
      new Map([['a@plazos', { sequence: 0, modifiedAt: T0 }]]),
    );
    // An extension moves a; two web apps read their feeds at once: one more, not two.
    const moved = [
      { uid: 'a@plazos', due: '2023-06-23', alarms: A_ALARMS },
      { uid: 'b@plazos', due: '2023-07-14', alarms: B_ALARMS },
    ];
    const [x, y] = await Promise.all([webA.calendarEvents.revise(moved, T0 + 2 * HOUR), webB.calendarEvents.revise(moved, T0 + 2 * HOUR)]);
    for (const seen of [x, y]) {
      expect(seen.get('a@plazos')).toEqual({ sequence: 1, modifiedAt: T0 + 2 * HOUR });
      expect(seen.get('b@plazos')).toEqual({ sequence: 0, modifiedAt: T0 });
    }
    // Moved back (a calendar correction): still a newer version, not the old one.
    await expect(webA.calendarEvents.revise([{ uid: 'a@plazos', due: '2023-06-16', alarms: A_ALARMS }], T0 + 3 * HOUR)).resolves.toEqual(
      new Map([['a@plazos', { sequence: 2, modifiedAt: T0 + 3 * HOUR }]]),
    );
  });

  test("an event's version rises when only its alarms move (a day off on a reminder's date), once for two feeds read at once", async () => {
    const [webA, webB] = await pair();
    await webA.calendarEvents.revise([{ uid: 'a@plazos', due: '2023-06-16', alarms: A_ALARMS }], T0);
    const dayOff = [{ uid: 'a@plazos', due: '2023-06-16', alarms: '2023-05-31T13:00:00.000Z 2023-06-13T13:00:00.000Z' }];
    const [x, y] = await Promise.all([webA.calendarEvents.revise(dayOff, T0 + HOUR), webB.calendarEvents.revise(dayOff, T0 + HOUR)]);
    for (const seen of [x, y]) expect(seen.get('a@plazos')).toEqual({ sequence: 1, modifiedAt: T0 + HOUR });
    await expect(webA.calendarEvents.revise(dayOff, T0 + 2 * HOUR)).resolves.toEqual(new Map([['a@plazos', { sequence: 1, modifiedAt: T0 + HOUR }]]));
  });

  test('1,200 events, more than one statement holds, are each versioned', async () => {
    const [web] = await pair();
    const events = Array.from({ length: 1_200 }, (_, i) => ({ uid: `e${i}@plazos`, due: '2023-06-16', alarms: A_ALARMS }));
    const versions = await web.calendarEvents.revise(events, T0);
    expect(versions.size).toBe(1_200);
    expect(new Set([...versions.values()].map((v) => v.sequence))).toEqual(new Set([0]));
  });

  test('the sweep forgets the events no feed has listed for the horizon, at most as many as asked, and keeps those listed since', async () => {
    const [web, other] = await pair();
    const old = Array.from({ length: 5 }, (_, i) => ({ uid: `old${i}@plazos`, due: '2023-06-16', alarms: A_ALARMS }));
    await web.calendarEvents.revise([...old, { uid: 'kept@plazos', due: '2023-06-16', alarms: A_ALARMS }], T0);
    // 300 days on, a feed still lists kept@plazos (the read marks it seen; nothing else is written).
    await expect(other.calendarEvents.revise([{ uid: 'kept@plazos', due: '2023-06-16', alarms: A_ALARMS }], T0 + 300 * DAY)).resolves.toEqual(
      new Map([['kept@plazos', { sequence: 0, modifiedAt: T0 }]]),
    );
    const at = T0 + 401 * DAY;
    await expect(web.calendarEvents.sweep(400 * DAY, at, 3)).resolves.toBe(3);
    await expect(other.calendarEvents.sweep(400 * DAY, at, 3)).resolves.toBe(2);
    await expect(web.calendarEvents.sweep(400 * DAY, at, 3)).resolves.toBe(0);
    // kept@plazos keeps its version; a swept one listed again starts over.
    const again = await web.calendarEvents.revise(
      [
        { uid: 'kept@plazos', due: '2023-06-16', alarms: A_ALARMS },
        { uid: 'old0@plazos', due: '2023-06-16', alarms: A_ALARMS },
      ],
      at,
    );
    expect(Object.fromEntries(again)).toEqual({ 'kept@plazos': { sequence: 0, modifiedAt: T0 }, 'old0@plazos': { sequence: 0, modifiedAt: at } });
  });

  describe('schema migrations', () => {
    const tablesOf = async (settings: RecordsSettings) => {
      const db = rawDb(settings);
      try {
        const applied = await db
          .selectFrom('plazos_migrations' as never)
          .select(sql<string>`name`.as('name'))
          .orderBy(sql`name`)
          .execute();
        return (applied as { name: string }[]).map((r) => r.name);
      } finally {
        await db.destroy();
      }
    };

    test('from empty, every migration is applied once, even with three processes starting together', async () => {
      const settings = engine.fresh();
      await Promise.all([stores.open(settings), stores.open(settings), stores.open(settings)]);
      await expect(tablesOf(settings)).resolves.toEqual(Object.keys(MIGRATIONS));
    });

    test('from the previous version: its rows are kept and the new tables work', async () => {
      const settings = engine.fresh();
      const db = rawDb(settings);
      const names = Object.keys(MIGRATIONS);
      await migrate(db, MIGRATIONS, names[names.length - 2]);
      await db
        .insertInto('sent_ledger')
        .values({ idempotency_key: 'k', message_id: '<k@entidad.gov.co>', accepted: '["ARCOM"]', rejected: '[]', recorded_at: T0 })
        .execute();
      // A session opened before 0004 (sessions gained roles and an id token): still good, with no roles.
      await sql`insert into sessions (token_hash, username, user_stamp, created_at, expires_at) values (${SESSION_HASH}, 'antes', 's', ${T0}, ${T0 + HOUR})`.execute(
        db,
      );
      // Events published before 0006 and 0007 (versions followed the due date only), the first at its second version.
      await sql`insert into calendar_event_versions (uid, due, sequence, modified_at) values ('a@plazos', '2023-06-16', 1, ${T0})`.execute(db);
      await sql`insert into calendar_event_versions (uid, due, sequence, modified_at) values ('b@plazos', '2023-06-16', 0, ${T0})`.execute(db);
      await db.destroy();
      const records = await stores.open(settings);
      await expect(records.sent.find('k')).resolves.toMatchObject({ accepted: ['ARCOM'] });
      // Its alarms are taken as published, without a new version; a later move of them is one more.
      await expect(records.calendarEvents.revise([{ uid: 'a@plazos', due: '2023-06-16', alarms: A_ALARMS }], T0 + HOUR)).resolves.toEqual(
        new Map([['a@plazos', { sequence: 1, modifiedAt: T0 }]]),
      );
      await expect(records.calendarEvents.revise([{ uid: 'a@plazos', due: '2023-06-16', alarms: B_ALARMS }], T0 + 2 * HOUR)).resolves.toEqual(
        new Map([['a@plazos', { sequence: 2, modifiedAt: T0 + 2 * HOUR }]]),
      );
      // b, never listed since, counts from when it was published; a, from when its alarms moved.
      await expect(records.calendarEvents.sweep(400 * DAY, T0 + HOUR + 400 * DAY, 10)).resolves.toBe(1);
      await expect(records.calendarEvents.sweep(400 * DAY, T0 + 2 * HOUR + 400 * DAY + 1, 10)).resolves.toBe(1);
      await expect(records.sessions.find(SESSION_TOKEN, T0)).resolves.toEqual({
        username: 'antes',
        userStamp: 's',
        expiresAt: T0 + HOUR,
        roles: null,
        idToken: null,
      });
      const token = await records.sessions.open({ username: 'planeacion', userStamp: 's', expiresAt: T0 + HOUR });
      await expect(records.sessions.find(token, T0)).resolves.toMatchObject({ username: 'planeacion' });
      const feed = await records.calendarFeeds.create('ARCOM', T0);
      await expect(records.calendarFeeds.find(feed.token)).resolves.toMatchObject({ scope: 'ARCOM' });
    });

    test('a migration that fails is reported in one line and leaves the previous schema usable', async () => {
      const settings = engine.fresh();
      const before = await stores.open(settings);
      await before.sent.record({ idempotencyKey: 'antes', messageId: '<a@entidad.gov.co>', accepted: [], rejected: [] });
      const broken: Migration = {
        async up(db) {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          await sql`select * from tabla_que_no_existe`.execute(db);
        },
      };
      const error = await stores.open(settings, { migrations: { ...MIGRATIONS, '9999-rota': broken } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/9999-rota/);
      expect((error as Error).message).not.toContain('\n');
      await expect(tablesOf(settings)).resolves.toEqual(Object.keys(MIGRATIONS));
      const after = await stores.open(settings);
      await expect(after.sent.find('antes')).resolves.toMatchObject({ messageId: '<a@entidad.gov.co>' });
    });

    test('a database already migrated by a newer plazos is refused, not written to', async () => {
      const settings = engine.fresh();
      const newer: Migration = { up: async (db) => void (await db.schema.createTable('desde_el_futuro').addColumn('id', 'integer').execute()) };
      await stores.open(settings, { migrations: { ...MIGRATIONS, '9999-futura': newer } });
      const error = await stores.open(settings).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/9999-futura/);
    });
  });
});

test('the SQLite file and its WAL are readable by their owner only', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-records-'));
  const records = await opener().open({ dataDir });
  await records.sent.record({ idempotencyKey: 'k', messageId: '<k@entidad.gov.co>', accepted: [], rejected: [] });
  for (const name of [SQLITE_FILE, `${SQLITE_FILE}-wal`]) expect(statSync(join(dataDir, name)).mode & 0o777).toBe(0o600);
  await records.close();
});

describe('a store that cannot be reached at start', () => {
  test('PostgreSQL on a closed port: one line naming PLAZOS_DATABASE_URL, no password', async () => {
    const error = await opener()
      .open({ url: 'postgres://plazos:secreta@127.0.0.1:1/plazos', dataDir: '/nonexistent' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const text = (error as Error).message;
    expect(text).toMatch(/^PLAZOS_DATABASE_URL: /);
    expect(text).toContain('ECONNREFUSED');
    expect(text).not.toContain('secreta');
    expect(text).not.toContain('\n');
  });

  test('an unreadable password file names PLAZOS_DATABASE_PASSWORD_FILE', async () => {
    const error = await opener()
      .open({ url: 'postgres://plazos@127.0.0.1:1/plazos', passwordFile: '/nonexistent/clave', dataDir: '/nonexistent' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^PLAZOS_DATABASE_PASSWORD_FILE: no se puede leer \/nonexistent\/clave/);
  });

  test('SQLite in a data directory that cannot be created names PLAZOS_DATA_DIR', async () => {
    // A data directory below a file: mkdir fails with ENOTDIR whoever runs the test, root included.
    const file = join(mkdtempSync(join(tmpdir(), 'plazos-records-')), 'un-archivo');
    writeFileSync(file, '');
    const error = await opener()
      .open({ dataDir: join(file, 'datos') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/^PLAZOS_DATA_DIR: /);
  });

  test('a URL of another kind is refused with what to write instead', async () => {
    const error = await opener()
      .open({ url: 'mysql://plazos@127.0.0.1/plazos', dataDir: '/tmp' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/PLAZOS_DATABASE_URL debe empezar por postgres:\/\//);
  });
});
