/**
 * docker-compose.yml's topology without Docker and without a shared disk (test/helpers/topology.ts):
 * PostgreSQL, the Temporal server built from source with its schema set up by temporal-sql-tool and
 * the namespace by deploy/temporal/init-namespace.sh, and plazos's five processes, each with an empty
 * data directory of its own: two workers, two web apps (as behind one proxy) and the mailbox reader.
 * plazos's records live in their own PostgreSQL database (own role, password read from a file), the
 * evidence files in a real S3 server, replies arrive in Dovecot, mail goes to a real SMTP capture.
 *
 * First the faults: the seed plan and a 1,000-activity plan start with every kickoff due now; while
 * the kickoffs go out one worker is SIGKILLed, then PostgreSQL is restarted, then the Temporal
 * server. Every notice must arrive, under the Message-ID its workflow holds as receipt, and status
 * and the dashboard (through either web app) must answer again after each fault. Then what only
 * shared stores make work across hosts: a file handed in through one web app is downloaded byte for
 * byte through the other, a session and its sign-out hold on both, failed sign-ins count on both,
 * and a reply's attachment reaches its workflow through the reader. Last, every process stops
 * cleanly and has kept nothing but temporary files on its own disk.
 *
 * Named *.cluster.ts so plain `npm test` does not pick it up: `npm run test:cluster` runs it
 * (jest.cluster.config.js) after building the server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { generatePlan, loadSeed } from '../../bench/plans';
import { startPlan } from '../../client/start-plan';
import { REPO_ROOT } from '../../config/paths';
import type { Plan } from '../../plans/model';
import type { CapturedMail } from '../../simulation/mail-capture';
import { gmailReply } from '../mailbox/client-shapes';
import {
  buildWorker,
  calendar,
  countBy,
  eventually,
  killWorkers,
  MAIL_DOMAIN,
  periodStatus,
  planDueNow,
  recordedInLedger,
  startMailboxProcess,
  startWebProcess,
  startWorker,
  stopWithin,
  Supervised,
  type PlazosProcess,
  type WebProcess,
  type WorkerProcess,
} from '../helpers/processes';
import { pollers, Prober, type Phase } from '../helpers/probes';
import { startTopology, type Topology } from '../helpers/topology';
import { Browser, csrfOf, Multipart } from '../web/stack';
import { SIGN_IN_BOUNDS } from '../../web/signin-throttle';

const TASK_QUEUE = 'plazos-cluster';
const USER = 'planeacion';
const PASSWORD = 'clave-de-prueba-cluster';
/** A second OAPLA user, whom the sign-in throttling test locks out. */
const AUDITOR = 'auditoria';
const AUDITOR_PASSWORD = 'clave-de-auditoria';
const REPLY_MAILBOX = 'respuestas@entidad.gov.co';
/** The proxy in front of both web apps: the links in the mail point there, and the test strips it. */
const WEB_URL = 'http://plazos.test';
const MINUTE = 60_000;

let topology: Topology | undefined;
let webA: WebProcess;
let webB: WebProcess;
let reader: PlazosProcess;
let workers: WorkerProcess[] = [];
let survivor: Supervised | undefined;
let prober: Prober | undefined;

const started = (): Topology => {
  if (!topology) throw new Error('the topology did not start (beforeAll)');
  return topology;
};

/**
 * Every process's log lines, kept after the run in test-artifacts/cluster/ (git-ignored): a
 * worker's "worker health" lines every few seconds show what a stalled worker was doing when it stalled.
 */
