/**
 * Signing in to the dashboard with the entity's account, against a real OpenID Connect provider
 * (oidc-provider on loopback, test/helpers/oidc-login-server.ts) whose accounts carry groups as
 * Entra ID's do. The roles come from config/roles.yaml's kind of mapping; what each person may see
 * and do is checked through the app's own pages, with a cookie jar, as a browser would.
 */
import { BASE_URL, Browser, csrfOf, signedIn, type Response, type Stack } from './stack';
import type { TestLoginServer } from '../helpers/oidc-login-server';
import { startOidcStack, type OidcStack } from './oidc-stack';

const ROLES_YAML = `claim: groups
roles:
  plazos-oapla: oapla
  plazos-control-interno: control-interno
  plazos-arcom: area:ARCOM
`;

const ACCOUNTS = {
  ana: { preferred_username: 'ana@entidad.gov.co', email: 'ana@entidad.gov.co', groups: ['todos', 'plazos-oapla'] },
  carlos: { preferred_username: 'carlos@entidad.gov.co', groups: ['plazos-control-interno'] },
  beatriz: { preferred_username: 'beatriz@entidad.gov.co', groups: ['plazos-arcom'] },
  diego: { preferred_username: 'diego@entidad.gov.co', groups: ['todos'] },
};

let oidc: OidcStack;
let login: TestLoginServer;
let stack: Stack;

beforeAll(async () => {
  oidc = await startOidcStack('web-oidc', { accounts: ACCOUNTS, roles: ROLES_YAML, knownAreas: ['OAPLA', 'ARCOM', 'ASERA'] });
  ({ login, stack } = oidc);
});

afterAll(async () => {
  await oidc?.stop();
});

afterEach(async () => {
  await login.tokens('normal');
});

const signInAs = (account: string, back = '/') => oidc.signInAs(account, back);

const sessionCookieSet = (res: Response) => /(^|\n)plazos_session=[^;]+/.test(res.headers['set-cookie'] ?? '');

