/**
 * The web app when the worker does not answer: the real workflows on the dev server, the app over
 * HTTP, and the worker shut down half-way. The plan overview reads the index alone and opens whole;
 * an activity's page and its evidence link still open at once, say in Spanish that the engine did
 * not answer in time and show what the server's index knows, without offering what needs the worker.
 *
 * The tests run in order: the worker is shut down after the first describe block.
 */
import { signEvidenceToken } from '../../activities/email/links';
import { startPlan } from '../../client/start-plan';
import type { buildApp } from '../../web/app';
import { settled, startStatusStack, type StatusStack } from '../client/status-stack';
import { Browser, csrfOf, dashboardOver, signedIn, webTestPlan, type Response } from './stack';
import { dateLabel } from '../../web/labels';

const { calendar, due, plan } = webTestPlan(2);
const secret = Buffer.alloc(32, 9);
const NOTE_PAGE = 'El motor no respondió a tiempo; se muestra el estado según el índice del servidor (se esperó 3 s).';

let stack: StatusStack;
let app: Awaited<ReturnType<typeof buildApp>>;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  stack = await startStatusStack('plazos-web-status');
  ({ app, origin } = await dashboardOver(stack, { secret }));
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await Promise.all([1, 2].map((n) => settled(stack.env.client, `${plan.id}/${n}`)));
  browser = await signedIn(origin);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

/** The text of the page's table row whose link opens the activity. */
function rowOf(page: Response, n: number): string {
  const row = page.body.split('<tr>').find((r) => r.includes(`/actividad?id=${plan.id}/${n}"`));
  if (!row) throw new Error(`no row for activity ${n} in:\n${page.body}`);
  return row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

const evidenceLink = (n: number, area: string) => `/evidencia/${signEvidenceToken({ workflowId: `${plan.id}/${n}`, area, expires: due }, secret)}`;

describe('while the worker answers', () => {
  it('the plan overview lists each activity with its title and status, and no note', async () => {
    const page = await browser.get(`/planes/${plan.id}`);
    expect(page.statusCode).toBe(200);
    expect(rowOf(page, 1)).toContain('Desarrollar ferias inmobiliarias');
    expect(rowOf(page, 1)).toContain('en curso');
    expect(page.body).not.toContain('El motor no respondió');
  });
});

describe('after the worker is shut down', () => {
  beforeAll(() => stack.stopWorker());

  it('the plan overview needs no worker: it lists from the index with each title, areas, due date and status, and no note', async () => {
    const page = await browser.get(`/planes/${plan.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('El motor no respondió');
    const row2 = rowOf(page, 2);
    expect(row2).toContain('Divulgar trámites y servicios');
    expect(row2).toContain('ASERA ARCOM');
    expect(row2).toContain(dateLabel(due));
    expect(row2).toContain('en curso');
  });

  it('the activity page says the engine did not answer in time, shows the index and the audit history, and offers no action', async () => {
    const page = await browser.get(`/actividad?id=${plan.id}/1`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(NOTE_PAGE);
    expect(page.body).toContain('Desarrollar ferias inmobiliarias');
    expect(page.body).toContain(`Fecha de entrega</dt><dd><span class="fecha">${dateLabel(due)}</span>`);
    expect(page.body).toContain('<span class="light gris">en curso</span>');
    expect(page.body).toContain('seguimiento iniciado');
    expect(page.body).not.toContain('name="accion"');
  });

  it('an evidence link answers 503 with the same message, the activity as the index knows it, and no form to send', async () => {
    const page = await new Browser(origin).get(evidenceLink(1, 'ARVIV'));
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBe('60');
    expect(page.body).toContain(NOTE_PAGE);
    expect(page.body).toContain('Por ahora no se pueden entregar evidencias');
    expect(page.body).toContain(`Fecha de entrega</dt><dd><span class="fecha">${dateLabel(due)}</span>`);
    expect(page.body).not.toContain('Enviar evidencia');
  });

  it('evidence sent while the engine does not answer is refused with 503, saying it was not received', async () => {
    const link = evidenceLink(1, 'ARVIV');
    // A form opened before the worker stopped: its token is good (a browser's CSRF secret serves
    // every page's form, so the sign-in page's stands in for the evidence page the engine cannot show now).
    const browser = new Browser(origin);
    const csrf = csrfOf((await browser.get('/entrar')).body);
    const res = await browser.request('POST', link, { form: { _csrf: csrf, url: 'https://entidad.gov.co/informe.pdf' } });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('No se recibió la evidencia');
  });

  it('an evidence file cannot be downloaded while the engine does not answer: 503 with the reason', async () => {
    const res = await browser.get(`/archivo/${'a'.repeat(64)}?id=${plan.id}/1`);
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('Archivo no disponible por ahora');
    expect(res.body).toContain(NOTE_PAGE);
  });

  it('the overview of a plan that does not exist is still a 404, not a note', async () => {
    const res = await browser.get('/planes/no-existe');
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('El motor no respondió');
  });
});
