/**
 * Calendar subscriptions on a real stack: the dev server with plazos's search attributes, the
 * production workflows in a worker, the web app on a loopback port. Feeds are read as a calendar
 * client would and parsed with ical.js (not the library that writes them).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ICAL from 'ical.js';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createEvidenceStore } from '../../activities/evidence';
import { buildApp } from '../../web/app';
import { hashPassword } from '../../web/users';
import { testBlobs } from '../helpers/worker-deps';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { applyCalendar } from '../../client/calendar-apply';
import { startPlan } from '../../client/start-plan';
import { rolloverPlan } from '../../plans/rollover';
import { extendDeadlineUpdate } from '../../workflows/shared';
import { testRecords } from '../helpers/records';
import { eventually, settled, startStatusStack, type StatusStack } from '../client/status-stack';
import { BASE_URL, Browser, csrfOf, dashboardOver, PASSWORD, signedIn, webTestPlan } from './stack';

const { calendar, due, plan: base } = webTestPlan(4);
/** User text as a plan file may hold it: TEXT's separators and markup. */
const ODD_TITLE = 'Informe; anexos, tablas <b>y</b> <script>alert("x")</script> & más';
const plan = { ...base, activities: base.activities.map((a) => (a.number === 1 ? { ...a, title: ODD_TITLE } : a)) };
const LATER = calendar.addBusinessDays(due, 5);
/** The first reminder of the plan's deadline, 10 business days before it: a day off is declared there. */
const REMINDER_DAY = calendar.addBusinessDays(due, -10);
const withDayOff = new BusinessCalendar(undefined, [{ date: REMINDER_DAY, name: 'Día cívico', law: 'Decreto 0001' }]);
/** The calendar the web app reads (config/calendar.yaml in production, read again on every request). */
let webCalendar: BusinessCalendar = calendar;

let stack: StatusStack;
let app: FastifyInstance;
let origin: string;

beforeAll(async () => {
  stack = await startStatusStack('plazos-calendario');
  ({ app, origin } = await dashboardOver(stack, { loadCalendar: () => webCalendar }));
  const client = stack.env.client;
  await startPlan(client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await Promise.all([1, 2, 3, 4].map((n) => settled(client, `${plan.id}/${n}`)));
}, 180_000);

afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const records = () => testRecords(stack.dataDir);

async function feedUrl(scope: string): Promise<{ id: string; path: string }> {
  const { feed, token } = await records().calendarFeeds.create(scope, Date.now());
  return { id: feed.id, path: `/calendario/${token}.ics` };
}

interface Seen {
  uid: string;
  summary: string;
  start: string;
  sequence: number;
  lastModified: number;
  areas: string;
  /** The alarms' triggers, as instants. */
  alarms: string[];
}

async function read(path: string): Promise<{ status: number; type: string; body: string; events: Seen[] }> {
  const res = await fetch(`${origin}${path}`);
  const body = await res.text();
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200) return { status: res.status, type, body, events: [] };
  const events = new ICAL.Component(ICAL.parse(body)).getAllSubcomponents('vevent').map((v) => ({
    uid: String(v.getFirstPropertyValue('uid')),
    summary: String(v.getFirstPropertyValue('summary')),
    start: (v.getFirstPropertyValue('dtstart') as ICAL.Time).toString(),
    sequence: Number(v.getFirstPropertyValue('sequence')),
    lastModified: (v.getFirstPropertyValue('last-modified') as ICAL.Time).toJSDate().getTime(),
    areas: String(v.getFirstPropertyValue('description')),
    alarms: v
      .getAllSubcomponents('valarm')
      .map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Time).toJSDate().toISOString())
      .sort(),
  }));
  return { status: res.status, type, body, events };
}

const activityOf = (e: Seen) => Number(/actividad (\d+)/.exec(e.areas)?.[1]);
const planOf = (e: Seen) => /^Plan ([^,]+),/.exec(e.areas)?.[1];

it("an area's feed lists only the deliverables that area answers for, each on its due date, under the same UIDs on a second read", async () => {
  const { path } = await feedUrl('ARCOM');
  const first = await read(path);
  expect(first.status).toBe(200);
  expect(first.type).toMatch(/^text\/calendar; charset=utf-8/);
  expect(first.events.map(activityOf).sort()).toEqual([2, 3]);
  expect(first.events.every((e) => e.start === due && /ARCOM/.test(e.areas))).toBe(true);
  const second = await read(path);
  expect(second.events.map((e) => e.uid).sort()).toEqual(first.events.map((e) => e.uid).sort());
  expect(second.events.map((e) => e.sequence)).toEqual(first.events.map(() => 0));
});

