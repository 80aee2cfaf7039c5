/**
 * How plazos logs in to the mail servers, from the environment. Three ways by token (SASL XOAUTH2),
 * as PLAZOS_SMTP_USER for SMTP and PLAZOS_IMAP_USER for IMAP:
 *  - an app with a client secret (PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE) or a certificate
 *    (PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE + _KEY_FILE), client credentials: Microsoft 365; its
 *    app-only token serves every mailbox the app was granted;
 *  - a Google service account (PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE), JWT bearer: a token per mailbox.
 * Without any PLAZOS_MAIL_OAUTH_*, as before, with the password in PLAZOS_SMTP_URL and
 * PLAZOS_IMAP_PASSWORD(_FILE).
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError, type Env } from '../../config/schema';
import { loadClientCertificate, type ClientCertificate } from './client-certificate';
import { GOOGLE_MAIL_SCOPE, loadServiceAccount, serviceAccountTokenSource, type ServiceAccount } from './google-service-account';
import { clientCredentialsTokenSource, type OAuthClientSettings, type TokenSource } from './oauth-token';

export type MailOAuthSettings = { kind: 'client-credentials'; client: OAuthClientSettings } | { kind: 'google'; account: ServiceAccount; scope: string };

const APP_VARS = ['PLAZOS_MAIL_OAUTH_TOKEN_URL', 'PLAZOS_MAIL_OAUTH_CLIENT_ID', 'PLAZOS_MAIL_OAUTH_SCOPE'] as const;
const CREDENTIAL_VARS = ['PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE', 'PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE', 'PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE'] as const;
const GOOGLE_VAR = 'PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE';

const incomplete = (problems: string[]) =>
  new ConfigError(`Configuración OAuth del correo incompleta o inválida:\n${problems.map((p) => `  ${p}`).join('\n')}`);

/** How the environment asks plazos to get tokens, every file read and checked; undefined when no PLAZOS_MAIL_OAUTH_* is set. */
export function mailOAuthSettings(env: Env, now = new Date()): MailOAuthSettings | undefined {
  const appSet = [...APP_VARS, ...CREDENTIAL_VARS].filter((name) => env[name] !== undefined);
  if (env[GOOGLE_VAR] !== undefined) {
    // The key file names the token endpoint and the account; a scope may still be narrowed.
    const extra = appSet.filter((name) => name !== 'PLAZOS_MAIL_OAUTH_SCOPE');
    if (extra.length > 0) throw incomplete([`${GOOGLE_VAR}: va sola (la cuenta de servicio de Google no usa ${extra.join(', ')}); quite unas u otra.`]);
    return { kind: 'google', account: loadServiceAccount(env[GOOGLE_VAR]), scope: env.PLAZOS_MAIL_OAUTH_SCOPE ?? GOOGLE_MAIL_SCOPE };
  }
  if (appSet.length === 0) return undefined;
  const problems = APP_VARS.filter((name) => env[name] === undefined).map(
    (name) => `${name}: falta (PLAZOS_MAIL_OAUTH_TOKEN_URL, _CLIENT_ID y _SCOPE van juntas, con el secreto o el certificado).`,
  );
  const secretFile = env.PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE;
  const certFile = env.PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE;
  const keyFile = env.PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE;
  let clientSecret: string | undefined;
  let certificate: ClientCertificate | undefined;
  if (secretFile && (certFile || keyFile)) {
    problems.push('PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE y PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE/_KEY_FILE: use el secreto o el certificado, no los dos.');
  } else if (secretFile) {
    try {
      clientSecret = readFileSync(secretFile, 'utf8').trim();
      if (!clientSecret) problems.push('PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: el archivo está vacío.');
    } catch (err) {
      problems.push(`PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: no se pudo leer (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  } else if (certFile && keyFile) {
    try {
      certificate = loadClientCertificate(certFile, keyFile, now);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
    }
  } else if (certFile || keyFile) {
    problems.push(`${certFile ? 'PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE' : 'PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE'}: falta (el certificado y su clave van juntos).`);
  } else {
    problems.push(
      'PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE (o PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE con PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE): falta la credencial de la aplicación.',
    );
  }
  if (problems.length > 0) throw incomplete(problems);
  return {
    kind: 'client-credentials',
    client: {
      tokenUrl: env.PLAZOS_MAIL_OAUTH_TOKEN_URL!,
      clientId: env.PLAZOS_MAIL_OAUTH_CLIENT_ID!,
      ...(certificate ? { certificate } : { clientSecret }),
      scope: env.PLAZOS_MAIL_OAUTH_SCOPE,
    },
  };
}

/** The tokens a process logs in with, for each mailbox it logs in as. */
export interface MailTokens {
  /**
   * The source of tokens that act as `mailbox`. An app-only token (client credentials) is the same
   * for every mailbox the app was granted, so one source serves all; a Google service account is
   * issued a token per mailbox it impersonates, so each mailbox has its own source, kept.
   */
  forMailbox(mailbox: string): TokenSource;
}

export function mailTokensFrom(settings: MailOAuthSettings, logger?: Logger): MailTokens {
  if (settings.kind === 'client-credentials') {
    const shared = clientCredentialsTokenSource(settings.client, { logger });
    return { forMailbox: () => shared };
  }
  const perMailbox = new Map<string, TokenSource>();
  return {
    forMailbox(mailbox) {
      const key = mailbox.toLowerCase();
      let source = perMailbox.get(key);
      if (!source) perMailbox.set(key, (source = serviceAccountTokenSource(settings.account, mailbox, { logger, scope: settings.scope })));
      return source;
    },
  };
}

/** The process's token sources when the environment asks for OAuth logins. */
export function mailTokens(env: Env, logger?: Logger): MailTokens | undefined {
  const settings = mailOAuthSettings(env);
  return settings ? mailTokensFrom(settings, logger) : undefined;
}

export interface SmtpOAuthLogin {
  /** The mailbox the relay lets the app send as (PLAZOS_SMTP_USER). */
  user: string;
  /** Tokens that act as `user`. */
  tokens: TokenSource;
}

/** The SMTP login by token from the environment, or undefined for a password (or no) login in PLAZOS_SMTP_URL. */
export function smtpOAuthLogin(env: Env, tokens: MailTokens | undefined): SmtpOAuthLogin | undefined {
  if (!tokens) return undefined;
  if (!env.PLAZOS_SMTP_USER)
    throw new ConfigError('PLAZOS_SMTP_USER: falta el buzón que envía (con PLAZOS_MAIL_OAUTH_* el correo sale con un token a su nombre).');
  if (env.PLAZOS_SMTP_URL && new URL(env.PLAZOS_SMTP_URL).username)
    throw new ConfigError('PLAZOS_SMTP_URL: sin usuario ni clave cuando se usa PLAZOS_MAIL_OAUTH_* (el usuario va en PLAZOS_SMTP_USER).');
  return { user: env.PLAZOS_SMTP_USER, tokens: tokens.forMailbox(env.PLAZOS_SMTP_USER) };
}
