import type http from 'node:http';
import pino from 'pino';
import { ApplicationFailure } from '@temporalio/common';
import { createEvidenceActivities, type EvidenceLimits, type ResolveHost } from '../../../activities/evidence';
import { createEvidenceStore } from '../../../activities/evidence';
import { createLocalBlobStore } from '../../../store/blobs';
import { closedPort, startServer, type LocalServer } from './local-server';

const BASE_LIMITS: EvidenceLimits = {
  maxBytes: 1024 * 1024,
  allowedMediaTypes: ['application/pdf'],
  urlTimeoutMs: 3_000,
  maxRedirects: 3,
  allowPrivateNetworks: false,
};

function checker(limits: Partial<EvidenceLimits> = {}, resolveHost?: ResolveHost, logLines: string[] = []) {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  const store = createEvidenceStore(createLocalBlobStore({ dir: '/nonexistent-plazos-test-dir', logger }));
  return createEvidenceActivities({ store, limits: { ...BASE_LIMITS, ...limits }, logger, resolveHost });
}

/** The local test servers are on loopback, which is blocked unless private networks are allowed. */
const local = (limits: Partial<EvidenceLimits> = {}, resolveHost?: ResolveHost) => checker({ allowPrivateNetworks: true, ...limits }, resolveHost);

const routes: Record<string, http.RequestListener> = {
  '/informe': (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(),
  '/sin-head': (req, res) => res.writeHead(req.method === 'HEAD' ? 405 : 200).end(),
  '/a': (_req, res) => res.writeHead(301, { location: '/b' }).end(),
  '/b': (_req, res) => res.writeHead(302, { location: '/c' }).end(),
  '/c': (_req, res) => res.writeHead(200).end(),
  '/bucle': (_req, res) => res.writeHead(302, { location: '/bucle' }).end(),
  '/a-ftp': (_req, res) => res.writeHead(302, { location: 'ftp://archivos.example/acta.pdf' }).end(),
  '/privado': (_req, res) => res.writeHead(403).end(),
  '/sin-fin': (req, res) => {
    // No HEAD, and a GET body that never ends: the check must decide on the status alone.
    if (req.method === 'HEAD') return void res.writeHead(405).end();
    res.writeHead(200);
    const timer = setInterval(() => res.write('x'.repeat(16 * 1024)), 5);
    res.on('close', () => clearInterval(timer));
  },
};

let server: LocalServer;
let silent: LocalServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const route = routes[(req.url ?? '').split('?')[0] ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  silent = await startServer(() => undefined);
});

afterAll(async () => {
  await server.close();
  await silent.close();
});

beforeEach(() => {
  server.requests.length = 0;
});