function keepLogs(): void {
  const out = join(REPO_ROOT, 'test-artifacts', 'cluster');
  mkdirSync(out, { recursive: true });
  const named: [string, PlazosProcess | undefined][] = [
    ...workers.map((w, i): [string, WorkerProcess] => [`worker-${i + 1}`, w]),
    ['web-a', webA],
    ['web-b', webB],
    ['mailbox', reader],
  ];
  for (const [name, p] of named) if (p) writeFileSync(join(out, `${name}.log`), p.logs.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

// ---- the plans -------------------------------------------------------------------------------------

/**
 * Receipts of every kickoff, read from the workflows once visibility shows them all recorded. A
 * query waits for the worker; one that times out (the worker busy replaying, or the workflow's
 * sticky queue still on the killed worker) is asked again, and counted in `retried`.
 */
async function kickoffReceipts(client: Client, plan: Plan, retried: string[]): Promise<string[]> {
  const query = `PlazosPlan = "${plan.id}" AND PlazosStatus = "active"`;
  await eventually(
    () => client.workflow.count(query),
    (c) => c.count === plan.activities.length,
    `${plan.id}: every kickoff recorded`,
    5 * MINUTE,
  );
  const receipts: string[] = [];
  const queue = [...plan.activities];
  // A few queries at a time: a thousand at once would only queue behind each other.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let a = queue.shift(); a; a = queue.shift()) {
        const workflowId = `${plan.id}/${a.number}`;
        const status = await eventually(
          () => periodStatus(client, workflowId).catch((err: unknown) => (retried.push(workflowId), Promise.reject(err as Error))),
          () => true,
          `${workflowId} status`,
          5 * MINUTE,
        );
        receipts.push(...status.sent.filter((n) => n.kind === 'kickoff').map((n) => n.messageId ?? `no receipt in ${workflowId}`));
      }
    }),
  );
  return receipts;
}

/**
 * Two activities begun on the last business day, for what the leads hand in after the faults:
 * activity 1 is ARVIV's (a file through web app A), activity 2 ARCOM's (a reply with an attachment).
 */
const evidencePlan = planDueNow({ id: 'cluster-evidencia', count: 2, responsible: [['ARVIV'], ['ARCOM']] });
let evidencePlanStarted: Promise<void> | undefined;

/** Starts the evidence plan once, for whichever check needs it first. */
function ensureEvidencePlan(): Promise<void> {
  evidencePlanStarted ??= startPlan(started().cluster.client, evidencePlan, calendar, { taskQueue: TASK_QUEUE, searchAttributes: true, kickoffNow: true }).then(
    (outcomes) => expect(outcomes.filter((o) => o.result !== 'started')).toEqual([]),
  );
  return evidencePlanStarted;
}

/** The workflow an evidence link's token names (its first part is base64url JSON), or null. */
function workflowOf(token: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { w?: unknown };
    return typeof payload.w === 'string' ? payload.w : null;
  } catch {
    return null;
  }
}

/**
 * The kickoff plazos sent for a workflow, and the path of the evidence link it carries, as the
 * lead would click it (through the proxy: the path, on whichever web app). The link's token names
 * its workflow (activities/email/links.ts), which tells this kickoff from the 1,000 others.
 */