it("OAPLA's feed lists every deliverable, and a title with ; , and HTML reads back exactly as written", async () => {
  const { path } = await feedUrl('all');
  const { events, body } = await read(path);
  expect(events.map(activityOf).sort()).toEqual([1, 2, 3, 4]);
  expect(events.find((e) => activityOf(e) === 1)!.summary).toBe(`Fecha límite: ${ODD_TITLE}`);
  expect(body).toContain('Informe\\; anexos\\, tablas');
});

it('an extension moves the event: the same UID shows the new date with a higher SEQUENCE, its LAST-MODIFIED not earlier', async () => {
  const { path } = await feedUrl('ARCOM');
  const before = (await read(path)).events.find((e) => activityOf(e) === 3)!;
  expect(before.start).toBe(due);
  await stack.env.client.workflow
    .getHandle(`${plan.id}/3`)
    .executeUpdate(extendDeadlineUpdate, { args: [{ newDue: LATER, reason: 'Prórroga pedida por ARCOM.' }] });
  const after = await eventually(
    () => read(path),
    (r) => r.events.some((e) => activityOf(e) === 3 && e.start === LATER),
    'the feed shows the extended date',
  );
  const moved = after.events.filter((e) => activityOf(e) === 3);
  expect(moved).toHaveLength(1);
  expect(moved[0]!.uid).toBe(before.uid);
  expect(moved[0]!.sequence).toBeGreaterThan(before.sequence);
  expect(moved[0]!.lastModified).toBeGreaterThanOrEqual(before.lastModified);
  // The other deliverable did not move, and keeps its version.
  const untouched = after.events.find((e) => activityOf(e) === 2)!;
  expect(untouched.sequence).toBe(0);
});

it('a calendar apply that moves a reminder moves its alarm: the same UID on the same date, with a higher SEQUENCE', async () => {
  const { path } = await feedUrl('ARCOM');
  const before = (await read(path)).events.find((e) => activityOf(e) === 2)!;
  const firstReminder = new Date(`${REMINDER_DAY}T08:00:00-05:00`).toISOString();
  expect(before.alarms).toContain(firstReminder);
  // The entity declares a day off on that date (its calendar file, which the web app reads) and applies it.
  webCalendar = withDayOff;
  const [report] = await applyCalendar(stack.env.client, withDayOff, [plan.id]);
  const outcome = report?.outcomes.find((o) => o.workflowId === `${plan.id}/2`);
  expect(outcome?.result).toBe('updated');
  const moved = outcome?.result === 'updated' ? outcome.moved.find((m) => m.key === 'reminder-10') : undefined;
  expect(moved?.from).toBe(`${REMINDER_DAY}T08:00:00-05:00`);

  const after = (await read(path)).events.filter((e) => activityOf(e) === 2);
  expect(after).toHaveLength(1);
  expect(after[0]!.uid).toBe(before.uid);
  expect(after[0]!.start).toBe(before.start);
  // The alarm is where the workflow will now send the reminder.
  expect(after[0]!.alarms).not.toContain(firstReminder);
  expect(after[0]!.alarms).toContain(new Date(moved!.to).toISOString());
  expect(after[0]!.sequence).toBeGreaterThan(before.sequence);
  expect(after[0]!.lastModified).toBeGreaterThanOrEqual(before.lastModified);
  // Read again, nothing moved since: the same version.
  const again = (await read(path)).events.find((e) => activityOf(e) === 2)!;
  expect([again.sequence, again.lastModified]).toEqual([after[0]!.sequence, after[0]!.lastModified]);
});

