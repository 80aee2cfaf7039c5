/**
 * The web app on a real stack: Temporal's dev server, the production workflows and activities
 * (with evidence links on), a real SMTP capture, an evidence URL server, and the app itself on a
 * loopback port. A small cookie jar carries sessions and CSRF nonces. Links in e-mail point at the
 * fixed BASE_URL, or (option `linksToOrigin`, for a real browser) at the origin the app listens on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { createActivities } from '../../activities';
import { createEvidenceStore, type EvidenceStore } from '../../activities/evidence';
import { createCutStore } from '../../activities/follow-up';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { startEvidenceServer, type EvidenceServer } from '../../simulation/evidence-server';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { buildApp } from '../../web/app';
import type { WebDeps } from '../../web/context';
import type { OidcSignIn } from '../../web/oidc';
import { hashPassword } from '../../web/users';
import { workflowCode } from '../../workers/workflow-code';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { seedPlan } from '../helpers/seed';
import { startDevServer } from '../helpers/temporal';
import { testBlobs, testWorkerDeps } from '../helpers/worker-deps';
import { testRecords } from '../helpers/records';

/**
 * The web tests' plan: activities that began yesterday and fall due in 20 business days, so every
 * kickoff (with its evidence link) goes out as soon as the plan starts.
 */
export function webTestPlan(count: number) {
  const calendar = new BusinessCalendar();
  const today = DateTime.now().setZone('America/Bogota').toISODate()!;
  const yesterday = calendar.previousBusinessDay(today);
  const due = calendar.addBusinessDays(today, 20);
  const activities = [
    { number: 1, title: 'Desarrollar ferias inmobiliarias', responsible: ['ARVIV'], deliverable: 'Informe de ferias.' },
    { number: 2, title: 'Divulgar trámites y servicios', responsible: ['ASERA', 'ARCOM'], deliverable: 'Informe de divulgación.' },
    { number: 3, title: 'Seguimiento al sitio web', responsible: ['ARCOM'], deliverable: 'Informe del sitio web.' },
    { number: 4, title: 'Atender al consumidor financiero', responsible: ['ARACF'], deliverable: 'Informe de atención.' },
  ].slice(0, count);
  return { calendar, today, due, plan: seedPlan(activities.map((a) => ({ ...a, start: yesterday, due }))) };
}

export const BASE_URL = 'http://plazos.test';
export const PASSWORD = 'clave-de-prueba-1';

export interface Stack {
  env: TestWorkflowEnvironment;
  mail: MailCapture;
  evidence: EvidenceServer;
  app: FastifyInstance;
  /** Where the app listens (a real loopback port: fastify's inject needs an ESM-only module under jest). */
  origin: string;
  secret: Buffer;
  taskQueue: string;
  /** Where the app keeps uploaded files, by sha256. */
  store: EvidenceStore;
  /** The local blob store's directory behind `store` (`ab/cdef…`), for a test that damages a file. */
  blobDir: string;
  /** Lets tests move the web app's clock (link expiry, lockout). */
  setNow(ms: number): void;
  /** The entity's calendar as the web app reads it now (config/calendar.yaml in production). */
  setCalendar(calendar: BusinessCalendar): void;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Sign e-mail links for the origin the app listens on (a real browser opens them), not BASE_URL. */
  linksToOrigin?: boolean;
  /**
   * Sign-in with the entity's account (test/helpers/oidc-login-server.ts): discovered already, or
   * discovered for the app's base URL once it is known (`linksToOrigin`: the redirect URI holds its port).
   */
  oidc?: OidcSignIn | ((baseUrl: string) => Promise<OidcSignIn>);
  /** Bounds other than the defaults (a small request limit, say). */
  limits?: WebDeps['limits'];
}

