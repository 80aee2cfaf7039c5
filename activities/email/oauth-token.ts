/**
 * Access tokens for logging in to SMTP and IMAP with XOAUTH2, as an application with no user
 * present: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) against a token endpoint.
 * Microsoft 365 refuses passwords over IMAP and is turning them off for SMTP AUTH; it takes an
 * app-only token from https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token with scope
 * https://outlook.office365.com/.default, the app proving itself with a secret or a certificate
 * (client-certificate.ts). A Google service account gets its tokens by another grant
 * (google-service-account.ts), kept the same way by `cachedTokenSource`.
 *
 * One source serves every connection that logs in as its mailbox: the token is kept and fetched again once 80%
 * of its lifetime has passed, so a connection opened near the end never logs in with a token that
 * dies during the handshake, and concurrent logins share one request to the endpoint.
 * The client secret lives only in this closure; it is never logged nor put in an error.
 */
import * as oauth from 'oauth4webapi';
import type { Logger } from 'pino';
import { certificateAuth, utcDate, type ClientCertificate } from './client-certificate';

export interface OAuthClientSettings {
  tokenUrl: string;
  clientId: string;
  /** The app's secret (client_secret_post); or `certificate`, never both. */
  clientSecret?: string;
  /** The app's certificate and key (private_key_jwt, RFC 7523 §2.2), as Entra ID takes instead of a secret. */
  certificate?: ClientCertificate;
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
    /** The provider's own code for the refusal when it sends one (Entra ID's `AADSTS7000215`). */
    readonly vendorCode?: string,
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

/** Which credential the app presents, so an error names the setting to look at. */
export type Credential = { kind: 'secret' } | { kind: 'certificate'; file: string; notAfter: Date } | { kind: 'google-key'; file: string; clientId: string };

export interface TokenRequest {
  tokenUrl: string;
  credential: Credential;
  /** Sends one request to the token endpoint; the options carry the timeout and the test's fetch. */
  send(options: oauth.TokenEndpointRequestOptions): Promise<oauth.TokenEndpointResponse>;
}

function requestOptions(tokenUrl: string, opts: TokenSourceOptions): oauth.TokenEndpointRequestOptions {
  const url = new URL(tokenUrl);
  return {
    [oauth.allowInsecureRequests]: url.protocol === 'http:' && isLoopback(url),
    ...(opts.fetch ? { [oauth.customFetch]: opts.fetch } : {}),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  };
}

/**
 * Keeps the token `request` fetches and fetches it again at 80% of its lifetime; concurrent
 * callers share one request. Every grant (client credentials, JWT bearer) goes through here.
 */
export function cachedTokenSource(request: TokenRequest, opts: TokenSourceOptions = {}): TokenSource {
  const now = opts.now ?? Date.now;
  let kept: AccessToken | null = null;
  let inFlight: Promise<AccessToken> | null = null;

  async function fetchToken(): Promise<AccessToken> {
    const started = now();
    let result: oauth.TokenEndpointResponse;
    try {
      result = await request.send(requestOptions(request.tokenUrl, opts));
    } catch (err) {
      throw describe(err, request.tokenUrl, request.credential);
    }
    const lifetimeMs = (result.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    const token = { value: result.access_token, expiresAt: started + lifetimeMs, refreshAt: started + lifetimeMs * REFRESH_AT };
    opts.logger?.debug({ tokenUrl: request.tokenUrl, expiresInS: result.expires_in }, 'oauth: access token obtained');
    return token;
  }

  return {
    get({ renew = false } = {}) {
      if (renew) kept = null;
      if (kept && now() < kept.refreshAt) return Promise.resolve(kept);
      inFlight ??= fetchToken()
        .then((token) => (kept = token))
        .finally(() => (inFlight = null));
      return inFlight;
    },
  };
}

export function clientCredentialsTokenSource(settings: OAuthClientSettings, opts: TokenSourceOptions = {}): TokenSource {
  const url = new URL(settings.tokenUrl);
  // Only the token endpoint is used, so no discovery document is needed: Microsoft's tenant
  // endpoint and a bare RFC 6749 server are configured the same way.
  const as: oauth.AuthorizationServer = { issuer: url.origin, token_endpoint: url.href };
  const client: oauth.Client = { client_id: settings.clientId };
  // Microsoft documents the secret in the form body (client_secret_post); Google and
  // oidc-provider accept it there too. A certificate signs an assertion instead (client-certificate.ts).
  const auth = settings.certificate ? certificateAuth(settings.certificate, url.href) : oauth.ClientSecretPost(settings.clientSecret ?? '');
  const credential: Credential = settings.certificate
    ? { kind: 'certificate', file: settings.certificate.certFile, notAfter: settings.certificate.notAfter }
    : { kind: 'secret' };
  const params = new URLSearchParams();
  if (settings.scope) params.set('scope', settings.scope);
  return cachedTokenSource(
    {
      tokenUrl: settings.tokenUrl,
      credential,
      async send(options) {
        const response = await oauth.clientCredentialsGrantRequest(as, client, auth, params, options);
        return oauth.processClientCredentialsResponse(as, client, response);
      },
    },
    opts,
  );
}

/** The setting an operator fixes when the authorization server refuses the app, per credential. */
function credentialHint(c: Credential): string {
  if (c.kind === 'secret') return 'revise PLAZOS_MAIL_OAUTH_CLIENT_ID y el secreto en PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE';
  if (c.kind === 'certificate')
    return `revise PLAZOS_MAIL_OAUTH_CLIENT_ID y que el certificado de PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE (${c.file}) esté cargado en la aplicación`;
  return `revise la clave de la cuenta de servicio en PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE (${c.file}): puede haber sido borrada o rotada`;
}

/** Entra ID puts its own code first in error_description ("AADSTS7000215: Invalid client secret…") and in error_codes. */
function aadstsCode(body: unknown): string | undefined {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { error_description?: unknown; error_codes?: unknown };
  if (Array.isArray(b.error_codes) && typeof b.error_codes[0] === 'number') return `AADSTS${b.error_codes[0]}`;
  const match = typeof b.error_description === 'string' ? /\bAADSTS(\d+)\b/.exec(b.error_description) : null;
  return match ? `AADSTS${match[1]}` : undefined;
}

function describe(err: unknown, tokenUrl: string, credential: Credential): OAuthTokenError {
  const refused = (error: string, vendor?: string) =>
    new OAuthTokenError(`El servidor de autorización rechazó la aplicación (${vendor ?? error}): ${credentialHint(credential)}.`, error, vendor);
  // A 401 may come as a WWW-Authenticate challenge instead of a JSON body; it means the same.
  if (err instanceof oauth.WWWAuthenticateChallengeError && err.status === 401) return refused('invalid_client');
  if (err instanceof oauth.ResponseBodyError) {
    const vendor = aadstsCode(err.cause);
    const certificate = credential.kind === 'certificate' ? credential : null;
    if (vendor === 'AADSTS7000215')
      return new OAuthTokenError(
        'Entra ID rechazó el secreto de la aplicación (AADSTS7000215, secreto no válido): PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE debe tener el valor del secreto, no su identificador.',
        err.error,
        vendor,
      );
    if (vendor === 'AADSTS7000222')
      return new OAuthTokenError(
        'El secreto de la aplicación venció (AADSTS7000222): cree uno nuevo en Entra ID (Certificados y secretos) y póngalo en el archivo de PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE.',
        err.error,
        vendor,
      );
    if (vendor === 'AADSTS700016')
      return new OAuthTokenError(
        'Entra ID no encuentra la aplicación en ese inquilino (AADSTS700016): revise PLAZOS_MAIL_OAUTH_CLIENT_ID y el inquilino en PLAZOS_MAIL_OAUTH_TOKEN_URL.',
        err.error,
        vendor,
      );
    // Entra ID refuses an assertion signed by a certificate it does not hold, or holds as expired,
    // with AADSTS700027; the date read at start-up tells the operator which of the two it is.
    if (certificate && (vendor === 'AADSTS700027' || err.error === 'invalid_client')) {
      if (certificate.notAfter.getTime() <= Date.now())
        return new OAuthTokenError(
          `El certificado de PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE (${certificate.file}) venció el ${utcDate(certificate.notAfter)}: genere uno nuevo, cárguelo en la aplicación en Entra ID y cambie los archivos del certificado y la clave.`,
          err.error,
          vendor,
        );
      return refused(err.error, vendor);
    }
    if (credential.kind === 'google-key') {
      // Google answers unauthorized_client when the Admin console has no domain-wide delegation
      // for this client id and scope, and invalid_grant when the signature or the mailbox is wrong.
      if (err.error === 'unauthorized_client')
        return new OAuthTokenError(
          `Google no deja a la cuenta de servicio actuar por el buzón (unauthorized_client): falta la delegación de todo el dominio para el ID de cliente ${credential.clientId} y el alcance https://mail.google.com/ en la Consola del administrador.`,
          err.error,
        );
      if (err.error === 'invalid_grant' && /signature/i.test(err.error_description ?? ''))
        return new OAuthTokenError(`Google rechazó la firma de la cuenta de servicio (invalid_grant): ${credentialHint(credential)}.`, err.error);
      if (err.error === 'invalid_grant')
        return new OAuthTokenError(
          `Google rechazó la concesión (invalid_grant): revise que el buzón (PLAZOS_SMTP_USER o PLAZOS_IMAP_USER) exista en el dominio de la cuenta de servicio y que el reloj de este servidor esté en hora.`,
          err.error,
        );
    }
    if (err.error === 'invalid_client' || err.error === 'unauthorized_client') return refused(err.error, vendor);
    if (err.error === 'invalid_scope')
      return new OAuthTokenError(`El servidor de autorización no concede el alcance pedido: revise PLAZOS_MAIL_OAUTH_SCOPE.`, err.error, vendor);
    return new OAuthTokenError(`El servidor de autorización respondió ${err.status} (${vendor ?? err.error}) en ${tokenUrl}.`, err.error, vendor);
  }
  const code = errorCode(err);
  const setting = credential.kind === 'google-key' ? 'token_uri de PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE' : 'PLAZOS_MAIL_OAUTH_TOKEN_URL';
  return new OAuthTokenError(`No se obtuvo un token de acceso de ${setting} (${tokenUrl}): ${code}.`, code);
}

/** fetch wraps the socket's error (ECONNREFUSED, ETIMEDOUT) in a TypeError's cause, sometimes an AggregateError. */
function errorCode(err: unknown): string {
  for (let e = err as { code?: unknown; cause?: unknown; errors?: unknown[]; name?: string } | undefined; e; e = (e.cause ?? e.errors?.[0]) as typeof e) {
    if (typeof e.code === 'string') return e.code;
    if (e.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return (err as Error).name ?? 'error';
}