it("after a rollover, the new year's plan appears in OAPLA's feed and the area's under UIDs of its own, beside this year's", async () => {
  const client = stack.env.client;
  const all = await feedUrl('all');
  const arcom = await feedUrl('ARCOM');
  const before = await read(all.path);
  expect(new Set(before.events.map(planOf))).toEqual(new Set([plan.id]));

  // The web tests' plan keeps the seed's year (2023) with dates around today; a rollover reads the
  // plan's year as the one its dates fall in, as an imported plan's would.
  const year = Number(plan.activities[0]!.due.slice(0, 4));
  const { plan: next } = rolloverPlan({ ...plan, year }, { year: year + 1 }, calendar);
  expect(next.id).not.toBe(plan.id);
  await startPlan(client, next, webCalendar, { taskQueue: stack.taskQueue, searchAttributes: true });
  const after = await eventually(
    () => read(all.path),
    (r) => r.events.filter((e) => planOf(e) === next.id).length === next.activities.length,
    "the new year's plan in OAPLA's feed",
  );
  const fresh = after.events.filter((e) => planOf(e) === next.id);
  expect(fresh.map((e) => [activityOf(e), e.start]).sort()).toEqual(next.activities.map((a) => [a.number, a.due]).sort());
  expect(fresh.every((e) => e.sequence === 0)).toBe(true);
  // This year's events are still there, unchanged; the new ones are other events, not updates to them.
  const old = after.events.filter((e) => planOf(e) === plan.id);
  expect(old.map((e) => [e.uid, e.start, e.sequence]).sort()).toEqual(before.events.map((e) => [e.uid, e.start, e.sequence]).sort());
  expect(fresh.some((e) => before.events.some((b) => b.uid === e.uid))).toBe(false);

  const area = await read(arcom.path);
  expect(
    area.events
      .filter((e) => planOf(e) === next.id)
      .map(activityOf)
      .sort(),
  ).toEqual([2, 3]);
});

it('a revoked, a forged and a malformed feed URL all answer the same short 404 in Spanish', async () => {
  const { id, path } = await feedUrl('ARCOM');
  expect((await read(path)).status).toBe(200);
  await expect(records().calendarFeeds.revoke(id, Date.now())).resolves.toBe(true);
  const answers = await Promise.all(
    [path, `/calendario/${randomBytes(32).toString('base64url')}.ics`, '/calendario/no-es-un-token.ics', `${path.slice(0, -4)}.txt`].map(read),
  );
  for (const a of answers) {
    expect(a.status).toBe(404);
    expect(a.body).not.toContain('BEGIN:VCALENDAR');
  }
  expect(answers[0]!.body).toMatch(/^Calendario no encontrado/);
  expect(answers[1]!.body).toBe(answers[0]!.body);
});