export async function startStack(taskQueue: string, options: StackOptions = {}): Promise<Stack> {
  const [env, mail, evidence] = await Promise.all([
    startDevServer({ searchAttributes: Object.values(SEARCH_ATTRIBUTES) }),
    startMailCapture(),
    startEvidenceServer(),
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-web-'));
  const secret = Buffer.alloc(32, 7);
  // The worker's deps read the same directory (testWorkerDeps), as two hosts share one bucket.
  const store = createEvidenceStore(testBlobs(dataDir));
  let now = Date.now();
  let calendar = new BusinessCalendar();
  const webDeps = async (baseUrl: string): Promise<WebDeps> => ({
    client: env.client,
    store,
    secret,
    users: new Map([['planeacion', hashPassword(PASSWORD)]]),
    ...(options.oidc ? { oidc: typeof options.oidc === 'function' ? await options.oidc(baseUrl) : options.oidc } : {}),
    baseUrl,
    now: () => now,
    maxUploadBytes: 1024 * 1024,
    loadCalendar: () => calendar,
    // The worker keeps the cut reports in the same stores (workers/deps.ts).
    cutStore: createCutStore({ index: testRecords(dataDir).cuts, blobs: testBlobs(dataDir) }),
    records: testRecords(dataDir),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  // The app listens before the worker exists, so the worker can sign links for the app's real origin.
  const { app, origin } = options.linksToOrigin ? await listenAtOwnOrigin(webDeps) : await listenAt(await webDeps(BASE_URL));
  const deps = testWorkerDeps(mail.url, dataDir, { allowPrivateEvidence: true });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    ...workflowCode(),
    activities: createActivities({ ...deps, links: { baseUrl: options.linksToOrigin ? origin : BASE_URL, secret } }),
  });
  const running = worker.run();
  return {
    env,
    mail,
    evidence,
    app,
    origin,
    secret,
    taskQueue,
    store,
    blobDir: join(dataDir, 'blobs'),
    setNow: (ms) => (now = ms),
    setCalendar: (c) => (calendar = c),
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      deps.close();
      await Promise.all([env.teardown(), mail.close(), evidence.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function listenAt(deps: WebDeps, port = 0): Promise<{ app: FastifyInstance; origin: string }> {
  const app = await buildApp(deps);
  try {
    return { app, origin: await app.listen({ port, host: '127.0.0.1' }) };
  } catch (err) {
    await app.close();
    throw err;
  }
}

/**
 * The app's baseUrl must be its own origin, known before it listens: ask the kernel for a free
 * loopback port, then listen on it; if another process took it in between, try another.
 */
async function listenAtOwnOrigin(webDeps: (baseUrl: string) => Promise<WebDeps>): Promise<{ app: FastifyInstance; origin: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await listenAt(await webDeps(`http://127.0.0.1:${port}`), port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 5) throw err;
    }
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Response {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
  /** The body as bytes, for a download. */
  bytes: Buffer;
}

/** Cookies as a browser keeps them for one site; redirects are not followed, so tests see them. */
export class Browser {
  constructor(
    private readonly origin: string,
    private readonly cookies = new Map<string, string>(),
    /** Sent with every request: an X-Forwarded-For a proxy would add, say. */
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The same browser (one cookie jar) with headers added to every request. */
  with(headers: Record<string, string>): Browser {
    return new Browser(this.origin, this.cookies, { ...this.headers, ...headers });
  }

  /**
   * The same browser sent to another app of the same site (two web apps behind one proxy): one
   * cookie jar, so what either app sets the other is sent.
   */
  at(origin: string): Browser {
    return new Browser(origin, this.cookies);
  }

  /** A copy of the cookies as they are now, kept apart: what someone who copied them could replay. */
  copy(origin = this.origin): Browser {
    return new Browser(origin, new Map(this.cookies));
  }

  /** `raw` sends a body of any content type, as a script (not a browser) can. */
  async request(
    method: 'GET' | 'POST',
    url: string,
    body?: { form?: Record<string, string>; multipart?: Multipart; raw?: { type: string; payload: string | Buffer } },
  ): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    let payload: string | Buffer | undefined;
    if (body?.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body.form).toString();
    } else if (body?.multipart) {
      headers['content-type'] = `multipart/form-data; boundary=${body.multipart.boundary}`;
      payload = body.multipart.build();
    } else if (body?.raw) {
      headers['content-type'] = body.raw.type;
      payload = body.raw.payload;
    }
    const res = await fetch(`${this.origin}${url}`, { method, headers, body: payload, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const plain: Record<string, string> = Object.fromEntries(res.headers.entries());
    plain['set-cookie'] = setCookies.join('\n');
    const bytes = Buffer.from(await res.arrayBuffer());
    return { statusCode: res.status, body: bytes.toString('utf8'), headers: plain, bytes };
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, form: Record<string, string>) => this.request('POST', url, { form });
}

export class Multipart {
  readonly boundary = '----plazos-test-boundary';
  private parts: Buffer[] = [];
  field(name: string, value: string): this {
    this.parts.push(Buffer.from(`--${this.boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    return this;
  }
  file(name: string, filename: string, type: string, content: Buffer): this {
    this.parts.push(
      Buffer.from(`--${this.boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
      content,
      Buffer.from('\r\n'),
    );
    return this;
  }
  build(): Buffer {
    return Buffer.concat([...this.parts, Buffer.from(`--${this.boundary}--\r\n`)]);
  }
}

/** The hidden CSRF field of the page's (first) form. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('the page has no CSRF field');
  return m[1]!;
}

export { eventually } from '../helpers/eventually';

/**
 * The web app over another test's stack (its dev server and data directory), listening on a
 * loopback port. `client` replaces the stack's own (a connection that records its RPCs).
 */
export async function dashboardOver(
  stack: { env: TestWorkflowEnvironment; dataDir: string },
  opts: { secret?: Buffer; client?: WebDeps['client']; loadCalendar?: WebDeps['loadCalendar'] } = {},
): Promise<{ app: FastifyInstance; origin: string }> {
  return listenAt({
    ...(opts.loadCalendar ? { loadCalendar: opts.loadCalendar } : {}),
    client: opts.client ?? stack.env.client,
    store: createEvidenceStore(testBlobs(stack.dataDir)),
    secret: opts.secret ?? Buffer.alloc(32, 3),
    users: new Map([['planeacion', hashPassword(PASSWORD)]]),
    baseUrl: BASE_URL,
    now: () => Date.now(),
    maxUploadBytes: 1024 * 1024,
    records: testRecords(stack.dataDir),
  });
}

/** A browser signed in to the dashboard at `origin` as OAPLA's user. */
export async function signedIn(origin: string): Promise<Browser> {
  const browser = new Browser(origin);
  const login = await browser.get('/entrar');
  const res = await browser.post('/entrar', { _csrf: csrfOf(login.body), usuario: 'planeacion', clave: PASSWORD, volver: '/' });
  if (res.statusCode !== 303) throw new Error(`signing in answered ${res.statusCode}`);
  return browser;
}
