/**
 * The dashboard's lists read Temporal's visibility and nothing else: the real workflows on the dev
 * server, a real worker and SMTP capture, and the web app on a connection that records every RPC it
 * makes. Twenty loads of the plan page, its CSV, the portfolio and an area's view ask no workflow
 * anything (only ListWorkflowExecutions goes out) and leave every history as it was; the rows still
 * show what each workflow keeps current: title after an amendment, evidence count, last and next notice.
 *
 * `PLAZOS_RECORD_LISTING=v3 npx jest test/web/visibility-lists` also writes the histories of these
 * paths under the list-attributes-v1 patch for the replay tests (test/replay/histories/v3/list-attributes/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { startPlan } from '../../client/start-plan';
import type { buildApp } from '../../web/app';
import { amendUpdate, cancelSignal, extendDeadlineUpdate, submitEvidenceUpdate } from '../../workflows/shared';
import { eventually, settled, startStatusStack, type StatusStack } from '../client/status-stack';
import { dashboardOver, signedIn, webTestPlan, type Browser, type Response } from './stack';
import { itWhen } from '../helpers/skip';
import { dateLabel } from '../../web/labels';

const { calendar, due, today, plan } = webTestPlan(4);
const other = { ...plan, id: 'plan-anticorrupcion-2023' };
const AMENDED = 'Seguimiento al sitio web y a la sede electrónica';
/** Activity 2 of the other plan (ASERA, ARCOM) is extended to fall due within a day or two. */
const SOON = calendar.addBusinessDays(today, 1);

let stack: StatusStack;
let connection: Connection;
let app: Awaited<ReturnType<typeof buildApp>>;
let browser: Browser;
const rpcs: string[] = [];

const recording: Interceptor = (options, nextCall) => {
  rpcs.push(options.method_definition.path.split('/').pop() ?? '');
  return new InterceptingCall(nextCall(options));
};

beforeAll(async () => {
  stack = await startStatusStack('plazos-web-listas');
  connection = await Connection.connect({ address: stack.env.address, interceptors: [recording, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())] });
  let origin: string;
  ({ app, origin } = await dashboardOver(stack, { client: new Client({ connection }) }));
  const client = stack.env.client;
  for (const p of [plan, other]) await startPlan(client, p, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await Promise.all([plan, other].flatMap((p) => [1, 2, 3, 4].map((n) => settled(client, `${p.id}/${n}`))));
  // The check of this link fails (a private address): the evidence still counts as handed in.
  await client.workflow.getHandle(`${plan.id}/2`).executeUpdate(submitEvidenceUpdate, {
    args: [{ evidence: { kind: 'url', url: 'https://127.0.0.1/informe.pdf' }, submittedBy: 'ASERA' }],
  });
  await client.workflow.getHandle(`${plan.id}/3`).executeUpdate(amendUpdate, { args: [{ title: AMENDED, reason: 'Incluye la sede electrónica.' }] });
  await client.workflow.getHandle(`${other.id}/2`).executeUpdate(extendDeadlineUpdate, { args: [{ newDue: SOON, reason: 'Se adelanta.' }] });
  await Promise.all([`${plan.id}/2`, `${plan.id}/3`, `${other.id}/2`].map((id) => settled(client, id)));
  browser = await signedIn(origin);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await stack?.stop();
});