it('the route counts against the address like any other, and the log names its pattern, never the token', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  // A store of its own: the other tests' requests from this address are not counted against it.
  const dir = mkdtempSync(join(tmpdir(), 'plazos-calendario-'));
  const own = testRecords(dir);
  const logged = await buildApp(
    {
      client: stack.env.client,
      store: createEvidenceStore(testBlobs(dir)),
      secret: Buffer.alloc(32, 9),
      users: new Map([['planeacion', hashPassword(PASSWORD)]]),
      baseUrl: BASE_URL,
      now: () => Date.now(),
      maxUploadBytes: 1024,
      records: own,
      limits: { requests: { max: 3, windowMs: 60 * 60_000 } },
    },
    { logger: pino({ level: 'info' }, sink) },
  );
  try {
    const at = await logged.listen({ port: 0, host: '127.0.0.1' });
    const { token } = await own.calendarFeeds.create('ARCOM', Date.now());
    const forged = randomBytes(32).toString('base64url');
    const statuses: number[] = [];
    for (const t of [token, forged, token, token]) statuses.push((await fetch(`${at}/calendario/${t}.ics`)).status);
    expect(statuses).toEqual([200, 404, 200, 429]);
    const log = lines.join('');
    expect(log).toContain('/calendario/:token.ics');
    expect(log).not.toContain(token);
    expect(log).not.toContain(forged);
  } finally {
    await logged.close();
    await own.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('serving a feed forgets, at most once a day, the event versions no feed has listed for 400 days; the ones it lists stay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plazos-calendario-'));
  const own = testRecords(dir);
  let clock = Date.now();
  const served = await buildApp({
    client: stack.env.client,
    store: createEvidenceStore(testBlobs(dir)),
    secret: Buffer.alloc(32, 9),
    users: new Map(),
    baseUrl: BASE_URL,
    now: () => clock,
    maxUploadBytes: 1024,
    records: own,
    loadCalendar: () => webCalendar,
  });
  const DAY = 86_400_000;
  const past = (uid: string) => own.calendarEvents.revise([{ uid, due: '2020-06-16', alarms: '' }], clock - 401 * DAY);
  /** The version the store has for uid now: modifiedAt `clock` means it was gone and starts over. */
  const kept = async (uid: string) => (await own.calendarEvents.revise([{ uid, due: '2020-06-16', alarms: '' }], clock)).get(uid)!.modifiedAt !== clock;
  try {
    const at = await served.listen({ port: 0, host: '127.0.0.1' });
    const { token } = await own.calendarFeeds.create('ARCOM', clock);
    const fetchFeed = async () => {
      const res = await fetch(`${at}/calendario/${token}.ics`);
      expect(res.status).toBe(200);
      return (await res.text()).match(/^UID:.*$/gm) ?? [];
    };
    await past('cerrada-1@plazos.test');
    const uids = await fetchFeed();
    expect(uids.length).toBeGreaterThan(0);
    expect(await kept('cerrada-1@plazos.test')).toBe(false);

    // Within the day: no second sweep.
    await Promise.all([past('cerrada-2@plazos.test'), past('cerrada-3@plazos.test')]);
    clock += 3_600_000;
    await fetchFeed();
    expect(await kept('cerrada-2@plazos.test')).toBe(true);

    // A day later: swept; the feed's own events, marked seen at every read, are listed as before.
    clock += DAY;
    const later = await fetchFeed();
    expect(await kept('cerrada-3@plazos.test')).toBe(false);
    expect(later).toEqual(uids);
  } finally {
    await served.close();
    await own.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('OAPLA creates a feed on its dashboard, sees the address once, and revokes it there; no one else reaches the page', async () => {
  const stranger = await new Browser(origin).get('/calendarios');
  expect(stranger.statusCode).toBe(303);
  expect(stranger.headers.location).toMatch(/^\/entrar/);

  const browser = await signedIn(origin);
  const home = await browser.get('/');
  expect(home.body).toContain('href="/calendarios"');
  const form = await browser.get('/calendarios');
  const refused = await browser.post('/calendarios', { _csrf: csrfOf(form.body), area: 'arcom' });
  expect(refused.statusCode).toBe(400);
  expect(refused.body).toContain('Escriba el código de un área en mayúsculas');

  // A code of the right shape that the areas directory does not have: refused, naming the known ones.
  const unknown = await browser.post('/calendarios', { _csrf: csrfOf(refused.body), area: 'ASERAS' });
  expect(unknown.statusCode).toBe(400);
  expect(unknown.body).toContain('El área ASERAS no está en el directorio de áreas; las áreas conocidas son ARACF, ARCOM, ARVIV, ASERA, OAPLA, OCI, o all');
  expect((await records().calendarFeeds.list()).some((f) => f.scope === 'ASERAS')).toBe(false);

  const created = await browser.post('/calendarios', { _csrf: csrfOf(unknown.body), area: 'ASERA' });
  expect(created.statusCode).toBe(200);
  const url = /value="(http:\/\/plazos\.test\/calendario\/[A-Za-z0-9_-]{43}\.ics)"/.exec(created.body)?.[1];
  expect(url).toBeDefined();
  expect(created.body).toContain(`value="${url!.replace('http://', 'webcal://')}"`);
  const path = url!.slice(BASE_URL.length);
  // Only this year's plan's deliverable 2 (the rollover's is there too, for ASERA answers for both).
  expect((await read(path)).events.filter((e) => planOf(e) === plan.id).map(activityOf)).toEqual([2]);
  // The list shows the feed, never its address.
  const listed = await browser.get('/calendarios');
  expect(listed.body).not.toContain(path);
  const id = /<td>([0-9a-f]{8})<\/td><td>ASERA<\/td>/.exec(listed.body)?.[1];
  expect(id).toBeDefined();

  const revoked = await browser.post(`/calendarios/${id}/revocar`, { _csrf: csrfOf(listed.body) });
  expect([revoked.statusCode, revoked.headers.location]).toEqual([303, '/calendarios?hecho=revocado']);
  expect((await read(path)).status).toBe(404);
  expect((await browser.get('/calendarios?hecho=revocado')).body).toMatch(
    new RegExp(`<td>${id}</td><td>ASERA</td><td>(?:<span class="fecha">[^<]+</span> ?)+</td><td>revocado `),
  );
});