async function kickoffOf(workflowId: string): Promise<{ mail: CapturedMail; link: string }> {
  const find = () => {
    for (const mail of started().mail.messages) {
      if (mail.headers.get('x-plazos-notice') !== 'kickoff') continue;
      for (const [path, token] of mail.text.matchAll(/\/evidencia\/([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+/g)) {
        if (workflowOf(token!) === workflowId) return { mail, link: path };
      }
    }
    return undefined;
  };
  const found = await eventually(
    () => Promise.resolve(find()),
    (f) => f !== undefined,
    `the kickoff of ${workflowId}`,
    2 * MINUTE,
  );
  return found!;
}

/** A browser signed in as `user` on `origin`, or the test fails. */
async function signedIn(origin: string, user = USER, password = PASSWORD): Promise<Browser> {
  const browser = new Browser(origin);
  const login = await browser.get('/entrar');
  const res = await browser.post('/entrar', { _csrf: csrfOf(login.body), usuario: user, clave: password, volver: '/' });
  expect({ user, origin, status: res.statusCode }).toEqual({ user, origin, status: 303 });
  return browser;
}

/** A PDF as the evidence check reads it (its header), with random bytes in it, so byte for byte means something. */
function randomPdf(kib: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(kib * 1024), Buffer.from('\n%%EOF\n')]);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Dashboard: the download link of a file on an activity's page, as OAPLA would click it. */
async function downloadFromActivityPage(browser: Browser, workflowId: string, fileName: string): Promise<Buffer> {
  const page = await eventually(
    () => browser.get(`/actividad?id=${encodeURIComponent(workflowId)}`),
    (res) => res.statusCode === 200 && res.body.includes(fileName),
    `${fileName} listed on the page of ${workflowId}`,
    MINUTE,
  );
  const href = new RegExp(`href="(/archivo/[0-9a-f]{64}\\?id=[^"]+)"[^>]*>${fileName.replace(/\./g, '\\.')}<`).exec(page.body)?.[1];
  if (!href) throw new Error(`no download link for ${fileName} on the page of ${workflowId}`);
  const file = await browser.get(href);
  expect({ href, status: file.statusCode }).toEqual({ href, status: 200 });
  return file.bytes;
}

// ---- the run ---------------------------------------------------------------------------------------

describe('the production topology without a shared disk: PostgreSQL, S3, the Temporal server, two workers, two web apps and the mailbox reader', () => {
  beforeAll(async () => {
    buildWorker();
    topology = await startTopology({
      taskQueue: TASK_QUEUE,
      users: { [USER]: PASSWORD, [AUDITOR]: AUDITOR_PASSWORD },
      replyMailbox: REPLY_MAILBOX,
      webUrl: WEB_URL,
    });
    const t = topology;
    // The health line often enough to see a stall; a stalled worker exits after two minutes
    // without a poll (a healthy long poll returns within about 70 s).
    const workerExtra = { PLAZOS_HEALTH_LOG_SECONDS: '5', PLAZOS_WORKER_STALL_SECONDS: '120' };
    const [a, b] = await Promise.all([startWorker(t.env('worker-a', workerExtra)), startWorker(t.env('worker-b', workerExtra))]);
    workers = [a, b];
    survivor = new Supervised(b, t.env('worker-b', workerExtra), (w) => workers.push(w));
    [webA, webB, reader] = await Promise.all([
      startWebProcess(t.env('web-a'), t.usersFile),
      startWebProcess(t.env('web-b'), t.usersFile),
      startMailboxProcess(t.env('mailbox', t.imapEnv())),
    ]);
  }, 10 * MINUTE);

  afterAll(async () => {
    survivor?.hold();
    keepLogs();
    await prober?.stop();
    await killWorkers();
    await topology?.close();
  }, 2 * MINUTE);

  it('every process keeps its records in PostgreSQL and its files in the bucket, none on its own disk', () => {
    const t = started();
    const said = (p: PlazosProcess) => p.logs.find((l) => l.msg === 'stores ready');
    for (const [name, p] of [
      ['worker-a', workers[0]!],
      ['worker-b', workers[1]!],
      ['web-a', webA],
      ['web-b', webB],
      ['mailbox', reader],
    ] as const) {
      expect({ name, stores: said(p) }).toMatchObject({ name, stores: { records: t.records, blobs: t.blobs } });
    }
    // Five processes, five data directories.
    expect(new Set(Object.values(t.dataDirs())).size).toBe(5);
  });

  it(
    'delivers the seed plan and a 1,000-activity plan, each kickoff under its receipt Message-ID, through a worker SIGKILL, a PostgreSQL restart and a Temporal server restart; status and the dashboard on both web apps answer again after each',
    async () => {
      const t = started();
      const { cluster, mail } = t;
      const [workerA] = workers;
      // The seed's activities and 1,000 made from them (bench/plans.ts), every one begun on the last
      // business day and due in about two months: each owes its kickoff now and nothing else for weeks.
      const seed = await loadSeed();
      const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Bogota' });
      const dates = { start: seed.calendar.previousBusinessDay(today), due: seed.calendar.addBusinessDays(today, 40) };
      const seedPlan = generatePlan(seed.plan, seed.plan.activities.length, { id: 'cluster-semilla', dates, recurrence: false });
      const bigPlan = generatePlan(seed.plan, 1000, { id: 'cluster-mil', dates, recurrence: false });
      const plans = [seedPlan, bigPlan];
      const expected = seedPlan.activities.length + bigPlan.activities.length;

      // One signed-in browser, sent to either web app: the session is the store's, not an app's.
      const browser = await signedIn(webA.origin);
      const probes = new Prober(
        cluster.client,
        [
          { name: 'A', browser },
          { name: 'B', browser: browser.at(webB.origin) },
        ],
        seedPlan.activities.map((a) => `${seedPlan.id}/${a.number}`),
        `/planes/${seedPlan.id}`,
      );
      prober = probes;

      const starting = Promise.all(plans.map((plan) => startPlan(cluster.client, plan, seed.calendar, { taskQueue: TASK_QUEUE, searchAttributes: true })));
      await mail.waitFor(1, 5 * MINUTE);
      probes.start();

      // 1. One worker dies the moment the 100th kickoff is accepted; the other carries on.
      await mail.waitFor(100, 10 * MINUTE);
      const killed = await workerA!.kill();
      const killedAt = Date.now();
      probes.phase = 'worker-killed';
      const recordedAtKill = await recordedInLedger(t.env('worker-a'));
      // What the dead worker had begun handing to the SMTP server still arrives (its kernel flushes
      // the socket) and is parsed later: give it a few seconds, then count it by when its DATA began.
      await new Promise((r) => setTimeout(r, 3000));
      const acceptedAtKill = new Set(mail.messages.filter((m) => m.dataStartedAt <= killedAt).map((m) => m.messageId));

      // 2. PostgreSQL restarted (fast shutdown: open connections cut) at the 350th: Temporal's
      // databases and plazos's records go away together.
      await mail.waitFor(350, 10 * MINUTE);
      probes.phase = 'postgres-down';
      const atPostgres = new Set(mail.messages.map((m) => m.messageId)).size;
      cluster.stopPostgres();
      cluster.startPostgres();
      probes.phase = 'postgres-recovering';
      await probes.recovered('the PostgreSQL restart');
      probes.phase = 'steady';

      // 3. The Temporal server stopped (SIGTERM) and started again at the 600th.
      await mail.waitFor(600, 10 * MINUTE);
      probes.phase = 'temporal-down';
      const atTemporal = new Set(mail.messages.map((m) => m.messageId)).size;
      await cluster.stopTemporal();
      await cluster.startTemporal();
      probes.phase = 'temporal-recovering';
      await probes.recovered('the Temporal server restart');
      probes.phase = 'after';

      const outcomes = (await starting).flat();
      expect(outcomes.filter((o) => o.result !== 'started')).toEqual([]);

      // Every kickoff arrives: as many distinct Message-IDs as activities (bounded wait).
      await eventually(
        () => Promise.resolve(new Set(mail.messages.map((m) => m.messageId)).size),
        (n) => n >= expected,
        'every kickoff at the SMTP server',
        8 * MINUTE,
      ).catch(async (err: Error) => Promise.reject(new Error(`${err.message}\n${await pollers(cluster.client, TASK_QUEUE)}`)));
      const retried: string[] = [];
      const receipts = (
        await Promise.all(plans.map((plan) => kickoffReceipts(cluster.client, plan, retried))).catch(async (err: Error) =>
          Promise.reject(new Error(`${err.message}\n${await pollers(cluster.client, TASK_QUEUE)}`)),
        )
      ).flat();
      await probes.stop();

      // What the SMTP server got by now; the checks after this one send mail of their own.
      const received = countBy(mail.messages.map((m) => m.messageId));
      const summary = {
        expected,
        messages: mail.messages.length,
        distinct: received.size,
        duplicates: [...received.values()].filter((n) => n > 1).length,
        statusQueriesRetried: retried.length,
        survivorRestarts: survivor?.restarts,
        faultsAt: { workerKill: acceptedAtKill.size, postgres: atPostgres, temporal: atTemporal },
        probes: probes.summary(),
      };
      process.stderr.write(`[cluster] ${JSON.stringify(summary)}\n`);

      // The faults came while kickoffs were still going out, or the test proves nothing.
      expect(killed.signal).toBe('SIGKILL');
      expect(atTemporal).toBeLessThan(expected);
      // None missing, none unexpected: the SMTP server got exactly the Message-IDs the workflows hold as receipts.
      expect(new Set(receipts).size).toBe(expected);
      expect([...received.keys()].sort()).toEqual([...receipts].sort());
      expect(receipts.every((id) => id.endsWith(`@${MAIL_DOMAIN}>`))).toBe(true);
      // Sent twice only what the killed worker had handed to the SMTP server but not yet written in
      // its sent-ledger (activities/email/README.md, "The window that remains"), and never more than twice.
      const twice = [...received].filter(([, n]) => n > 1).map(([id]) => id);
      expect(twice.filter((id) => !acceptedAtKill.has(id) || recordedAtKill.has(id))).toEqual([]);
      expect([...received.values()].every((n) => n <= 2)).toBe(true);
      // Neither web app went down, and outside the two outages (and the wait for the service to come
      // back after each) every status read and dashboard page answered, on either app.
      const outage: Phase[] = ['postgres-down', 'postgres-recovering', 'temporal-down', 'temporal-recovering'];
      expect(probes.results.filter((r) => r.what === 'health' && !r.ok)).toEqual([]);
      expect(probes.results.filter((r) => !r.ok && !outage.includes(r.phase))).toEqual([]);
      // The surviving worker (or the one its supervisor started in its place, listed in the summary) is still up.
      expect(survivor?.current.running()).toBe(true);
    },
    45 * MINUTE,
  );

  it('a file an area lead hands in through web app A is listed on web app B, and downloaded from B byte for byte', async () => {
    await ensureEvidencePlan();
    const workflowId = `${evidencePlan.id}/1`;
    const { link } = await kickoffOf(workflowId);
    const lead = new Browser(webA.origin);
    const form = await lead.get(link);
    expect(form.statusCode).toBe(200);
    const file = randomPdf(300);
    const sent = await lead.request('POST', link, {
      multipart: new Multipart()
        .field('_csrf', csrfOf(form.body))
        .file('archivo', 'informe-desde-a.pdf', 'application/pdf', file)
        .field('note', 'Cargado en A'),
    });
    expect(sent.statusCode).toBe(200);

    const status = await periodStatus(started().cluster.client, workflowId);
    expect(status.evidence.map((e) => e.evidence)).toEqual([
      { kind: 'file', sha256: sha256(file), size: file.length, mediaType: 'application/pdf', name: 'informe-desde-a.pdf' },
    ]);
    // Web app B has never seen the file on its own disk: it reads it from the bucket.
    const downloaded = await downloadFromActivityPage(await signedIn(webB.origin), workflowId, 'informe-desde-a.pdf');
    expect(sha256(downloaded)).toBe(sha256(file));
    expect(Buffer.compare(downloaded, file)).toBe(0);
  });

  it('a session opened on web app A works on B; once signed out on A, the same cookie is refused on B', async () => {
    // OAPLA's home, the list of plans: any dashboard page would do, and this one is never a 404.
    const page = '/';
    const onA = await signedIn(webA.origin);
    const onB = onA.at(webB.origin);
    expect((await onB.get(page)).statusCode).toBe(200);
    // The cookie as it is now, kept by someone else (a second tab, or a thief).
    const kept = onA.copy(webB.origin);
    const form = await onA.get(page);
    expect(form.statusCode).toBe(200);
    const out = await onA.post('/salir', { _csrf: csrfOf(form.body) });
    expect({ status: out.statusCode, location: out.headers.location }).toEqual({ status: 303, location: '/entrar' });
    const refused = await kept.get(page);
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toMatch(/^\/entrar/);
  });

  it('failed sign-ins spread over both web apps count together: past the free ones that user waits on both, the right password included, and gets in once the wait is over', async () => {
    // The counts run in fixed windows (web/signin-throttle.ts); tries that straddled a window's end
    // would count as two windows. Never start within 30 s of one.
    const { windowMs, pair } = SIGN_IN_BOUNDS;
    const left = windowMs - (Date.now() % windowMs);
    if (left < 30_000) await new Promise((r) => setTimeout(r, left + 500));
    const onA = new Browser(webA.origin);
    const onB = onA.at(webB.origin);
    // Every attempt spends its form's token: each takes the one of the page the last answered.
    let csrf = csrfOf((await onA.get('/entrar')).body);
    const tries = Array.from({ length: pair.free }, (_, i) => (i % 2 === 0 ? onA : onB));
    for (const [i, browser] of tries.entries()) {
      const res = await browser.post('/entrar', { _csrf: csrf, usuario: AUDITOR, clave: `equivocada-${i}` });
      expect({ try: i + 1, status: res.statusCode }).toEqual({ try: i + 1, status: 401 });
      csrf = csrfOf(res.body);
    }
    let retryAfter = 0;
    for (const [name, browser] of [
      ['A', onA],
      ['B', onB],
    ] as const) {
      const res = await browser.post('/entrar', { _csrf: csrf, usuario: AUDITOR, clave: AUDITOR_PASSWORD });
      expect({ app: name, status: res.statusCode }).toEqual({ app: name, status: 429 });
      expect(res.body).toContain('Demasiados intentos fallidos. Espere');
      retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      csrf = csrfOf(res.body);
    }
    // A wait, never a lock: once it is over, the right password gets in, on either app.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
    const signed = await onB.post('/entrar', { _csrf: csrf, usuario: AUDITOR, clave: AUDITOR_PASSWORD });
    expect(signed.statusCode).toBe(303);
    // The wait was that user's from that address: another user signs in from the same one.
    await signedIn(webA.origin);
  });

  it("an area lead's e-mail reply with an attachment reaches its workflow through the mailbox reader, which finds the notice the worker registered in PostgreSQL", async () => {
    const t = started();
    await ensureEvidencePlan();
    const workflowId = `${evidencePlan.id}/2`;
    const { mail: notice } = await kickoffOf(workflowId);
    // The worker gave the notice a signed Reply-To on the reply mailbox, and registered it.
    expect(notice.parsed.replyTo?.value[0]?.address).toMatch(/^respuestas\+[0-9a-f]+@entidad\.gov\.co$/);
    const file = randomPdf(200);
    const raw = gmailReply({
      notice,
      from: 'Comunicaciones <comunicaciones@entidad.gov.co>',
      body: 'Buenos días,\nAdjunto el informe de la actividad.',
      attachments: [{ name: 'informe-por-correo.pdf', type: 'application/pdf', content: file }],
    });
    await t.imap.deliver(raw);

    const status = await eventually(
      () => periodStatus(t.cluster.client, workflowId),
      (s) => s.evidence.length > 0,
      `the reply's evidence in ${workflowId}`,
      2 * MINUTE,
    );
    expect(status.evidence.map((e) => ({ by: e.submittedBy, evidence: e.evidence }))).toEqual([
      { by: 'ARCOM', evidence: { kind: 'file', sha256: sha256(file), size: file.length, mediaType: 'application/pdf', name: 'informe-por-correo.pdf' } },
    ]);
    // Handed over by the reader process, which then recorded and filed the message.
    const messageId = /^Message-ID: (.+)$/m.exec(raw)![1]!.trim();
    await eventually(
      () => t.imap.list('Plazos procesados'),
      (ids) => ids.includes(messageId),
      'the reply filed',
      MINUTE,
    );
    expect(reader.logs.filter((l) => l.msg === 'reply handled')).toEqual([expect.objectContaining({ outcome: 'evidence:E1', area: 'ARCOM', workflowId })]);
    // The attachment went to the bucket: web app B serves it.
    const downloaded = await downloadFromActivityPage(await signedIn(webB.origin), workflowId, 'informe-por-correo.pdf');
    expect(Buffer.compare(downloaded, file)).toBe(0);
  });

  it('every process stops cleanly on SIGTERM and leaves no records, evidence or key in its data directory', async () => {
    survivor?.hold();
    // Docker gives each container its stop_grace_period (60 s for the worker) before SIGKILL; so does this test.
    const exits = await Promise.all([stopWithin(survivor!.current, MINUTE), stopWithin(webA, MINUTE), stopWithin(webB, MINUTE), stopWithin(reader, MINUTE)]);
    expect(exits).toEqual(Array.from({ length: 4 }, () => ({ code: 0, signal: null })));
    for (const [name, dataDir] of Object.entries(started().dataDirs())) {
      const kept = existsSync(dataDir) ? readdirSync(dataDir) : [];
      expect({ name, kept: kept.filter((f) => ['plazos.sqlite', 'blobs', 'evidence', 'secret.key', 'sent', 'replies', 'mailbox'].includes(f)) }).toEqual({
        name,
        kept: [],
      });
    }
  });
});