/** The text of the page's row whose link opens the workflow. */
function rowOf(page: Response, id: string): string {
  const row = page.body.split('<tr>').find((r) => r.includes(`/actividad?id=${id}"`));
  if (!row) throw new Error(`no row for ${id} in:\n${page.body}`);
  return row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

const csvLines = (res: Response) =>
  res.body
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');

it('a row shows the amended title, the evidence handed in, and the last and next notice, as the workflow set them', async () => {
  const page = await eventually(
    () => browser.get(`/planes/${plan.id}`),
    (p) => p.body.includes(AMENDED),
    'the amended title listed',
  );
  expect(page.statusCode).toBe(200);
  expect(rowOf(page, `${plan.id}/3`)).toContain(AMENDED);
  // Evidence column of activity 2: one link handed in.
  expect(page.body).toMatch(
    new RegExp(
      `${plan.id}/2">Divulgar trámites y servicios</a></td><td data-label="Áreas">ASERA ARCOM </td><td data-label="Vence"><span class="fecha">${dateLabel(due)}</span></td><td data-label="Estado">[^<]+</td><td data-label="Evidencias">1</td>`,
    ),
  );
  const row1 = rowOf(page, `${plan.id}/1`);
  expect(row1).toContain('Desarrollar ferias inmobiliarias');
  // The kickoff went out today; the next notice is a reminder before the due date.
  expect(row1).toMatch(new RegExp(`${dateLabel(today)}, \\d\\d:\\d\\d`));
  expect(row1).toMatch(/\d{1,2} [a-z]{3} 20\d\d, 08:00/);
});

it('20 loads of the plan page, its CSV, the portfolio and an area view send only visibility Lists: no query, no update, and no history grows', async () => {
  const client = stack.env.client;
  const ids = [plan, other].flatMap((p) => [1, 2, 3, 4].map((n) => `${p.id}/${n}`));
  const lengths = async () => Promise.all(ids.map(async (id) => (await client.workflow.getHandle(id).describe()).historyLength));
  const before = await lengths();
  rpcs.length = 0;
  const urls = [`/planes/${plan.id}`, `/planes/${plan.id}/informe.csv`, '/', '/areas/ARCOM', `/planes/${plan.id}?orden=vence&area=ARCOM`];
  for (let i = 0; i < 20; i++) expect((await browser.get(urls[i % urls.length]!)).statusCode).toBe(200);
  expect(new Set(rpcs)).toEqual(new Set(['ListWorkflowExecutions']));
  expect(rpcs.length).toBeGreaterThanOrEqual(20);
  expect(await lengths()).toEqual(before);
});

it('filters by area, state and due window, and the CSV takes the same filter', async () => {
  const byArea = await browser.get(`/planes/${plan.id}?area=ARCOM`);
  expect(byArea.body).toContain('Filas 1 a 2 de 2.');
  expect(byArea.body).toContain(`${plan.id}/2"`);
  expect(byArea.body).toContain(`${plan.id}/3"`);
  const none = await browser.get(`/planes/${plan.id}?hasta=${calendar.previousBusinessDay(due)}`);
  expect(none.body).toContain('Ninguna actividad cumple el filtro.');
  const window = await browser.get(`/planes/${plan.id}?desde=${due}&hasta=${due}&orden=vence`);
  expect(window.body).toContain('Filas 1 a 4 de 4.');
  expect(window.body).toContain('<p class="lead">4 entregables · <strong>0</strong> vencidos sin evidencia');
  const csv = await browser.get(`/planes/${plan.id}/informe.csv?area=ARVIV`);
  const lines = csvLines(csv);
  expect(lines[0]).toBe('plan,actividad,periodo,nombre,areas,inicio,vence,estado,vencida,evidencias,ultimo_aviso,proximo_aviso,avance');
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([`${plan.id},1,,Desarrollar ferias inmobiliarias,ARVIV`]);
  const bad = await browser.get(`/planes/${plan.id}?estado=inventado`);
  expect(bad.statusCode).toBe(400);
});

it('the portfolio lists every plan with its light and counts; an area sees what it owes this month in every plan', async () => {
  const home = await browser.get('/');
  expect(home.statusCode).toBe(200);
  for (const p of [plan, other]) expect(home.body).toContain(`<a href="/planes/${p.id}">${p.id}</a>`);
  expect(home.body).toContain('<a href="/areas/ARCOM">ARCOM</a>');
  // ARCOM's deliverables: activities 2 and 3 of each plan; only the extended one falls due this month
  // (unless today is the month's last business day, when it falls due next month).
  const owed = SOON.slice(0, 7) === today.slice(0, 7) ? [`${other.id}/2`] : [];
  const area = await eventually(
    () => browser.get('/areas/ARCOM'),
    (p) => (p.body.match(/<tr><td class="light-cell"><span class="dot/g) ?? []).length === owed.length,
    'ARCOM owes the extended one',
  );
  expect(area.statusCode).toBe(200);
  for (const id of owed) expect(rowOf(area, id)).toContain(dateLabel(SOON));
});

const RECORD = process.env.PLAZOS_RECORD_LISTING;

itWhen(Boolean(RECORD), 'grabar historias de reproducción solo se hace a pedido: PLAZOS_RECORD_LISTING=v3 npx jest test/web/visibility-lists')(
  'records the histories of the listing paths (PLAZOS_RECORD_LISTING), each closed by a cancellation',
  async () => {
    const ids = [`${plan.id}/2`, `${plan.id}/3`, `${other.id}/2`];
    const dir = join(__dirname, '..', 'replay', 'histories', RECORD ?? '', 'list-attributes');
    mkdirSync(dir, { recursive: true });
    for (const id of ids) {
      const handle = stack.env.client.workflow.getHandle(id);
      await handle.signal(cancelSignal, { reason: 'Fin de la grabación de la historia.' });
      await expect(handle.result()).resolves.toMatchObject({ status: 'cancelled' });
      writeFileSync(join(dir, `${id.replace(/\//g, '_')}.binpb`), temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
    }
  },
);