describe('sign-in with the entity account', () => {
  test('the sign-in page offers "Entrar con la cuenta de la entidad" beside the users-file form', async () => {
    const page = await new Browser(stack.origin).get('/entrar?volver=%2Fplanes%2Fx');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Entrar con la cuenta de la entidad');
    expect(page.body).toContain('href="/entrar/oidc?volver=%2Fplanes%2Fx"');
    expect(page.body).toContain('name="clave"');
  });

  test('an OAPLA-mapped person goes to the provider with PKCE, state and nonce, and comes back to the portfolio signed in', async () => {
    const { browser, start, res } = await signInAs('ana');
    const authorize = new URL(start.headers.location!);
    expect(authorize.origin).toBe(login.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${BASE_URL}/entrar/oidc/callback`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(sessionCookieSet(res)).toBe(true);
    const portfolio = await browser.get('/');
    expect(portfolio.statusCode).toBe(200);
    expect(portfolio.body).toContain('Planes en seguimiento');
    expect(portfolio.body).toContain('Salir (ana@entidad.gov.co)');
  });

  test('OAPLA acts on the dashboard; Control Interno reads the same pages but every change is refused with 403', async () => {
    const oapla = (await signInAs('ana')).browser;
    const control = (await signInAs('carlos')).browser;
    const read = await control.get('/');
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('Planes en seguimiento');
    const byControl = await control.post('/actividad/accion', { _csrf: csrfOf(read.body), id: 'no-existe', accion: 'approve' });
    expect(byControl.statusCode).toBe(403);
    expect(byControl.body).toContain('Solo consulta');
    expect(byControl.body).toContain('no hacer cambios');
    // The same form from OAPLA reaches the action (and is answered about the activity).
    const byOapla = await oapla.post('/actividad/accion', { _csrf: csrfOf((await oapla.get('/')).body), id: 'no-existe', accion: 'approve' });
    expect(byOapla.statusCode).toBe(404);
    expect(byOapla.body).toContain('Actividad no encontrada');
  });

  test("an area's lead lands on their own page, is refused the OAPLA pages with a page that says why, and can still sign out", async () => {
    const { browser, res } = await signInAs('beatriz');
    expect(res.statusCode).toBe(303);
    const home = await browser.get('/');
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/entregables');
    const own = await browser.get('/entregables');
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Entregables de ARCOM');
    const oapla = await browser.get('/areas/ARCOM');
    expect(oapla.statusCode).toBe(403);
    expect(oapla.body).toContain('Página de la Oficina Asesora de Planeación');
    expect(oapla.body).toContain('Mis entregables');
    expect(oapla.body).toContain('action="/salir"');
  });

  test('a person with no mapped role sees "Su cuenta no tiene un rol en plazos" and gets no session', async () => {
    const { browser, res } = await signInAs('diego');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Su cuenta no tiene un rol en plazos');
    expect(sessionCookieSet(res)).toBe(false);
    const home = await browser.get('/');
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toMatch(/^\/entrar/);
  });
});

describe('answers from the provider that are not to be believed', () => {
  test.each([
    ['signed by another key under the provider key id', 'forge'],
    ['with a claim changed after signing (a role added)', 'tamper'],
    ['expired an hour ago', 'expire'],
  ] as const)('an id token %s is refused with a Spanish page and no session', async (_what, mode) => {
    await login.tokens(mode);
    const { browser, res } = await signInAs(mode === 'tamper' ? 'diego' : 'ana');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('No se pudo confirmar su identidad');
    expect(sessionCookieSet(res)).toBe(false);
    expect((await browser.get('/')).statusCode).toBe(303);
  });

  test("a return carrying another sign-in's state is refused, and so is a return no sign-in here started", async () => {
    const victim = new Browser(stack.origin);
    const started = await victim.get('/entrar/oidc');
    const theirs = await login.signIn(started.headers.location!, 'ana');
    // Another browser, with a sign-in of its own under way, is handed the first one's return.
    const attacker = new Browser(stack.origin);
    await attacker.get('/entrar/oidc');
    const mixed = await attacker.get(theirs.pathname + theirs.search);
    expect(mixed.statusCode).toBe(400);
    expect(mixed.body).toContain('No se pudo confirmar su identidad');
    expect(sessionCookieSet(mixed)).toBe(false);
    const cold = await new Browser(stack.origin).get(theirs.pathname + theirs.search);
    expect(cold.statusCode).toBe(400);
    expect(cold.body).toContain('El ingreso venció');
    expect(sessionCookieSet(cold)).toBe(false);
  });
});

describe('signing out', () => {
  test("ends the session in the store and sends the browser to the provider's sign-out with the id token hint", async () => {
    const { browser } = await signInAs('ana');
    const home = await browser.get('/');
    expect(home.headers['content-security-policy']).toContain(`form-action 'self' ${login.issuer}`);
    const copy = browser.copy();
    const out = await browser.post('/salir', { _csrf: csrfOf(home.body) });
    expect(out.statusCode).toBe(303);
    const end = new URL(out.headers.location!);
    expect(end.origin).toBe(login.issuer);
    expect(end.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE_URL}/entrar`);
    // The session is gone from the store, not only from this browser's cookie jar.
    expect((await copy.get('/')).statusCode).toBe(303);
    // The provider takes the hint (it answers with its sign-out page, not an error).
    const atProvider = await login.open(end.href);
    expect(atProvider.status).toBe(200);
    expect(atProvider.body).not.toMatch(/invalid_request|id_token_hint/);
  });

  test('the users file still signs OAPLA in (the break-glass account), and its sign-out stays in plazos', async () => {
    const browser = await signedIn(stack.origin);
    const home = await browser.get('/');
    expect(home.statusCode).toBe(200);
    const out = await browser.post('/salir', { _csrf: csrfOf(home.body) });
    expect(out.headers.location).toBe('/entrar');
  });
});
