/**
 * A server error is seen: the page (in Spanish) shows a request id, the X-Request-Id header carries
 * it, and the log has one error line with the same id, the route and the cause. Here the cause is a
 * Temporal frontend that does not answer (nothing listens on the address), as when the server restarts.
 */
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createEvidenceStore } from '../../activities/evidence';
import { testBlobs } from '../helpers/worker-deps';
import { buildApp } from '../../web/app';
import { hashPassword } from '../../web/users';
import { Browser, csrfOf, PASSWORD } from './stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRecords } from '../helpers/records';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let app: Awaited<ReturnType<typeof buildApp>>;
let connection: Connection;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'plazos-errors-'));

beforeAll(async () => {
  // No retry interceptor: the failure comes at once instead of after the client's backoff.
  connection = Connection.lazy({ address: '127.0.0.1:1', interceptors: [] });
  app = await buildApp(
    {
      client: new Client({ connection }),
      store: createEvidenceStore(testBlobs(dir)),
      secret: Buffer.alloc(32, 5),
      users: new Map([['planeacion', hashPassword(PASSWORD)]]),
      baseUrl: 'http://plazos.test',
      now: () => Date.now(),
      maxUploadBytes: 1024,
      records: testRecords(dir),
    },
    { logger: pino({ level: 'info' }, sink) },
  );
  browser = new Browser(await app.listen({ port: 0, host: '127.0.0.1' }));
  const login = await browser.get('/entrar');
  expect((await browser.post('/entrar', { _csrf: csrfOf(login.body), usuario: 'planeacion', clave: PASSWORD, volver: '/' })).statusCode).toBe(303);
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a 500 shows the request id on a Spanish page, and the log has that id with the route and the cause', async () => {
  const res = await browser.get('/planes/participacion-ciudadana-2023');
  expect(res.statusCode).toBe(500);
  const id = res.headers['x-request-id'];
  expect(id).toMatch(/^[0-9a-f]{12}$/);
  expect(res.body).toContain('No fue posible completar la solicitud');
  expect(res.body).toContain(`Código de la solicitud: <code>${id}</code>`);
  const logged = lines.filter((l) => l.reqId === id && l.level === 50);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({ route: '/planes/:plan', statusCode: 500, method: 'GET' });
  expect((logged[0]!.err as { message: string }).message).toMatch(/UNAVAILABLE|connect/i);
});

it('a request below 500 is logged at info with its id and route pattern, never the raw URL, and its page has no request id', async () => {
  const res = await browser.get('/evidencia/un-token-que-no-se-debe-registrar');
  expect(res.statusCode).toBeLessThan(500);
  const id = res.headers['x-request-id'];
  expect(res.body).not.toContain('Código de la solicitud');
  const logged = lines.filter((l) => l.reqId === id);
  expect(logged).toEqual([expect.objectContaining({ level: 30, route: '/evidencia/:token', statusCode: res.statusCode })]);
  expect(JSON.stringify(lines)).not.toContain('un-token-que-no-se-debe-registrar');
});
