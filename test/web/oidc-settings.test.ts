/**
 * The sign-in settings as the web app reads them at start (web/main.ts, oidcFromEnv): a mistake
 * stops the start with one Spanish line naming the setting, and never shows the client secret.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../../config/schema';
import { oidcFromEnv } from '../../web/main';
import { startLoginServer, type TestLoginServer } from '../helpers/oidc-login-server';

const SECRET = 'secreto-que-no-se-muestra';
let dir: string;
let login: TestLoginServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plazos-oidc-'));
  login = await startLoginServer({ redirectUri: 'http://plazos.test/entrar/oidc/callback', postLogoutRedirectUri: 'http://plazos.test/entrar', accounts: {} });
});

afterAll(async () => {
  await login?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function env(vars: Record<string, string>) {
  return parseEnv({ PLAZOS_DATA_DIR: dir, PLAZOS_WEB_URL: 'http://plazos.test', ...vars });
}

async function refusal(vars: Record<string, string>): Promise<string> {
  const err = await oidcFromEnv(env(vars)).then(
    () => null,
    (e: unknown) => e as Error,
  );
  if (!err) throw new Error('the settings were accepted');
  expect(err.message).not.toContain(SECRET);
  return err.message;
}

test('unset, there is no sign-in with the entity account and nothing else is read', async () => {
  await expect(oidcFromEnv(env({ PLAZOS_OIDC_CLIENT_SECRET_FILE: join(dir, 'no-existe') }))).resolves.toBeUndefined();
});

test("the repository's roles file and a loopback provider: discovered, with the sign-out page's origin", async () => {
  const secretFile = join(dir, 'secret');
  writeFileSync(secretFile, `${SECRET}\n`);
  const oidc = await oidcFromEnv(env({ PLAZOS_OIDC_ISSUER: login.issuer, PLAZOS_OIDC_CLIENT_ID: login.clientId, PLAZOS_OIDC_CLIENT_SECRET_FILE: secretFile }));
  expect(oidc?.roles().claim).toBe('groups');
  expect(oidc?.endSessionOrigin).toBe(login.issuer);
  const { url } = await oidc!.begin('/', Date.now());
  expect(new URL(url).searchParams.get('redirect_uri')).toBe('http://plazos.test/entrar/oidc/callback');
});

test('an issuer over plain http away from this machine, a missing client id or secret file, and an unknown issuer are refused by name', async () => {
  const secretFile = join(dir, 'secret');
  writeFileSync(secretFile, SECRET);
  const base = { PLAZOS_OIDC_CLIENT_ID: 'plazos', PLAZOS_OIDC_CLIENT_SECRET_FILE: secretFile };
  expect(await refusal({ ...base, PLAZOS_OIDC_ISSUER: 'http://login.entidad.gov.co' })).toMatch(/^PLAZOS_OIDC_ISSUER debe ser una dirección https:\/\//);
  expect(await refusal({ PLAZOS_OIDC_ISSUER: login.issuer, PLAZOS_OIDC_CLIENT_SECRET_FILE: secretFile })).toMatch(/PLAZOS_OIDC_CLIENT_ID/);
  expect(await refusal({ ...base, PLAZOS_OIDC_ISSUER: login.issuer, PLAZOS_OIDC_CLIENT_SECRET_FILE: join(dir, 'no-existe') })).toMatch(
    /^No se pudo leer PLAZOS_OIDC_CLIENT_SECRET_FILE .*ENOENT/,
  );
  expect(await refusal({ ...base, PLAZOS_OIDC_ISSUER: `${login.issuer}/otro` })).toMatch(
    /^No se pudo leer la configuración del proveedor de identidad PLAZOS_OIDC_ISSUER=/,
  );
});

test('a roles file with a mistake stops the start naming its line', async () => {
  const secretFile = join(dir, 'secret');
  writeFileSync(secretFile, SECRET);
  const roles = join(dir, 'roles.yaml');
  writeFileSync(roles, 'claim: groups\nroles:\n  a: oapla\n  b: area:NOEXISTE\n');
  expect(
    await refusal({
      PLAZOS_OIDC_ISSUER: login.issuer,
      PLAZOS_OIDC_CLIENT_ID: login.clientId,
      PLAZOS_OIDC_CLIENT_SECRET_FILE: secretFile,
      PLAZOS_OIDC_ROLES: roles,
    }),
  ).toBe(`${roles}, línea 4, roles.b: el área NOEXISTE no está en el directorio de áreas.`);
});
