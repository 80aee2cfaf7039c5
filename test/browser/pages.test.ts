/**
 * What a newcomer met on OAPLA's pages, in Chromium over the real stack: a plan that runs over
 * three calendar years (as the demo's, June 2025 to April 2027) drawn on a timeline that spans its
 * dates with today's line where today falls; dates as es-CO writes them, never cut across lines;
 * the due-date filter typed as dd/mm/aaaa whatever the browser's locale; and the portfolio, a plan,
 * an area and an activity read on a 390 px phone without scrolling sideways. axe-core (WCAG 2.1 AA)
 * on each of those pages, on the desktop and on the phone.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startPlan } from '../../client/start-plan';
import { dateLabel, dateInputValue } from '../../web/labels';
import { eventually, PASSWORD, startStack, webTestPlan, type Stack } from '../web/stack';
import { seedPlan } from '../helpers/seed';
import { ARTIFACTS_DIR, launchChromium, loopbackContext, pageWidth, screenshot } from './browser';

jest.setTimeout(180_000);

const { calendar, today } = webTestPlan(1);
const bd = (n: number) => calendar.addBusinessDays(today, n);
/**
 * Five activities from about a year and a half ago to about five months ahead: two before this
 * year, one earlier this year, one that holds today, one that starts next year.
 */
const dates = [
  [-380, -340],
  [-250, -180],
  [-100, -60],
  [-15, 25],
  [60, 95],
] as const;
const plan = {
  ...seedPlan(
    dates.map(([from, to], i) => ({
      number: i + 1,
      title: `Actividad plurianual ${i + 1}`,
      responsible: [i % 2 ? 'ARCOM' : 'ASERA'],
      deliverable: 'Informe.',
      start: bd(from),
      due: bd(to),
    })),
  ),
  id: 'plan-plurianual',
};
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1366, height: 900 } };

let stack: Stack;
let browser: Browser;
const offLoopback: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack('plazos-paginas');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true });
  // Every row indexed with its dates before any page is read.
  await eventually(
    async () => (await stack.env.client.workflow.count(`PlazosPlan = "${plan.id}"`)).count,
    (n) => n === plan.activities.length,
    'every activity indexed with its due date',
    { timeoutMs: 60_000 },
  );
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const a of plan.activities)
    await stack?.env.client.workflow
      .getHandle(`${plan.id}/${a.number}`)
      .signal('cancel', { reason: 'fin de la prueba' })
      .catch(() => undefined);
  await stack?.stop();
});

afterEach(() => expect(offLoopback.splice(0)).toEqual([]));

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.1 A/AA violations, evaluated through the debugger so the CSP stays on. */
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA)} } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`);
}

async function signedIn(options: BrowserContextOptions): Promise<Page> {
  const context = await loopbackContext(browser, offLoopback, options);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${stack.origin}/entrar`);
  await page.getByLabel('Usuario').fill('planeacion');
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: 'Planes en seguimiento' }).waitFor();
  return page;
}

type Box = { x: number; w: number };