describe('a link the area lead submits', () => {
  it('is accepted when the page answers 200, with a Spanish note that it awaits OAPLA', async () => {
    const result = await local().checkEvidence({ kind: 'url', url: server.url('/informe') });
    expect(result).toEqual({
      ok: true,
      code: 'ok',
      status: 200,
      finalUrl: server.url('/informe'),
      message: expect.objectContaining({ es: expect.stringContaining('OAPLA') }),
    });
  });

  it('is refused with the status when the page does not exist (404)', async () => {
    const result = await local().checkEvidence({ kind: 'url', url: server.url('/no-existe') });
    expect(result).toMatchObject({ ok: false, code: 'http-status', status: 404 });
    expect(result.message.es).toContain('404');
    expect(result.message.es).toContain('no existe');
  });

  it('is refused when the page is not public (403), telling the lead to make it public', async () => {
    const result = await local().checkEvidence({ kind: 'url', url: server.url('/privado') });
    expect(result).toMatchObject({ ok: false, code: 'http-status', status: 403 });
    expect(result.message.es).toContain('iniciar sesión');
  });

  it('is accepted from a site that refuses HEAD, by asking again with GET', async () => {
    const result = await local().checkEvidence({ kind: 'url', url: server.url('/sin-head') });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });

  it('is accepted from a page whose body never ends, because only the status is read', async () => {
    const result = await local().checkEvidence({ kind: 'url', url: server.url('/sin-fin') });
    expect(result).toMatchObject({ ok: true, code: 'ok', status: 200 });
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });

  it('follows a chain of redirects within the limit and reports where it ended', async () => {
    const result = await local({ maxRedirects: 2 }).checkEvidence({ kind: 'url', url: server.url('/a') });
    expect(result).toMatchObject({ ok: true, code: 'ok', finalUrl: server.url('/c') });
    expect(server.requests.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
  });

  it('refuses a chain one redirect longer than the limit', async () => {
    const result = await local({ maxRedirects: 1 }).checkEvidence({ kind: 'url', url: server.url('/a') });
    expect(result).toMatchObject({ ok: false, code: 'too-many-redirects' });
    expect(result.message.es).toContain('más de 1');
  });

  it('refuses a redirect loop as too many redirects', async () => {
    const result = await local().checkEvidence({ kind: 'url', url: server.url('/bucle') });
    expect(result).toMatchObject({ ok: false, code: 'too-many-redirects' });
    expect(server.requests).toHaveLength(BASE_LIMITS.maxRedirects + 1);
  });

  it('refuses a redirect to an ftp:// address', async () => {
    const result = await local().checkEvidence({ kind: 'url', url: server.url('/a-ftp') });
    expect(result).toMatchObject({ ok: false, code: 'bad-scheme' });
  });

  it('gives up with timeout when the site never answers', async () => {
    const result = await local({ urlTimeoutMs: 300 }).checkEvidence({ kind: 'url', url: silent.url('/acta') });
    expect(result).toMatchObject({ ok: false, code: 'timeout' });
    expect(result.message.es).toContain('tardó demasiado');
  });

  it('reports a network failure when nothing listens on the port', async () => {
    const port = await closedPort();
    const result = await local().checkEvidence({ kind: 'url', url: `http://127.0.0.1:${port}/` });
    expect(result).toMatchObject({ ok: false, code: 'network' });
  });

  it.each(['ftp://archivos.example/acta.pdf', 'javascript:alert(1)', 'file:///etc/passwd', 'acta final.pdf'])('refuses %s as not a web link', async (url) => {
    const result = await checker().checkEvidence({ kind: 'url', url });
    expect(result).toMatchObject({ ok: false, code: 'bad-scheme' });
    expect(result.message.es).toContain('https://');
  });
});

describe('links to internal networks', () => {
  it('refuses the local machine by default without contacting it', async () => {
    const result = await checker().checkEvidence({ kind: 'url', url: server.url('/informe') });
    expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
    expect(result.message.es).toContain('red interna o privada');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses "localhost" by default, after resolving it', async () => {
    const result = await checker().checkEvidence({ kind: 'url', url: `http://localhost:${server.port}/informe` });
    expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
    expect(server.requests).toHaveLength(0);
  });

  it('allows the local machine when private networks are allowed (development)', async () => {
    const result = await checker({ allowPrivateNetworks: true }).checkEvidence({ kind: 'url', url: server.url('/informe') });
    expect(result).toMatchObject({ ok: true, code: 'ok' });
  });

  it.each([
    'http://10.0.0.1/acta.pdf',
    'http://192.168.1.20/acta.pdf',
    'http://172.16.5.4/acta.pdf',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/acta.pdf',
    'http://[::ffff:127.0.0.1]/acta.pdf',
    'http://[fd00::1]/acta.pdf',
    'http://0.0.0.0/acta.pdf',
    'http://2130706433/acta.pdf',
    'https://224.0.0.1/acta.pdf',
  ])('refuses the address literal in %s', async (url) => {
    const result = await checker().checkEvidence({ kind: 'url', url });
    expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
  });

  it('refuses a name when any of its addresses is private, even if the first is public', async () => {
    const resolveHost: ResolveHost = () => Promise.resolve(['93.184.215.14', '10.20.30.40']);
    const result = await checker({}, resolveHost).checkEvidence({ kind: 'url', url: 'https://portal.example/acta' });
    expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
  });
});

describe('redirects and names are vetted hop by hop', () => {
  // The entity's own server is exempted by exact address; everything else internal stays blocked.
  const exemptLoopback = { allowedAddresses: ['127.0.0.1'] };

  async function redirectingTo(location: string): Promise<LocalServer> {
    return startServer((_req, res) => res.writeHead(302, { location }).end());
  }

  it('refuses a redirect from an allowed site to another loopback address, never contacting it', async () => {
    let target: LocalServer;
    try {
      target = await startServer((_req, res) => res.writeHead(200).end(), '127.0.0.2');
    } catch {
      // Some systems only configure 127.0.0.1; then the target need not exist to be refused.
      target = { port: 9, url: (p = '/') => `http://127.0.0.2:9${p}`, requests: [], close: () => Promise.resolve() };
    }
    const origin = await redirectingTo(target.url('/interno'));
    try {
      const result = await checker(exemptLoopback).checkEvidence({ kind: 'url', url: origin.url('/publico') });
      expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
      expect(origin.requests).toHaveLength(1);
      expect(target.requests).toHaveLength(0);
    } finally {
      await origin.close();
      await target.close();
    }
  });

  it('refuses a redirect to a name that resolves to a private address', async () => {
    const origin = await redirectingTo('http://intranet.example/nomina.xlsx');
    const resolveHost: ResolveHost = (name) => Promise.resolve(name === 'intranet.example' ? ['10.1.2.3'] : []);
    try {
      const result = await checker(exemptLoopback, resolveHost).checkEvidence({ kind: 'url', url: origin.url('/x') });
      expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
    } finally {
      await origin.close();
    }
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    const origin = await redirectingTo('http://169.254.169.254/latest/meta-data/');
    try {
      const result = await checker(exemptLoopback).checkEvidence({ kind: 'url', url: origin.url('/x') });
      expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
    } finally {
      await origin.close();
    }
  });

  it('connects to the address it vetted and keeps the site name in the Host header', async () => {
    const asked: string[] = [];
    const resolveHost: ResolveHost = (name) => {
      asked.push(name);
      return Promise.resolve(['127.0.0.1']);
    };
    const url = `http://docs.example:${server.port}/informe`;
    const result = await checker(exemptLoopback, resolveHost).checkEvidence({ kind: 'url', url });
    expect(result).toMatchObject({ ok: true, code: 'ok', finalUrl: url });
    expect(asked).toEqual(['docs.example']);
    expect(server.requests).toEqual([{ method: 'HEAD', path: '/informe', host: `docs.example:${server.port}` }]);
  });

  it('reports a name that does not exist as a DNS problem', async () => {
    const resolveHost: ResolveHost = (name) => Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' }));
    const result = await checker({}, resolveHost).checkEvidence({ kind: 'url', url: 'https://cajahonor.example/acta' });
    expect(result).toMatchObject({ ok: false, code: 'dns' });
    expect(result.message.es).toContain('bien escrita');
  });

  it('gives up with timeout when the name never resolves', async () => {
    const neverAnswers: ResolveHost = () => new Promise<string[]>(() => undefined);
    const result = await checker({ urlTimeoutMs: 200 }, neverAnswers).checkEvidence({ kind: 'url', url: 'https://lento.example/' });
    expect(result).toMatchObject({ ok: false, code: 'timeout' });
  });

  it('reports a name with no addresses as a DNS problem', async () => {
    const result = await checker({}, () => Promise.resolve([])).checkEvidence({ kind: 'url', url: 'https://vacio.example/' });
    expect(result).toMatchObject({ ok: false, code: 'dns' });
  });
});

describe('what the check records', () => {
  it('logs the code and a hash of the link, never its query string or path', async () => {
    const lines: string[] = [];
    const url = `${server.url('/informe')}?token=secreto-de-la-entidad&responsable=Maria.Perez`;
    const result = await checker({ allowPrivateNetworks: true }, undefined, lines).checkEvidence({ kind: 'url', url });
    expect(result.ok).toBe(true);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({ evidence: 'url', code: 'ok', status: 200, urlSha256: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(lines[0]).not.toContain('secreto');
    expect(lines[0]).not.toContain('Maria');
    expect(lines[0]).not.toContain('/informe');
  });

  it('returns a plain value that survives a JSON round trip unchanged (workflow history)', async () => {
    const result = await local().checkEvidence({ kind: 'url', url: server.url('/no-existe') });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('fails without retry on malformed input, which is a caller bug', async () => {
    const bad = { kind: 'url', url: '' } as const;
    await expect(checker().checkEvidence(bad)).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(checker().checkEvidence(bad)).rejects.toMatchObject({ nonRetryable: true, type: 'InvalidEvidenceInput' });
  });
});
