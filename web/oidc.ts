/**
 * Sign-in with the entity's account (OpenID Connect, authorization code with PKCE, state and
 * nonce) through openid-client. The provider is discovered once at start; its id token is checked
 * by openid-client (issuer, audience, expiry, nonce) and, because a token endpoint answer is only as
 * good as the connection it came on, its signature against the provider's keys as well
 * (enableNonRepudiationChecks).
 *
 * Plain http is accepted only for an issuer on this machine (the tests' provider): anywhere else
 * the connection to the provider is what keeps the tokens honest.
 */
import * as client from 'openid-client';
import type { RoleMap } from './roles';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Read from PLAZOS_OIDC_CLIENT_SECRET_FILE; never logged. */
  clientSecret: string;
  /** `<PLAZOS_WEB_URL>/entrar/oidc/callback`, as registered with the provider. */
  redirectUri: string;
  /** Where the provider sends the browser back after signing out: the sign-in page. */
  postLogoutRedirectUri: string;
  /** The mapping as it is now: a function reads the roles file again when it changed (roles.ts). */
  roles: RoleMap | (() => RoleMap);
}

/** What the browser keeps (in a signed cookie) between leaving for the provider and coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** The page to go to afterwards (already checked by safeReturn). */
  back: string;
  startedAt: number;
}

export interface SignedInAccount {
  /** The id token's claims, checked. */
  claims: Record<string, unknown>;
  idToken: string;
}

/** Why a return from the provider was refused, for the page the person sees. */
export type OidcRefusalKind = 'cancelled' | 'unconfirmed' | 'unavailable';

export class OidcRefusal extends Error {
  constructor(
    readonly kind: OidcRefusalKind,
    /** openid-client's or the provider's code, for the log; never a token. */
    readonly detail: string,
  ) {
    super(`oidc sign-in refused: ${kind} (${detail})`);
    this.name = 'OidcRefusal';
  }
}

export interface OidcSignIn {
  /** The roles file's mapping as it is at this sign-in. */
  roles(): RoleMap;
  /** The origin of the provider's sign-out page, where the sign-out form ends (the CSP's form-action). */
  readonly endSessionOrigin: string | null;
  /** The provider's address to send the browser to, and what to keep until it comes back. */
  begin(back: string, nowMs: number): Promise<{ url: string; pending: PendingSignIn }>;
  /** Checks the provider's answer (the callback's full URL) against what was kept; throws OidcRefusal. */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<SignedInAccount>;
  /** The provider's sign-out address for this session, when it has one (end_session_endpoint). */
  endSessionUrl(idToken: string): string | null;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname);
}

/** Discovers the provider; throws a one-line Spanish error naming PLAZOS_OIDC_ISSUER when it cannot. */
export async function discoverOidc(settings: OidcSettings): Promise<OidcSignIn> {
  const issuer = new URL(settings.issuer);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer)))
    throw new Error(`PLAZOS_OIDC_ISSUER debe ser una dirección https:// (http:// solo en esta misma máquina): ${issuer.origin}`);
  let config: client.Configuration;
  try {
    config = await client.discovery(
      issuer,
      settings.clientId,
      { client_secret: settings.clientSecret, redirect_uris: [settings.redirectUri], response_types: ['code'] },
      client.ClientSecretBasic(settings.clientSecret),
      { execute: [...(issuer.protocol === 'http:' ? [client.allowInsecureRequests] : []), client.enableNonRepudiationChecks], timeout: 10 },
    );
  } catch (err) {
    throw new Error(`No se pudo leer la configuración del proveedor de identidad PLAZOS_OIDC_ISSUER=${issuer.href}: ${describe(err)}`, { cause: err });
  }
  const metadata = config.serverMetadata();
  return {
    roles: typeof settings.roles === 'function' ? settings.roles : () => settings.roles as RoleMap,
    endSessionOrigin: metadata.end_session_endpoint ? new URL(metadata.end_session_endpoint).origin : null,
    async begin(back, nowMs) {
      const pending: PendingSignIn = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        back,
        startedAt: nowMs,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: 'openid profile email',
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, pending };
    },
    async finish(callbackUrl, pending) {
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        if (err instanceof client.AuthorizationResponseError)
          throw new OidcRefusal(err.error === 'access_denied' ? 'cancelled' : 'unconfirmed', `provider: ${err.error}`);
        const code = (err as { code?: string }).code ?? '';
        if (code === 'OAUTH_TIMEOUT' || err instanceof TypeError) throw new OidcRefusal('unavailable', describe(err));
        throw new OidcRefusal('unconfirmed', describe(err));
      }
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new OidcRefusal('unconfirmed', 'no id token');
      return { claims: { ...claims }, idToken: tokens.id_token };
    },
    endSessionUrl(idToken) {
      if (!metadata.end_session_endpoint) return null;
      return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: settings.postLogoutRedirectUri }).href;
    },
  };
}

/** An error in one line, by its code: openid-client's messages never hold a token, but a code is all the log needs. */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; error?: string };
  return [e.code, e.error, e.message].filter(Boolean).join(': ') || String(err);
}

/** The name shown and recorded for the person: the provider's user name, else the address, else the subject. */
export function accountName(claims: Record<string, unknown>): string {
  const name = [claims.preferred_username, claims.email, claims.sub].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return (name ?? 'desconocido').trim().slice(0, 200);
}
