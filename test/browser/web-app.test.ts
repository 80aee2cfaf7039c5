/**
 * The web app in a real browser (chromium through playwright-core) over the real stack: the
 * production workflows on Temporal's dev server, real SMTP capture, the evidence URL server, and
 * e-mail links signed for the origin the app listens on. Leads open their links from the HTML of
 * the e-mail they received; OAPLA signs in with the password the stack configures.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startPlan } from '../../client/start-plan';
import { cutPlanRef, cutScheduleId, ensureCutSchedule, runCutNow } from '../../client/cut-schedule';
import { STATUS_LABELS } from '../../domain/labels';
import { dateLabel } from '../../web/labels';
import type { CapturedMail } from '../../simulation/mail-capture';
import { statusQuery, type PeriodStatusView } from '../../workflows/shared';
import { eventually, PASSWORD, startStack, webTestPlan, type Stack } from '../web/stack';
import { ARTIFACTS_DIR, launchChromium, loopbackContext, pageWidth, screenshot } from './browser';

jest.setTimeout(120_000);

const { calendar, today, due, plan } = webTestPlan(4);
/** The mailbox of each activity's lead area (config/areas.yaml): the kickoff with the link goes there. */
const LEAD: Record<number, string> = {
  1: 'vivienda@entidad.gov.co',
  2: 'servicio.afiliado@entidad.gov.co',
  3: 'comunicaciones@entidad.gov.co',
  4: 'consumidor.financiero@entidad.gov.co',
};
// Waits on a loaded 2-core machine: generous, and always on a condition, never a fixed sleep.
const WAIT_MS = 30_000;

let stack: Stack;
let browser: Browser;
let contexts: BrowserContext[] = [];
const offLoopback: string[] = [];

beforeAll(async () => {
  // The browser first: without chromium the file fails at once, before any server is started.
  browser = await launchChromium();
  stack = await startStack('plazos-browser-test', { linksToOrigin: true });
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
  const reached = offLoopback.splice(0);
  expect(reached).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.env.client.schedule
    .getHandle(cutScheduleId(plan.id))
    .delete()
    .catch(() => undefined);
  for (const a of plan.activities)
    await stack?.env.client.workflow
      .getHandle(`${plan.id}/${a.number}`)
      .signal('cancel', { reason: 'fin de la prueba' })
      .catch(() => undefined);
  await stack?.stop();
});

/** One person at one browser: a context of their own (cookies), kept off the network. */
async function personPage(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await loopbackContext(browser, offLoopback, options);
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  return page;
}

async function periodStatus(n: number): Promise<PeriodStatusView> {
  const s = await stack.env.client.workflow.getHandle(`${plan.id}/${n}`).query(statusQuery);
  if (s.kind !== 'period') throw new Error(`activity ${n} is not a one-off activity`);
  return s;
}

function statusBecomes(n: number, ok: (s: PeriodStatusView) => boolean, what: string): Promise<PeriodStatusView> {
  return eventually(() => periodStatus(n), ok, `activity ${n}: ${what}`, { timeoutMs: WAIT_MS });
}

function mailTo(address: string, subjectStart: string, what: (m: CapturedMail) => boolean = () => true): Promise<CapturedMail> {
  const find = () => Promise.resolve(stack.mail.messages.find((m) => m.to.includes(address) && m.subject.startsWith(subjectStart) && what(m)));
  return eventually(find, (m) => m !== undefined, `a mail "${subjectStart}…" to ${address}`, { timeoutMs: WAIT_MS }) as Promise<CapturedMail>;
}

/** Shows the kickoff e-mail's HTML part in the page, as a mail client would, and returns its button. */
async function showKickoffMail(page: Page, n: number) {
  const title = plan.activities.find((a) => a.number === n)!.title;
  const mail = await mailTo(LEAD[n]!, 'Inicia la actividad', (m) => m.subject.includes(title));
  await page.setContent(mail.html);
  return page.getByRole('link', { name: 'Registrar la evidencia' });
}

