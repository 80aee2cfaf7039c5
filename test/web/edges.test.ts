/**
 * The web app's edges without a Temporal server (the client points at nothing; no page here needs
 * it): sign-in waits that never lock the real user out, sessions that end, the return path after
 * sign-in, fastify's own errors as our pages, the security and cache headers, the request bound
 * shared by two web apps, and which address counts behind a proxy (PLAZOS_TRUST_PROXY).
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { createEvidenceStore } from '../../activities/evidence';
import { buildApp, type AppOptions } from '../../web/app';
import type { WebDeps } from '../../web/context';
import { hashPassword } from '../../web/users';
import { testBlobs } from '../helpers/worker-deps';
import { testRecords } from '../helpers/records';
import { Browser, csrfOf, PASSWORD, type Response } from './stack';

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'plazos-edges-'));
const connection = Connection.lazy({ address: '127.0.0.1:1', interceptors: [] });
const users = new Map<string, string>();
const apps: FastifyInstance[] = [];
let now = Date.now();

function deps(overrides: Partial<WebDeps> = {}): WebDeps {
  return {
    client: new Client({ connection }),
    store: createEvidenceStore(testBlobs(dir)),
    secret: Buffer.alloc(32, 9),
    users,
    baseUrl: 'http://plazos.test',
    now: () => now,
    maxUploadBytes: 1024,
    records: testRecords(dir),
    ...overrides,
  };
}

/** A web app on a loopback port, on the same records as every other one here (as behind one proxy). */
async function start(overrides: Partial<WebDeps> = {}, options: AppOptions = {}): Promise<string> {
  const app = await buildApp(deps(overrides), options);
  apps.push(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

let origin: string;
beforeAll(async () => {
  users.set('planeacion', hashPassword(PASSWORD));
  users.set('control', hashPassword('clave-de-control-2'));
  origin = await start();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await connection.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  // Each test in its own hour: the sign-in counts of one do not reach the next.
  now += 3 * 3_600_000;
});

/** A form posted from a given local address (127.0.0.0/8 is all loopback): another client to the app. */
function postFrom(localAddress: string, url: string, form: Record<string, string>, cookie = ''): Promise<{ status: number; location?: string; body: string }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), cookie } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The sign-in page's token and its cookie, as one client from one address gets them. */
async function signInForm(at = origin): Promise<{ csrf: string; cookie: string }> {
  const res = await fetch(`${at}/entrar`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { csrf: csrfOf(await res.text()), cookie };
}

async function attemptFrom(address: string, usuario: string, clave: string) {
  const { csrf, cookie } = await signInForm();
  return postFrom(address, `${origin}/entrar`, { _csrf: csrf, usuario, clave, volver: '/' }, cookie);
}

async function signIn(browser: Browser, usuario = 'planeacion', clave = PASSWORD, volver = '/'): Promise<Response> {
  const form = await browser.get('/entrar');
  return browser.post('/entrar', { _csrf: csrfOf(form.body), usuario, clave, volver });
}

/** One of our pages: HTML in Spanish with the security headers, never the URL asked for nor a stack. */
function ourPage(res: Response, status: number, words: string, url?: string): void {
  expect({ status: res.statusCode, words: res.body.includes(words) }).toEqual({ status, words: true });
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).not.toMatch(/\n\s+at |Error interno|FST_|statusCode/);
  if (url) expect(res.body).not.toContain(url);
}