it('the timeline of a plan over three years spans its dates, with a line at today inside the bar of the activity under way', async () => {
  const page = await signedIn(DESKTOP);
  await page.goto(`${stack.origin}/planes/${plan.id}`);
  await page.getByRole('heading', { name: 'Cronograma' }).waitFor();
  await screenshot(page, 'cronograma-plurianual-1366');
  // The SVG's own units, read in the page (a string: the tests compile without the DOM's types).
  const chart = await page.evaluate<{
    label: string;
    ticks: string[];
    bars: Record<string, Box>;
    today: number | null;
    todayShown: boolean;
    width: number;
  }>(`(() => {
    const svg = document.querySelector('svg.chart');
    const labels = [...svg.querySelectorAll('text.row-label')].map((t) => t.textContent);
    const rects = [...svg.querySelectorAll('rect.bar')];
    const bars = Object.fromEntries(rects.map((r, i) => [labels[i], { x: Number(r.getAttribute('x')), w: Number(r.getAttribute('width')) }]));
    const line = svg.querySelector('line.today');
    const shown = line ? line.getBoundingClientRect() : null;
    return {
      label: svg.getAttribute('aria-label'),
      ticks: [...svg.querySelectorAll('text.axis:not(.row-label)')].map((t) => t.textContent),
      bars,
      today: line ? Number(line.getAttribute('x1')) : null,
      todayShown: !!shown && shown.height > 20 && getComputedStyle(line).stroke !== 'none',
      width: svg.viewBox.baseVal.width,
    };
  })()`);
  expect(chart.label).toContain(`la línea vertical marca hoy, ${dateLabel(today)}`);
  expect(chart.today).not.toBeNull();
  expect(chart.todayShown).toBe(true);
  const years = [...new Set(dates.flatMap(([from, to]) => [bd(from).slice(0, 4), bd(to).slice(0, 4)]))];
  expect(years.length).toBeGreaterThanOrEqual(2);
  // Each year after the first is named on its January tick (or the first tick of the span).
  for (const year of years.slice(1)) expect(chart.ticks).toContain(`ene ${year}`);
  expect(chart.ticks[0]).toMatch(new RegExp(`^[a-z]{3} ${years[0]}$`));

  const bar = (n: number) => chart.bars[String(n)]!;
  // Today's line falls in activity 4's bar where today falls between its start and due (within 2 units of rounding).
  const [from, to] = dates[3];
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const expected = bar(4).x + ((day(today) - day(bd(from))) / (day(bd(to)) - day(bd(from)))) * bar(4).w;
  expect(Math.abs(chart.today! - expected)).toBeLessThanOrEqual(2);
  expect(bar(3).x + bar(3).w).toBeLessThan(chart.today!);
  expect(bar(5).x).toBeGreaterThan(chart.today!);
  // Not squeezed: the bars start in date order, apart, across the chart; the last one ends near its right edge.
  const xs = [1, 2, 3, 4, 5].map((n) => bar(n).x);
  expect(xs).toEqual([...xs].sort((a, b) => a - b));
  xs.slice(1).forEach((x, i) => expect(x - xs[i]!).toBeGreaterThan(40));
  expect(bar(5).x + bar(5).w).toBeGreaterThan(chart.width - 60);
  expect(bar(5).w).toBeGreaterThan(40);

  expect(await violations(page)).toEqual([]);
});

it('dates read as es-CO writes them and each stays on one line, in the table and on the activity page', async () => {
  const page = await signedIn(PHONE);
  await page.goto(`${stack.origin}/planes/${plan.id}?orden=numero`);
  const due = plan.activities[3]!.due;
  const cell = page.locator('tr', { has: page.getByRole('link', { name: 'Actividad plurianual 4' }) }).locator('td[data-label="Vence"]');
  expect(await cell.innerText()).toContain(dateLabel(due));
  // No date span on the page breaks across lines (one box each), at 390 px.
  const broken = await page.evaluate<string[]>(
    `[...document.querySelectorAll('.fecha')].filter((e) => e.getClientRects().length !== 1 || e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).lineHeight || '20')).map((e) => e.textContent)`,
  );
  expect(broken).toEqual([]);
  expect(await page.locator('main').innerText()).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);

  await page.goto(`${stack.origin}/actividad?id=${plan.id}/4`);
  await page.getByRole('heading', { name: 'Actividad 4' }).waitFor();
  const text = await page.locator('main').innerText();
  expect(text).toContain(dateLabel(due));
  expect(text).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
  // The next notice is a sentence, without parentheses inside parentheses.
  const next = text.split('\n').find((l) => l.startsWith('El próximo aviso'));
  if (next) {
    expect(next).toMatch(/^El próximo aviso es el de [a-zé ]+, el \d{1,2} [a-z]{3} \d{4}, \d\d:\d\d\. Por qué ese día: /);
    expect(next).not.toMatch(/\([^)]*\(/);
  }
});