/** The lead clicks the button of the kickoff e-mail and lands on the activity's evidence page. */
async function openKickoffLink(page: Page, n: number): Promise<void> {
  const button = await showKickoffMail(page, n);
  expect(await button.getAttribute('href')).toMatch(new RegExp(`^${stack.origin}/evidencia/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
  await button.click();
  await page.getByRole('heading', { name: `Actividad ${n}` }).waitFor();
}

async function submitUrl(page: Page, url: string, note: string): Promise<string> {
  await page.getByLabel('Enlace a la evidencia').fill(url);
  await page.getByLabel('Nota (opcional)').fill(note);
  await page.getByRole('button', { name: 'Enviar evidencia' }).click();
  return page.getByRole('status').innerText();
}

async function signIn(page: Page, shot?: string): Promise<void> {
  await page.goto(`${stack.origin}/`);
  await page.getByRole('heading', { name: 'Ingreso' }).waitFor();
  if (shot) await screenshot(page, shot);
  await page.getByLabel('Usuario').fill('planeacion');
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: 'Planes en seguimiento' }).waitFor();
}

async function openOverview(page: Page): Promise<void> {
  await page.getByRole('link', { name: plan.id, exact: true }).click();
  await page.getByRole('heading', { name: `Plan ${plan.id}` }).waitFor();
}

/** The rows of the first table on the page whose header starts with `firstHeader`, as cell texts. */
async function tableRows(page: Page, firstHeader: string): Promise<string[][]> {
  const table = page.locator('table', { has: page.locator('th', { hasText: firstHeader }) }).first();
  const rows = await table.locator('tbody tr').all();
  return Promise.all(rows.map(async (r) => (await r.locator('td').allInnerTexts()).map((t) => t.trim())));
}

describe('an area lead hands in evidence from the link in the e-mail', () => {
  it('opens the kickoff link, sees the activity in Spanish, sends a URL with a note, gets a receipt page and e-mail, and the activity goes to review', async () => {
    const page = await personPage();
    await openKickoffLink(page, 1);
    expect(await page.getAttribute('html', 'lang')).toBe('es-CO');
    const shown = await page.locator('main').innerText();
    for (const text of [
      'Desarrollar ferias inmobiliarias',
      'Entregable esperado',
      'Informe de ferias.',
      dateLabel(due),
      'ARVIV',
      'Entregar evidencia',
      'correo de inicio a ARVIV',
    ]) {
      expect(shown).toContain(text);
    }
    await screenshot(page, 'evidencia');

    const url = stack.evidence.url('ferias-2023.pdf');
    const receipt = await submitUrl(page, url, 'Informe final de las ferias');
    expect(receipt).toMatch(/^Recibimos la evidencia de la actividad 1 \(Desarrollar ferias inmobiliarias\) el .+\. Número de recibo: E1\.$/);
    await screenshot(page, 'recibo');

    const s = await statusBecomes(1, (v) => v.status === 'in-review', 'in review');
    expect(s.evidence).toHaveLength(1);
    expect(s.evidence[0]).toMatchObject({ id: 'E1', submittedBy: 'ARVIV', note: 'Informe final de las ferias', evidence: { kind: 'url', url } });
    const mail = await mailTo(LEAD[1]!, 'Recibimos la evidencia de la actividad 1');
    expect(mail.text).toContain(url);
  });

  it('another lead attaches a PDF file; the store keeps it by its sha256 and the activity goes to review', async () => {
    const page = await personPage();
    await openKickoffLink(page, 2);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await page.getByLabel('o un archivo').setInputFiles({ name: 'divulgacion.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Enviar evidencia' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Recibimos la evidencia de la actividad 2');

    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const s = await statusBecomes(2, (v) => v.status === 'in-review', 'in review');
    expect(s.evidence[0]).toMatchObject({
      submittedBy: 'ASERA',
      evidence: { kind: 'file', sha256, size: pdf.length, mediaType: 'application/pdf', name: 'divulgacion.pdf' },
    });
    expect(await stack.store.verify(sha256)).toEqual({ found: true, matches: true, actualSha256: sha256, size: pdf.length });
  });

  it('a link with one character of its token changed shows a Spanish refusal with a 4xx status and no activity of any plan', async () => {
    const page = await personPage();
    const href = (await (await showKickoffMail(page, 3)).getAttribute('href'))!;
    // The first character of the signature carries six bits of its first byte, so changing it always breaks the MAC.
    const at = href.lastIndexOf('.') + 1;
    const tampered = href.slice(0, at) + (href[at] === 'A' ? 'B' : 'A') + href.slice(at + 1);
    const response = await page.goto(tampered);
    expect(response?.status()).toBe(403);
    const shown = await page.locator('body').innerText();
    expect(shown).toContain('Enlace no válido');
    expect(shown).toContain('Este enlace no es válido. Use el enlace completo del último correo que recibió');
    for (const a of plan.activities) expect(shown).not.toContain(a.title);
    expect(await page.getByRole('button').count()).toBe(0);
  });
});

describe('OAPLA reviews in the dashboard', () => {
  it('signs in, sees the traffic lights, rejects with a reason and a new date, the lead resubmits through the link, then approves and the activity closes', async () => {
    const lead = await personPage();
    await openKickoffLink(lead, 4);
    await submitUrl(lead, stack.evidence.url('atencion-v1.pdf'), 'Primera versión');
    await statusBecomes(4, (v) => v.status === 'in-review', 'in review');

    const oapla = await personPage();
    await signIn(oapla, 'ingreso');
    await openOverview(oapla);
    const lights = await Promise.all(
      plan.activities.map(async (a) => {
        const dot = oapla.locator('tr', { has: oapla.getByRole('link', { name: a.title }) }).locator('.dot');
        return { n: a.number, title: await dot.getAttribute('title'), light: (await dot.getAttribute('class'))?.replace('dot ', '') };
      }),
    );
    const states = await Promise.all(plan.activities.map((a) => periodStatus(a.number)));
    expect(lights.map((l) => l.title)).toEqual(states.map((s) => STATUS_LABELS.es[s.status]));
    expect(lights.find((l) => l.n === 4)).toEqual({ n: 4, title: 'en revisión', light: 'verde' });
    expect(lights.find((l) => l.n === 3)).toEqual({ n: 3, title: 'en curso', light: 'gris' });
    await screenshot(oapla, 'resumen-plan');

    await oapla.getByRole('link', { name: 'Atender al consumidor financiero' }).click();
    await oapla.getByRole('heading', { name: 'Actividad 4' }).waitFor();
    expect(await oapla.locator('main').innerText()).toContain('atencion-v1.pdf');
    await screenshot(oapla, 'actividad');

    const newDue = calendar.addBusinessDays(due, 5);
    const reject = oapla.locator('form', { has: oapla.getByRole('button', { name: 'Rechazar' }) });
    await reject.getByLabel('Motivo del rechazo').fill('Falta la firma del jefe del área');
    // Typed as people in Colombia write it; the page stores it as the ISO date.
    await reject.getByLabel('Nueva fecha de entrega').fill(newDue.split('-').reverse().join('/'));
    await reject.getByRole('button', { name: 'Rechazar' }).click();
    expect(await oapla.getByRole('alert').innerText()).toBe('Evidencia rechazada; el área tiene la nueva fecha de entrega.');
    expect((await statusBecomes(4, (v) => v.status === 'active', 'back to active')).due).toBe(newDue);
    const rejection = await mailTo(LEAD[4]!, 'Evidencia devuelta: la actividad 4');
    expect(rejection.text).toContain('Falta la firma del jefe del área');

    await openKickoffLink(lead, 4);
    const leadSees = await lead.locator('main').innerText();
    expect(leadSees).toContain(dateLabel(newDue));
    expect(leadSees).toContain('rechazada: Falta la firma del jefe del área');
    await submitUrl(lead, stack.evidence.url('atencion-firmado.pdf'), 'Con la firma');
    await statusBecomes(4, (v) => v.status === 'in-review', 'in review again');

    await oapla.getByRole('link', { name: `← Plan ${plan.id}` }).click();
    await oapla.getByRole('link', { name: 'Atender al consumidor financiero' }).click();
    await oapla.getByRole('button', { name: 'Aprobar' }).click();
    expect(await oapla.getByRole('alert').innerText()).toBe('Evidencia aprobada.');
    const result = await stack.env.client.workflow.getHandle(`${plan.id}/4`).result();
    expect(['on-time', 'late']).toContain(result.status);
    expect((await periodStatus(4)).status).toBe(result.status);
  });

  it('the CSV report downloads with one row per activity and the statuses and area counts the workflows report; the printable report opens and prints to PDF', async () => {
    const page = await personPage();
    await signIn(page);
    await openOverview(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Descargar CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`informe-${plan.id}.csv`);
    const csv = parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { columns: true, bom: true });
    const states = await Promise.all(plan.activities.map((a) => periodStatus(a.number)));

    expect(csv.map((r) => [r.actividad, r.areas, r.vence, r.estado])).toEqual(
      states.map((s) => [String(s.activity.number), s.activity.responsible.join(' '), s.due, STATUS_LABELS.es[s.status]]),
    );
    const perArea = (rows: { areas: string[]; estado: string }[]) => {
      const counts: Record<string, Record<string, number>> = {};
      for (const r of rows) for (const area of r.areas) (counts[area] ??= {})[r.estado] = (counts[area]?.[r.estado] ?? 0) + 1;
      return counts;
    };
    const fromWorkflows = perArea(states.map((s) => ({ areas: s.activity.responsible, estado: STATUS_LABELS.es[s.status] })));
    expect(perArea(csv.map((r) => ({ areas: r.areas!.split(' '), estado: r.estado! })))).toEqual(fromWorkflows);

    await page.getByRole('link', { name: 'Informe de avance' }).click();
    await page.getByRole('heading', { name: `Informe de avance · ${plan.id}` }).waitFor();
    const closedAs = (area: string, status: string) => states.filter((s) => s.activity.responsible.includes(area) && s.status === status).length;
    const open = (area: string) =>
      states.filter((s) => s.activity.responsible.includes(area) && !['on-time', 'late', 'missed', 'cancelled'].includes(s.status)).length;
    const expected = Object.keys(fromWorkflows)
      .sort()
      .map((area) => [area, closedAs(area, 'on-time'), closedAs(area, 'late'), closedAs(area, 'missed'), open(area)].map(String));
    expect(await tableRows(page, 'Área')).toEqual(expected);
    expect(await page.locator('main').innerText()).toContain(`Fecha de corte: ${dateLabel(today)}`);
    await screenshot(page, 'informe');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isHidden()).toBe(true);
    expect(await page.locator('table').first().isVisible()).toBe(true);
    // The PDF OAPLA presents is this page printed by the browser.
    const pdf = await page.pdf({ path: join(ARTIFACTS_DIR, 'informe.pdf'), format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length).toBeGreaterThanOrEqual(1);
  });
});

describe('progress and the follow-up cut', () => {
  it('a lead reports 45 % without a deliverable; OAPLA sees it on the plan and downloads the kept cut report as PDF', async () => {
    const lead = await personPage();
    await openKickoffLink(lead, 3);
    await lead.getByLabel('Avance de la actividad en %').fill('45');
    await lead.getByLabel('Nota (opcional)').fill('Revisión de la sede electrónica a mitad de camino');
    await lead.getByRole('button', { name: 'Enviar evidencia o avance' }).click();
    expect(await lead.getByRole('status').innerText()).toContain('Recibimos el avance de la actividad 3');
    const s = await statusBecomes(3, (v) => v.progress?.length === 1, 'progress recorded');
    expect(s.status).toBe('active');

    // Today is one of this plan's cuts: the cut's run keeps the report, as the Schedule does at 23:59.
    const cutPlan = { ...plan, year: Number(today.slice(0, 4)), followUpCuts: [today.slice(5)] };
    await ensureCutSchedule(stack.env.client, cutPlan, calendar, { taskQueue: stack.taskQueue });
    await eventually(
      async () => (await stack.env.client.workflow.count(`PlazosPlan = "${plan.id}" AND PlazosProgress = 45`)).count,
      (n) => n === 1,
      'progress indexed',
      { timeoutMs: WAIT_MS },
    );
    expect((await runCutNow(stack.env.client, cutPlanRef(cutPlan), today, { taskQueue: stack.taskQueue })).cut).toBe(today);

    const oapla = await personPage();
    await signIn(oapla);
    await openOverview(oapla);
    const row = oapla.locator('tr', { has: oapla.getByRole('link', { name: plan.activities[2]!.title }) });
    expect(await row.innerText()).toContain('45 %');
    await oapla.getByRole('link', { name: 'Informes de seguimiento a los cortes' }).click();
    await oapla.getByRole('heading', { name: /Informes de seguimiento/ }).waitFor();
    expect(await oapla.locator('main').innerText()).toContain('conservado (el enviado en el corte)');
    await screenshot(oapla, 'cortes');
    const [download] = await Promise.all([oapla.waitForEvent('download'), oapla.getByRole('link', { name: 'PDF' }).click()]);
    expect(download.suggestedFilename()).toBe(`seguimiento-${plan.id}-${today}.pdf`);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const mailed = await mailTo('control.interno@entidad.gov.co', 'Seguimiento al corte');
    expect(pdf.equals(mailed.attachments.find((a) => a.filename?.endsWith('.pdf'))!.content)).toBe(true);
  });
});

describe('on a phone', () => {
  it('the plan overview and the evidence page fit a 390x844 screen without scrolling sideways', async () => {
    // Chromium's phone emulation widens the layout viewport to fit content that overflows, so a
    // window wider than the screen is itself the sign of sideways scrolling.
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    const oapla = await personPage(phone);
    await signIn(oapla);
    await openOverview(oapla);
    await screenshot(oapla, 'telefono-resumen-plan');
    const oaplaWidth = await pageWidth(oapla);
    expect(oaplaWidth.innerWidth).toBe(390);
    expect(oaplaWidth.scrollWidth).toBeLessThanOrEqual(oaplaWidth.innerWidth);

    const lead = await personPage(phone);
    await openKickoffLink(lead, 1);
    await screenshot(lead, 'telefono-evidencia');
    const leadWidth = await pageWidth(lead);
    expect(leadWidth.innerWidth).toBe(390);
    expect(leadWidth.scrollWidth).toBeLessThanOrEqual(leadWidth.innerWidth);
  });
});
