/**
 * Signing in with the entity's account in Debian's chromium: the button on the sign-in page, the
 * round trip through a real OpenID Connect provider on loopback (test/helpers/oidc-login-server.ts;
 * the account is named by a header instead of a login form), and signing out, which a browser lets
 * end at the provider only if the page's CSP form-action allows it. The pages a person can land on
 * have no WCAG 2.1 AA violation (axe-core, as in accessibility.test.ts). An area's lead lands on
 * their own page and hands in evidence from it.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startPlan } from '../../client/start-plan';
import { statusQuery } from '../../workflows/shared';
import { eventually } from '../helpers/eventually';
import { startStack, webTestPlan, type Stack } from '../web/stack';
import { startLoginServer, type TestLoginServer } from '../helpers/oidc-login-server';
import { discoverOidc } from '../../web/oidc';
import { parseRoles } from '../../web/roles';
import { launchChromium, loopbackContext, pageWidth, screenshot } from './browser';

jest.setTimeout(120_000);

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const ROLES = parseRoles('claim: groups\nroles:\n  plazos-oapla: oapla\n  plazos-arcom: area:ARCOM\n', 'roles.yaml', new Set(['ARCOM']));

// 1 ARVIV, 2 ASERA and ARCOM, 3 ARCOM.
const { calendar, plan } = webTestPlan(3);

let login: TestLoginServer;
let stack: Stack;
let browser: Browser;
const offLoopback: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  login = await startLoginServer({
    redirectUri: 'http://127.0.0.1/entrar/oidc/callback',
    postLogoutRedirectUri: 'http://127.0.0.1/entrar',
    anyLoopbackPort: true,
    accounts: {
      ana: { preferred_username: 'ana@entidad.gov.co', groups: ['plazos-oapla'] },
      beatriz: { preferred_username: 'beatriz@entidad.gov.co', groups: ['plazos-arcom'] },
      diego: { preferred_username: 'diego@entidad.gov.co', groups: ['otro'] },
    },
  });
  stack = await startStack('plazos-oidc-navegador', {
    linksToOrigin: true,
    oidc: (baseUrl) =>
      discoverOidc({
        issuer: login.issuer,
        clientId: login.clientId,
        clientSecret: login.clientSecret,
        redirectUri: `${baseUrl}/entrar/oidc/callback`,
        postLogoutRedirectUri: `${baseUrl}/entrar`,
        roles: ROLES,
      }),
  });
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await eventually(
    async () => {
      const listed: string[] = [];
      for await (const wf of stack.env.client.workflow.list({ query: 'PlazosStatus IS NOT NULL' })) listed.push(wf.workflowId);
      return listed;
    },
    (listed) => listed.length >= 3,
    'the 3 activities listed with a status',
    { timeoutMs: 30_000 },
  );
});

afterAll(async () => {
  for (const n of [1, 2, 3])
    await stack?.env.client.workflow
      .getHandle(`${plan.id}/${n}`)
      .signal('cancel', { reason: 'fin de la prueba' })
      .catch(() => undefined);
  await browser?.close();
  await stack?.stop();
  await login?.stop();
});

afterEach(() => expect(offLoopback.splice(0)).toEqual([]));

async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA)} } }).then((r) => r.violations.map((v) => v.id))`);
}

/** A person at the sign-in page who will be `account` at the provider. */
async function personAs(account: string): Promise<Page> {
  const context = await loopbackContext(browser, offLoopback, { extraHTTPHeaders: { 'x-test-account': account } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${stack.origin}/entrar`);
  return page;
}

it('OAPLA signs in with the button, reaches the portfolio, and signing out ends at the provider', async () => {
  const page = await personAs('ana');
  expect(await violations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Entrar con la cuenta de la entidad' }).click();
  await page.getByRole('heading', { name: 'Planes en seguimiento' }).waitFor();
  expect(new URL(page.url()).origin).toBe(stack.origin);
  await screenshot(page, 'oidc-portafolio');
  await page.getByRole('button', { name: 'Salir (ana@entidad.gov.co)' }).click();
  await page.waitForURL((url) => url.origin === login.issuer);
  expect(new URL(page.url()).pathname).toBe('/session/end');
  // The session is over in plazos, whatever the person does at the provider.
  await page.goto(`${stack.origin}/`);
  expect(new URL(page.url()).pathname).toBe('/entrar');
});

it("an area's lead signs in to their own page and hands in evidence from it, on pages without WCAG 2.1 AA violations", async () => {
  const lead = await personAs('beatriz');
  await lead.getByRole('link', { name: 'Entrar con la cuenta de la entidad' }).click();
  await lead.getByRole('heading', { name: 'Entregables de ARCOM' }).waitFor();
  expect(await violations(lead)).toEqual([]);
  // Their area's two activities, and not ARVIV's.
  expect(await lead.getByRole('link', { name: /^3 · Seguimiento al sitio web/ }).count()).toBe(1);
  expect(await lead.getByRole('link', { name: /Desarrollar ferias/ }).count()).toBe(0);
  await screenshot(lead, 'oidc-entregables-area');
  // On a phone the list is one card per activity, with nothing running off the screen.
  await lead.setViewportSize({ width: 390, height: 844 });
  const phone = await pageWidth(lead);
  expect(phone.scrollWidth).toBeLessThanOrEqual(390);
  await screenshot(lead, 'telefono-entregables-area');
  await lead.setViewportSize({ width: 1280, height: 720 });
  await lead.getByRole('link', { name: /^3 · Seguimiento al sitio web/ }).click();
  await lead.getByRole('heading', { name: 'Actividad 3' }).waitFor();
  expect(await violations(lead)).toEqual([]);
  await lead.getByLabel('Enlace a la evidencia').fill(stack.evidence.url('sitio-web.pdf'));
  await lead.getByLabel('Nota (opcional)').fill('Informe de diciembre');
  await lead.getByRole('button', { name: 'Enviar evidencia o avance' }).click();
  await lead.getByRole('heading', { name: 'Evidencia recibida' }).waitFor();
  expect(await violations(lead)).toEqual([]);
  await screenshot(lead, 'oidc-evidencia-recibida');
  const view = await stack.env.client.workflow.getHandle(`${plan.id}/3`).query(statusQuery);
  expect(view.kind === 'period' && view.evidence.map((e) => [e.submittedBy, e.note])).toEqual([['ARCOM', 'Informe de diciembre']]);
  // The OAPLA pages say whose they are, and point back to the lead's own.
  await lead.goto(`${stack.origin}/planes/${plan.id}`);
  await lead.getByRole('heading', { name: 'Página de la Oficina Asesora de Planeación' }).waitFor();
  expect(await violations(lead)).toEqual([]);
});

it('a person without a role sees a Spanish page without WCAG 2.1 AA violations', async () => {
  const nobody = await personAs('diego');
  await nobody.getByRole('link', { name: 'Entrar con la cuenta de la entidad' }).click();
  await nobody.getByRole('heading', { name: 'Su cuenta no tiene un rol en plazos' }).waitFor();
  expect(await violations(nobody)).toEqual([]);
  await screenshot(nobody, 'oidc-sin-rol');
});
