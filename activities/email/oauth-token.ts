/**
 * Access tokens for logging in to SMTP and IMAP with XOAUTH2, as an application with no user
 * present: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) against a token endpoint.
 * Microsoft 365 refuses passwords over IMAP and is turning them off for SMTP AUTH; it takes an
 * app-only token from https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token with scope
 * https://outlook.office365.com/.default. Google and any other server are the same flow.
 *
 * One source serves every connection of a process: the token is kept and fetched again once 80%
 * of its lifetime has passed, so a connection opened near the end never logs in with a token that
 * dies during the handshake, and concurrent logins share one request to the endpoint.
 * The client secret lives only in this closure; it is never logged nor put in an error.
 */
import * as oauth from 'oauth4webapi';
import type { Logger } from 'pino';

export interface OAuthClientSettings {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes; Microsoft 365 wants `https://outlook.office365.com/.default`. */
  scope?: string;
}

export interface AccessToken {
  value: string;
  /** When the server says it stops working (ms since the epoch). */
  expiresAt: number;
  /** When this source fetches a new one instead of handing this one out. */
  refreshAt: number;
}

export interface TokenSource {
  /** A token still good for a while; `renew` forgets the kept one (a server refused it). */
  get(opts?: { renew?: boolean }): Promise<AccessToken>;
}

export interface TokenSourceOptions {
  logger?: Logger;
  now?: () => number;
  /** Tests count the requests with it. */
  fetch?: typeof fetch;
  /** How long one token request may take (default 15 s). */
  timeoutMs?: number;
}

/** Why no token was obtained, in Spanish, naming the setting to look at; never the secret. */
export class OAuthTokenError extends Error {
  constructor(
    message: string,
    /** The OAuth error code (`invalid_client`, `invalid_scope`) or a network error code. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'OAuthTokenError';
  }
}

/** Fraction of a token's lifetime after which a new one is fetched. */
const REFRESH_AT = 0.8;
/** Used when the server leaves expires_in out (RFC 6749 makes it only recommended). */
const DEFAULT_LIFETIME_S = 300;

/** Plain http is accepted only on loopback, where the tests' authorization server listens. */
function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export function clientCredentialsTokenSource(settings: OAuthClientSettings, opts: TokenSourceOptions = {}): TokenSource {
  const now = opts.now ?? Date.now;
  const url = new URL(settings.tokenUrl);
  // Only the token endpoint is used, so no discovery document is needed: Microsoft's tenant
  // endpoint and a bare RFC 6749 server are configured the same way.
  const as: oauth.AuthorizationServer = { issuer: url.origin, token_endpoint: url.href };
  const client: oauth.Client = { client_id: settings.clientId };
  // Microsoft documents the secret in the form body (client_secret_post); Google and
  // oidc-provider accept it there too.
  const auth = oauth.ClientSecretPost(settings.clientSecret);
  const params = new URLSearchParams();
  if (settings.scope) params.set('scope', settings.scope);
  const requestOptions: oauth.ClientCredentialsGrantRequestOptions = {
    [oauth.allowInsecureRequests]: url.protocol === 'http:' && isLoopback(url),
    ...(opts.fetch ? { [oauth.customFetch]: opts.fetch } : {}),
  };

  let kept: AccessToken | null = null;
  let inFlight: Promise<AccessToken> | null = null;

  async function request(): Promise<AccessToken> {
    const started = now();
    let result: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.clientCredentialsGrantRequest(as, client, auth, params, {
        ...requestOptions,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
      result = await oauth.processClientCredentialsResponse(as, client, response);
    } catch (err) {
      throw describe(err, settings.tokenUrl);
    }
    const lifetimeMs = (result.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    const token = { value: result.access_token, expiresAt: started + lifetimeMs, refreshAt: started + lifetimeMs * REFRESH_AT };
    opts.logger?.debug({ tokenUrl: settings.tokenUrl, expiresInS: result.expires_in }, 'oauth: access token obtained');
    return token;
  }

  return {
    get({ renew = false } = {}) {
      if (renew) kept = null;
      if (kept && now() < kept.refreshAt) return Promise.resolve(kept);
      inFlight ??= request()
        .then((token) => (kept = token))
        .finally(() => (inFlight = null));
      return inFlight;
    },
  };
}

function describe(err: unknown, tokenUrl: string): OAuthTokenError {
  // A 401 may come as a WWW-Authenticate challenge instead of a JSON body; it means the same.
  if (err instanceof oauth.WWWAuthenticateChallengeError && err.status === 401)
    return new OAuthTokenError(
      `El servidor de autorización rechazó la aplicación (401): revise PLAZOS_MAIL_OAUTH_CLIENT_ID y el secreto en PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE.`,
      'invalid_client',
    );
  if (err instanceof oauth.ResponseBodyError) {
    if (err.error === 'invalid_client' || err.error === 'unauthorized_client')
      return new OAuthTokenError(
        `El servidor de autorización rechazó la aplicación (${err.error}): revise PLAZOS_MAIL_OAUTH_CLIENT_ID y el secreto en PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE.`,
        err.error,
      );
    if (err.error === 'invalid_scope')
      return new OAuthTokenError(`El servidor de autorización no concede el alcance pedido: revise PLAZOS_MAIL_OAUTH_SCOPE.`, err.error);
    return new OAuthTokenError(`El servidor de autorización respondió ${err.status} (${err.error}) en ${tokenUrl}.`, err.error);
  }
  const code = errorCode(err);
  return new OAuthTokenError(`No se obtuvo un token de acceso de PLAZOS_MAIL_OAUTH_TOKEN_URL (${tokenUrl}): ${code}.`, code);
}

/** fetch wraps the socket's error (ECONNREFUSED, ETIMEDOUT) in a TypeError's cause, sometimes an AggregateError. */
function errorCode(err: unknown): string {
  for (let e = err as { code?: unknown; cause?: unknown; errors?: unknown[]; name?: string } | undefined; e; e = (e.cause ?? e.errors?.[0]) as typeof e) {
    if (typeof e.code === 'string') return e.code;
    if (e.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return (err as Error).name ?? 'error';
}
