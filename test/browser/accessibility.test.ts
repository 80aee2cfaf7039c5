/**
 * WCAG 2.1 AA (Resolución 1519 de 2020 de MinTIC) on every page of the web app, checked by axe-core
 * in Debian's chromium over the real stack: sign-in, the portfolio, a plan (with its filters), an
 * area's view, an activity, the printable report, a lead's evidence page and its receipt, and the
 * error pages. Zero violations of the WCAG 2.0/2.1 A and AA rules. Also, in the same browser: the
 * timeline of a plan of 45 activities keeps its labels apart, and an e-mail with a long
 * evidence link fits a 390 px screen.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { signEvidenceToken } from '../../activities/email/links';
import { startPlan } from '../../client/start-plan';
import { eventually, PASSWORD, startStack, webTestPlan, type Stack } from '../web/stack';
import { seedPlan } from '../helpers/seed';
import { launchChromium, loopbackContext, pageWidth, screenshot } from './browser';
import { buildView } from '../../activities/email/view';
import { AREAS, notice, sharedTemplates } from '../activities/email/fixtures';

jest.setTimeout(120_000);

const { calendar, due, today, plan } = webTestPlan(4);
/** A plan of 45 activities that has not begun: only its rows and timeline matter here. */
const big = {
  ...seedPlan(
    Array.from({ length: 45 }, (_, i) => ({
      number: i + 1,
      title: `Actividad de prueba número ${i + 1}`,
      responsible: [i % 2 ? 'ARCOM' : 'ASERA'],
      deliverable: 'Informe.',
      start: calendar.addBusinessDays(today, 30 + i),
      due: calendar.addBusinessDays(today, 60 + i),
    })),
  ),
  id: 'plan-grande-2023',
};
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let stack: Stack;
let browser: Browser;
const offLoopback: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack('plazos-accesibilidad');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await startPlan(stack.env.client, big, calendar, { taskQueue: stack.taskQueue, searchAttributes: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const p of [plan, big]) {
    for (const a of p.activities)
      await stack?.env.client.workflow
        .getHandle(`${p.id}/${a.number}`)
        .signal('cancel', { reason: 'fin de la prueba' })
        .catch(() => undefined);
  }
  await stack?.stop();
});

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.1 A/AA violations on the page as it is now (evaluated through the debugger, so the CSP that forbids scripts stays on). */
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA)} } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`);
}

async function newPage(): Promise<Page> {
  const context = await loopbackContext(browser, offLoopback);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

async function signedIn(): Promise<Page> {
  const page = await newPage();
  await page.goto(`${stack.origin}/entrar`);
  await page.getByLabel('Usuario').fill('planeacion');
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: 'Planes en seguimiento' }).waitFor();
  return page;
}

afterEach(() => expect(offLoopback.splice(0)).toEqual([]));

it('the check is live: a page with an image without text and an unlabelled field shows both violations', async () => {
  const page = await newPage();
  await page.setContent('<!doctype html><html lang="es"><head><title>x</title></head><body><main><img src="data:,"><input></main></body></html>');
  expect((await violations(page)).map((v) => v.id).sort()).toEqual(['image-alt', 'label']);
});

it('the sign-in page has no WCAG 2.1 AA violation', async () => {
  const page = await newPage();
  await page.goto(`${stack.origin}/entrar`);
  expect(await violations(page)).toEqual([]);
});

it("OAPLA's pages have no WCAG 2.1 AA violation: portfolio, plan, filtered plan, area, activity, report, and the 404 page", async () => {
  await Promise.all(
    plan.activities.map((a) =>
      eventually(
        async () => (await stack.env.client.workflow.getHandle(`${plan.id}/${a.number}`).describe()).typedSearchAttributes,
        (attrs) => attrs.getAll().some((p) => p.key.name === 'PlazosLastNotice'),
        `activity ${a.number} indexed its kickoff`,
        { timeoutMs: 30_000 },
      ),
    ),
  );
  const page = await signedIn();
  const found: Record<string, Violation[]> = {};
  for (const path of [
    '/',
    `/planes/${plan.id}`,
    `/planes/${plan.id}?area=ARCOM&orden=vence`,
    `/planes/${big.id}`,
    '/areas/ARCOM',
    `/actividad?id=${plan.id}/1`,
    `/planes/${plan.id}/informe`,
    `/planes/${plan.id}/cortes`,
    '/no-existe',
  ]) {
    await page.goto(`${stack.origin}${path}`);
    found[path] = await violations(page);
  }
  await screenshot(page, 'accesibilidad-404');
  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((p) => [p, []])));
});

it("a lead's evidence page, its receipt and a refused link have no WCAG 2.1 AA violation", async () => {
  const page = await newPage();
  const token = signEvidenceToken({ workflowId: `${plan.id}/1`, area: 'ARVIV', expires: due }, stack.secret);
  await page.goto(`${stack.origin}/evidencia/${token}`);
  await page.getByRole('heading', { name: 'Actividad 1' }).waitFor();
  const form = await violations(page);
  await page.getByLabel('Enlace a la evidencia').fill(stack.evidence.url('ferias.pdf'));
  await page.getByRole('button', { name: 'Enviar evidencia' }).click();
  await page.getByRole('status').waitFor();
  const receipt = await violations(page);
  await page.goto(`${stack.origin}/evidencia/${token.slice(0, -2)}xx`);
  const refused = await violations(page);
  expect({ form, receipt, refused }).toEqual({ form: [], receipt: [], refused: [] });
});

it('the timeline of a plan of 45 activities keeps each label apart from the others and from the bars', async () => {
  const page = await signedIn();
  await page.goto(`${stack.origin}/planes/${big.id}`);
  await screenshot(page, 'linea-de-tiempo-45');
  // Boxes in the SVG's own units, read in the page (a string: the tests compile without the DOM's types).
  type Box = { x: number; y: number; w: number; h: number };
  const boxes = await page.evaluate<{ labels: Box[]; bars: Box[] }>(`(() => {
    const box = (e) => { const b = e.getBBox(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
    const svg = document.querySelector('svg.chart');
    return { labels: [...svg.querySelectorAll('text.row-label')].map(box), bars: [...svg.querySelectorAll('rect.bar')].map(box) };
  })()`);
  expect(boxes.labels).toHaveLength(45);
  const apart = (a: Box, b: Box) => a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
  const overlaps: string[] = [];
  boxes.labels.forEach((a, i) => {
    boxes.labels.forEach((b, j) => {
      if (i < j && !apart(a, b)) overlaps.push(`label ${i + 1} and label ${j + 1}`);
    });
    boxes.bars.forEach((b, j) => {
      if (!apart(a, b)) overlaps.push(`label ${i + 1} and bar ${j + 1}`);
    });
  });
  expect(overlaps).toEqual([]);
});

it.each([
  [
    'evidence-received',
    'the link to the evidence handed in',
    { detail: { evidenceUrl: `https://repositorio.entidad.gov.co/descarga?id=${'A1b2C3d4E5f6'.repeat(10)}` } },
  ],
  [
    'kickoff',
    'the signed link to hand in the evidence',
    { links: { evidence: `https://plazos.entidad.gov.co/evidencia/${'eyJ3IjoicGxhbi0yMDIzLzEzIn0'.repeat(5)}.${'Xy9_aB3-cD'.repeat(4)}` } },
  ],
] as const)('an e-mail (%s) wraps %s inside a 390 px screen', async (kind, _what, extra) => {
  const mail = sharedTemplates().render(buildView(notice({ kind, ...extra }), AREAS));
  const context = await loopbackContext(browser, offLoopback, { viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.setContent(mail.html);
  await screenshot(page, `correo-${kind}-enlace-largo-390`);
  const width = await pageWidth(page);
  expect(width.innerWidth).toBe(390);
  expect(width.scrollWidth).toBeLessThanOrEqual(width.innerWidth);
  await context.close();
});