it('the due filter takes dd/mm/aaaa in Spanish whatever the browser, and says in Spanish when a box holds no date', async () => {
  // A browser in US English: a date input would show mm/dd/yyyy here.
  const context = await loopbackContext(browser, offLoopback, { ...DESKTOP, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${stack.origin}/entrar`);
  await page.getByLabel('Usuario').fill('planeacion');
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.goto(`${stack.origin}/planes/${plan.id}`);
  const desde = page.getByLabel('Vence desde');
  expect(await desde.getAttribute('type')).toBe('text');
  expect(await desde.getAttribute('placeholder')).toBe('dd/mm/aaaa');
  const from = plan.activities[3]!.due;
  await desde.fill(dateInputValue(from));
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await page.getByRole('heading', { name: 'Actividades (filtradas)' }).waitFor();
  expect(await page.getByLabel('Vence desde').inputValue()).toBe(dateInputValue(from));
  const listed = await page.locator('table.grid.cards').first().locator('tbody tr a').allInnerTexts();
  expect(listed.sort()).toEqual(['Actividad plurianual 4', 'Actividad plurianual 5']);
  await screenshot(page, 'filtro-fecha-dd-mm-aaaa');

  await page.getByLabel('Vence desde').fill('31/02/2026');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  const alert = page.getByRole('alert');
  expect(await alert.innerText()).toBe('«31/02/2026» no es una fecha válida en «Vence desde»: escríbala como dd/mm/aaaa, por ejemplo 30/11/2026.');
  expect(await page.getByLabel('Vence desde').getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'filtro-fecha-invalida');
  expect(await violations(page)).toEqual([]);
  await context.close();
});

it('on a 390 px phone the portfolio, the plan, an area and an activity fit the screen, each row a card, without WCAG 2.1 AA violations', async () => {
  const page = await signedIn(PHONE);
  const found: Record<string, { scrollWidth: number; innerWidth: number; rowsWider: number; violations: Violation[] }> = {};
  for (const [path, name] of [
    ['/', 'telefono-planes'],
    [`/planes/${plan.id}`, 'telefono-plan-plurianual'],
    ['/areas/ARCOM', 'telefono-area'],
    [`/actividad?id=${plan.id}/4`, 'telefono-actividad'],
  ] as const) {
    await page.goto(`${stack.origin}${path}`);
    await screenshot(page, name);
    const width = await pageWidth(page);
    // Chromium's phone emulation widens the layout viewport to fit what overflows: innerWidth 390 is part of the check.
    const rowsWider = await page.evaluate<number>(
      `[...document.querySelectorAll('table.cards tr')].filter((r) => r.getBoundingClientRect().right > 390).length`,
    );
    found[path] = { ...width, rowsWider, violations: await violations(page) };
  }
  expect(found).toEqual(
    Object.fromEntries(Object.keys(found).map((p) => [p, { scrollWidth: expect.any(Number), innerWidth: 390, rowsWider: 0, violations: [] }])),
  );
  for (const w of Object.values(found)) expect(w.scrollWidth).toBeLessThanOrEqual(390);
  await page.goto(`${stack.origin}/areas/ARCOM`);
  // The month in words, as in a sentence, not "2026-12".
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/^Área ARCOM: lo que debe en [a-z]+ de \d{4}$/);
  // On the phone each activity is a card: its cells stack, each after its column's name.
  await page.goto(`${stack.origin}/planes/${plan.id}`);
  // The timeline keeps a readable size and scrolls inside its own box, not the page.
  const box = await page.evaluate<{ scroll: number; client: number }>(
    `(() => { const r = document.querySelector('.chart-scroll'); return { scroll: r.scrollWidth, client: r.clientWidth }; })()`,
  );
  expect(box.scroll).toBeGreaterThan(box.client);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.locator('.chart-scroll').screenshot({ path: join(ARTIFACTS_DIR, 'telefono-cronograma.png') });
  const displays = await page.evaluate<string[]>(`[...document.querySelector('table.cards tbody tr').children].map((td) => getComputedStyle(td).display)`);
  expect(displays).toContain('block');
});