describe('sign-in: failures elsewhere never lock the real user out', () => {
  it('five wrong passwords from 127.0.0.2, then the right one from 127.0.0.1: signed in', async () => {
    for (let i = 0; i < 5; i++) expect([401, 429]).toContain((await attemptFrom('127.0.0.2', 'planeacion', 'adivinanza')).status);
    expect((await attemptFrom('127.0.0.2', 'planeacion', PASSWORD)).status).toBe(429);
    const ok = await attemptFrom('127.0.0.1', 'planeacion', PASSWORD);
    expect(ok).toMatchObject({ status: 303, location: '/' });
  });

  it('the waits grow 1 s, 2 s, 4 s… for that user from that address, and are answered before the password is checked', async () => {
    const waits: string[] = [];
    for (let i = 0; i < 6; i++) {
      // Each attempt after the previous wait is over: the waits still grow.
      if (i > 0) now += 60_000;
      const res = await attemptFrom('127.0.0.3', 'control', 'adivinanza');
      expect(res.status).toBe(401);
      waits.push(/Espere (\d+ segundos?)/.exec(res.body)?.[1] ?? '-');
    }
    expect(waits).toEqual(['-', '-', '1 segundo', '2 segundos', '4 segundos', '8 segundos']);
    const refused = await attemptFrom('127.0.0.3', 'control', 'clave-de-control-2');
    expect(refused.status).toBe(429);
    expect(refused.body).toContain('Demasiados intentos fallidos. Espere 8 segundos e intente de nuevo.');
    now += 8_000;
    expect((await attemptFrom('127.0.0.3', 'control', 'clave-de-control-2')).status).toBe(303);
  });

  it('every attempt spends the form: the token of the first page does not serve a second failure', async () => {
    const browser = new Browser(origin);
    const form = await browser.get('/entrar');
    const first = await browser.post('/entrar', { _csrf: csrfOf(form.body), usuario: 'planeacion', clave: 'adivinanza' });
    expect(first.statusCode).toBe(401);
    ourPage(await browser.post('/entrar', { _csrf: csrfOf(form.body), usuario: 'planeacion', clave: 'adivinanza' }), 403, 'Formulario vencido');
    expect((await browser.post('/entrar', { _csrf: csrfOf(first.body), usuario: 'planeacion', clave: PASSWORD })).statusCode).toBe(303);
  });

  it('a guessing spread over many addresses slows only browsers that never signed in as the user; the user’s own browser gets in at once', async () => {
    const proxied = await start({}, { trustProxy: ['127.0.0.1'] });
    const own = new Browser(proxied).with({ 'x-forwarded-for': '198.51.100.7' });
    expect((await signIn(own)).statusCode).toBe(303);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 250 }), { minLength: 10, maxLength: 30 }), async (attackers) => {
        now += 3 * 3_600_000;
        for (const a of attackers) {
          const res = await signIn(new Browser(proxied).with({ 'x-forwarded-for': `203.0.113.${a}` }), 'planeacion', 'adivinanza');
          expect([401, 429]).toContain(res.statusCode);
        }
        // The user's browser, from its usual address or a new one, with the right password: in.
        expect((await signIn(own)).statusCode).toBe(303);
        expect((await signIn(own.with({ 'x-forwarded-for': '192.0.2.44' }))).statusCode).toBe(303);
        // A browser that never signed in waits at most a minute, and is told so.
        const stranger = await signIn(new Browser(proxied).with({ 'x-forwarded-for': '192.0.2.45' }));
        if (stranger.statusCode === 429) expect(Number(stranger.headers['retry-after'])).toBeLessThanOrEqual(60);
        else expect(stranger.statusCode).toBe(303);
      }),
      { numRuns: 5 },
    );
  });
});

describe('PLAZOS_TRUST_PROXY: which address counts', () => {
  async function mistypeThenSignIn(at: string): Promise<number> {
    for (let i = 0; i < 3; i++) await signIn(new Browser(at).with({ 'x-forwarded-for': '203.0.113.10' }), 'control', 'adivinanza');
    return (await signIn(new Browser(at).with({ 'x-forwarded-for': '203.0.113.11' }), 'control', 'clave-de-control-2')).statusCode;
  }

  it('with the proxy trusted, X-Forwarded-For is the client: another client behind the proxy is not slowed', async () => {
    expect(await mistypeThenSignIn(await start({}, { trustProxy: ['127.0.0.0/8'] }))).toBe(303);
  });

  it('without it, X-Forwarded-For is ignored: both are the socket’s address, so the second waits too', async () => {
    expect(await mistypeThenSignIn(origin)).toBe(429);
  });
});

describe('sessions end', () => {
  const home = async (b: Browser) => (await b.get('/planes/plan-x')).headers.location ?? 'shown';

  it('signing out ends the session: the same cookie, replayed, goes back to the sign-in page', async () => {
    const browser = new Browser(origin);
    expect((await signIn(browser)).statusCode).toBe(303);
    const stolen = browser.copy();
    expect(await home(stolen)).toBe('shown');
    const page = await browser.get('/entrar');
    expect((await browser.post('/salir', { _csrf: csrfOf(page.body) })).statusCode).toBe(303);
    expect(await home(stolen)).toMatch(/^\/entrar\?volver=/);
  });

  it('a user removed from the users file: their old cookie is refused', async () => {
    users.set('temporal', hashPassword('clave-temporal-3'));
    const browser = new Browser(origin);
    expect((await signIn(browser, 'temporal', 'clave-temporal-3')).statusCode).toBe(303);
    expect(await home(browser)).toBe('shown');
    users.delete('temporal');
    expect(await home(browser)).toMatch(/^\/entrar/);
  });

  it('sign-in and sign-out set each cookie once', async () => {
    const browser = new Browser(origin);
    const res = await signIn(browser);
    const names = (r: Response) => r.headers['set-cookie']!.split('\n').map((c) => c.split('=')[0]);
    expect(names(res).sort()).toEqual(['plazos_csrf', 'plazos_device', 'plazos_session']);
    const page = await browser.get('/entrar');
    const out = await browser.post('/salir', { _csrf: csrfOf(page.body) });
    expect(names(out).sort()).toEqual(['plazos_csrf', 'plazos_session']);
  });
});

