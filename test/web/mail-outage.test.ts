/**
 * A mail outage, seen where OAPLA and the administrator look: the real workflows on the dev server,
 * the production activities in a worker, a real SMTP server stopped while a plan starts and started
 * again on the same port. While it is down, `plazos status` (the real CLI), the portfolio, the plan
 * page, an activity page and /health say that notices are not going out, since when, why and what
 * to change; once it is back, every kickoff arrives once and the warnings are gone.
 */
import { startPlan } from '../../client/start-plan';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import type { buildApp } from '../../web/app';
import type { StatusRow } from '../../cli/status';
import { eventually } from '../helpers/eventually';
import { testRecords } from '../helpers/records';
import { startStatusStack, type StatusStack } from '../client/status-stack';
import { buildCli, plazosAsync } from '../cli/helpers';
import { Browser, dashboardOver, signedIn, webTestPlan } from './stack';

const { calendar, plan } = webTestPlan(3);
const IDS = [1, 2, 3].map((n) => `${plan.id}/${n}`);
const REFUSED = 'El servidor rechazó la conexión: nada escucha en ese puerto.';

let stack: StatusStack;
let app: Awaited<ReturnType<typeof buildApp>>;
let browser: Browser;
let origin: string;
let smtpPort: number;
let restarted: MailCapture | null = null;

beforeAll(async () => {
  await buildCli();
  stack = await startStatusStack('plazos-correo-caido');
  ({ app, origin } = await dashboardOver(stack));
  browser = await signedIn(origin);
  smtpPort = stack.mail.port;
  await stack.mail.close();
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await restarted?.close();
  await stack?.stop();
});

function plazos(args: string[]) {
  return plazosAsync(args, { TEMPORAL_ADDRESS: stack.env.address, PLAZOS_TASK_QUEUE: stack.taskQueue, PLAZOS_DATA_DIR: stack.dataDir, PLAZOS_LOCALE: 'es' });
}

const health = () => new Browser(origin).get('/health');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('while the SMTP server is down', () => {
  beforeAll(async () => {
    await eventually(health, (r) => r.body.startsWith('degradado: correo: 3 avisos sin enviar desde'), 'three kickoffs listed as unsent', {
      timeoutMs: 60_000,
    });
  }, 90_000);

  it('/health answers 200 "degradado", with how many and since when but not why (the endpoint is public)', async () => {
    const res = await health();
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^degradado: correo: 3 avisos sin enviar desde \d{4}-\d\d-\d\dT/);
    expect(res.body).not.toContain('servidor');
    const json = await new Browser(origin).with({ accept: 'application/json' }).get('/health');
    expect(JSON.parse(json.body)).toEqual({ status: 'degraded', mail: { status: 'degraded', unsent: 3, since: expect.any(String) }, store: 'ok' });
  });

  it('plazos status marks each activity with its unsent kickoff and the fix, and says on stderr that mail is not leaving', async () => {
    const run = await plazos(['status', plan.id]);
    expect(run.status).toBe(0);
    for (const id of IDS) {
      const line = run.stdout.split('\n').find((l) => l.startsWith(`${id} `));
      expect(line).toContain(`⚠ aviso de inicio sin enviar desde`);
      expect(line).toContain(REFUSED);
      expect(line).toContain('Revise el servidor y el puerto');
    }
    expect(run.stderr).toContain('⚠ El correo no está saliendo: 3 avisos sin enviar desde');
    const json = await plazos(['status', plan.id, '--json']);
    const parsed = JSON.parse(json.stdout) as { activities: StatusRow[]; mail: string };
    expect(parsed.activities.map((r) => r.unsent?.text.startsWith('aviso de inicio sin enviar desde'))).toEqual([true, true, true]);
    expect(parsed.mail).toContain('Último motivo: ' + REFUSED);
  });

  it('the portfolio, the plan page and an activity page show the warning with the reason and what to do', async () => {
    const portfolio = await browser.get('/');
    expect(text(portfolio.body)).toContain(`El correo no está saliendo: 3 avisos sin enviar desde`);
    expect(text(portfolio.body)).toContain(`Último motivo: ${REFUSED} Qué hacer: Revise el servidor y el puerto`);
    expect(portfolio.body).toMatch(new RegExp(`<a href="/planes/${plan.id}">${plan.id}</a>.*<strong class="overdue">3</strong>`));

    const planPage = await browser.get(`/planes/${plan.id}`);
    expect(text(planPage.body)).toContain('El correo no está saliendo');
    const row = planPage.body.split('<tr>').find((r) => r.includes(`/actividad?id=${IDS[1]}"`))!;
    expect(text(row)).toContain(`aviso de inicio sin enviar desde`);

    const activity = await browser.get(`/actividad?id=${encodeURIComponent(IDS[0]!)}`);
    expect(text(activity.body)).toContain(`${IDS[0]}: aviso de inicio sin enviar desde`);
    expect(text(activity.body)).not.toContain(`${IDS[1]}: aviso`);
  });
});

describe('once the SMTP server is back on its port', () => {
  beforeAll(async () => {
    restarted = await startMailCapture({ port: smtpPort });
    // Temporal retries each kickoff with backoff (5 s, doubling): they arrive within a minute or so.
    await restarted.waitFor(3, 150_000);
    await eventually(health, (r) => r.body === 'ok', '/health back to ok', { timeoutMs: 30_000 });
  }, 200_000);

  it('every kickoff arrived once', async () => {
    // A late duplicate would come within the retry that sent it; give it a moment to show.
    await new Promise((r) => setTimeout(r, 2_000));
    const ids = restarted!.messages.map((m) => m.messageId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('status and the pages no longer warn; the store counts three notices that left late', async () => {
    const run = await plazos(['status', plan.id]);
    expect(run.stdout).not.toContain('⚠');
    expect(run.stderr).not.toContain('correo');
    expect(text((await browser.get('/')).body)).not.toContain('El correo no está saliendo');
    await expect(testRecords(stack.dataDir).unsent.late({ sinceMs: 0, planId: plan.id })).resolves.toMatchObject({ count: 3 });
  });
});
