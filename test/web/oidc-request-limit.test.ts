/**
 * The per-address request limit lets OAPLA's own people through (behind the entity's NAT an
 * address is everyone's), and only them: Control Interno and area leads signed in with the
 * entity's account are many, and are counted like anyone. A small limit, one address (loopback),
 * a real oidc-provider for the accounts.
 */
import type { Browser } from './stack';
import { startOidcStack, type OidcStack } from './oidc-stack';

const ACCOUNTS = {
  ana: { preferred_username: 'ana@entidad.gov.co', groups: ['plazos-oapla'] },
  carlos: { preferred_username: 'carlos@entidad.gov.co', groups: ['plazos-control-interno'] },
};
/** Two sign-ins (start and callback each) fit, then two pages: the next one is over. */
const MAX = 6;

let oidc: OidcStack;

beforeAll(async () => {
  oidc = await startOidcStack('web-oidc-limite', {
    accounts: ACCOUNTS,
    roles: 'claim: groups\nroles:\n  plazos-oapla: oapla\n  plazos-control-interno: control-interno\n',
    knownAreas: ['OAPLA'],
    stack: { limits: { requests: { max: MAX, windowMs: 60 * 60_000 } } },
  });
});

afterAll(async () => {
  await oidc?.stop();
});

async function signInAs(account: string): Promise<Browser> {
  const { browser, res } = await oidc.signInAs(account);
  expect(res.statusCode).toBe(303);
  return browser;
}

it('counts Control Interno against the address like anyone, while OAPLA keeps getting through', async () => {
  const oapla = await signInAs('ana');
  for (let i = 0; i < MAX + 4; i++) expect((await oapla.get('/')).statusCode).toBe(200);
  const control = await signInAs('carlos');
  const answers: number[] = [];
  for (let i = 0; i < 4; i++) answers.push((await control.get('/')).statusCode);
  expect(answers).toEqual([200, 200, 429, 429]);
  // The address is over its limit; OAPLA's pages still open.
  expect((await oapla.get('/')).statusCode).toBe(200);
});