describe('the return path after sign-in', () => {
  it.each(['/%E2%80%8B', '/%1F', '/%7F', '/%00', '/%EF%BC%8F', '/%EF%BC%8Fevil.example', '//evil.example', '/\\evil.example'])(
    '/entrar?volver=%s: the form carries a safe path, and signing in lands on it',
    async (volver) => {
      const browser = new Browser(origin);
      const form = await browser.get(`/entrar?volver=${volver}`);
      expect(form.body).toContain('name="volver" value="/"');
      const res = await browser.post('/entrar', { _csrf: csrfOf(form.body), usuario: 'planeacion', clave: PASSWORD, volver: decodeURIComponent(volver) });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/');
      expect(res.headers['set-cookie']).toContain('plazos_session=');
    },
  );

  it('any return path posted with a right password: a 303 to a same-site ASCII path, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({ maxLength: 40 }).map((s) => `/${s}`),
        ),
        async (volver) => {
          const res = await signIn(new Browser(origin), 'planeacion', PASSWORD, volver);
          expect(res.statusCode).toBe(303);
          expect(res.headers.location).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('fastify’s own errors are our pages', () => {
  it('a URL fastify cannot decode: 400, not JSON, not echoed', async () => {
    const res = await new Browser(origin).get('/%');
    ourPage(res, 400, 'Solicitud no válida', "'/%'");
  });

  it('an evidence path of 1,001 characters: 414, without the path', async () => {
    const token = 'a'.repeat(1001);
    ourPage(await new Browser(origin).get(`/evidencia/${token}`), 414, 'Dirección demasiado larga', token);
  });

  it('a path that does not exist, by GET and by POST: 404', async () => {
    ourPage(await new Browser(origin).get('/no-existe/<script>'), 404, 'Página no encontrada', '<script>');
    ourPage(await new Browser(origin).post('/no-existe', { a: 'b' }), 404, 'Página no encontrada');
  });

  it('a JSON body: 415; a body over the limit: 413', async () => {
    ourPage(await new Browser(origin).request('POST', '/entrar', { raw: { type: 'application/json', payload: '{}' } }), 415, 'Formulario no válido');
    ourPage(
      await new Browser(origin).request('POST', '/entrar', { raw: { type: 'application/x-www-form-urlencoded', payload: 'a'.repeat(70_000) } }),
      413,
      'Formulario',
    );
  });

  it('a request Node’s parser refuses: a Spanish page with the headers, not fastify’s JSON', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(origin);
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain("default-src 'none'");
    expect(raw).toContain('Solicitud no válida');
  });
});

describe('headers', () => {
  it('sign-in and link pages are never cached; the stylesheet is', async () => {
    const browser = new Browser(origin);
    expect((await browser.get('/entrar')).headers['cache-control']).toBe('no-store');
    expect((await browser.get('/evidencia/un-enlace-falso')).headers['cache-control']).toBe('no-store');
    expect((await browser.get('/planes/plan-x')).headers['cache-control']).toBe('no-store');
    expect((await browser.get('/static/app.css')).headers['cache-control']).toBe('public, max-age=3600');
  });

  it('HSTS only when the public URL is https', async () => {
    expect((await new Browser(origin).get('/entrar')).headers['strict-transport-security']).toBeUndefined();
    const secure = await start({ baseUrl: 'https://plazos.entidad.gov.co' });
    expect((await new Browser(secure).get('/entrar')).headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect((await new Browser(secure).get('/%')).headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});

describe('requests per address', () => {
  it('counted across two web apps on the same store: past the bound, a Spanish 429 page with Retry-After', async () => {
    const limits = { requests: { max: 5, windowMs: 60_000 } };
    // A window of its own: the counts of the other tests' requests are in the store as well.
    const records = testRecords(mkdtempSync(join(dir, 'rate-')));
    const a = await start({ limits, records });
    const b = await start({ limits, records });
    const statuses: number[] = [];
    for (const at of [a, b, a, b, a]) statuses.push((await new Browser(at).get('/entrar')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await new Browser(b).get('/entrar');
    ourPage(refused, 429, 'Demasiadas solicitudes');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await new Browser(b).get('/health')).statusCode).toBe(200);
  });

  it('a signed-in OAPLA user is not counted: past the address’s bound, the dashboard still answers them', async () => {
    const limits = { requests: { max: 4, windowMs: 60_000 } };
    const records = testRecords(mkdtempSync(join(dir, 'rate-oapla-')));
    const at = await start({ limits, records });
    const oapla = new Browser(at);
    expect((await signIn(oapla)).statusCode).toBe(303);
    // Someone else behind the same address (the entity's NAT) uses up its allowance.
    for (let i = 0; i < 6; i++) await new Browser(at).get('/entrar');
    ourPage(await new Browser(at).get('/entrar'), 429, 'Demasiadas solicitudes');
    const page = await oapla.get('/planes/plan-x');
    expect(page.statusCode).not.toBe(429);
    expect(page.body).not.toContain('Demasiadas solicitudes');
  });
});
