/**
 * How plazos logs in to the mail servers, from the environment. With the four
 * PLAZOS_MAIL_OAUTH_* settings, SMTP and IMAP log in with an app-only OAuth 2.0 token (SASL
 * XOAUTH2) as PLAZOS_SMTP_USER and PLAZOS_IMAP_USER; without them, as before, with the password
 * in PLAZOS_SMTP_URL and PLAZOS_IMAP_PASSWORD(_FILE). One token source serves a whole process.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError, type Env } from '../../config/schema';
import { clientCredentialsTokenSource, type OAuthClientSettings, type TokenSource } from './oauth-token';

const OAUTH_VARS = ['PLAZOS_MAIL_OAUTH_TOKEN_URL', 'PLAZOS_MAIL_OAUTH_CLIENT_ID', 'PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE', 'PLAZOS_MAIL_OAUTH_SCOPE'] as const;

/** The OAuth client from the environment, its secret read from its file; undefined when none of it is set. */
export function mailOAuthSettings(env: Env): OAuthClientSettings | undefined {
  const set = OAUTH_VARS.filter((name) => env[name] !== undefined);
  if (set.length === 0) return undefined;
  const problems = OAUTH_VARS.filter((name) => env[name] === undefined).map((name) => `${name}: falta (las cuatro PLAZOS_MAIL_OAUTH_* van juntas).`);
  let clientSecret = '';
  if (env.PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE) {
    try {
      clientSecret = readFileSync(env.PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE, 'utf8').trim();
      if (!clientSecret) problems.push('PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: el archivo está vacío.');
    } catch (err) {
      problems.push(`PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: no se pudo leer (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Configuración OAuth del correo incompleta:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    tokenUrl: env.PLAZOS_MAIL_OAUTH_TOKEN_URL!,
    clientId: env.PLAZOS_MAIL_OAUTH_CLIENT_ID!,
    clientSecret,
    scope: env.PLAZOS_MAIL_OAUTH_SCOPE,
  };
}

/** The process's token source when the environment asks for OAuth logins. */
export function mailTokenSource(env: Env, logger?: Logger): TokenSource | undefined {
  const settings = mailOAuthSettings(env);
  return settings ? clientCredentialsTokenSource(settings, { logger }) : undefined;
}

export interface SmtpOAuthLogin {
  /** The mailbox the relay lets the app send as (PLAZOS_SMTP_USER). */
  user: string;
  tokens: TokenSource;
}

/** The SMTP login by token from the environment, or undefined for a password (or no) login in PLAZOS_SMTP_URL. */
export function smtpOAuthLogin(env: Env, tokens: TokenSource | undefined): SmtpOAuthLogin | undefined {
  if (!tokens) return undefined;
  if (!env.PLAZOS_SMTP_USER)
    throw new ConfigError('PLAZOS_SMTP_USER: falta el buzón que envía (con PLAZOS_MAIL_OAUTH_* el correo sale con un token a su nombre).');
  if (env.PLAZOS_SMTP_URL && new URL(env.PLAZOS_SMTP_URL).username)
    throw new ConfigError('PLAZOS_SMTP_URL: sin usuario ni clave cuando se usa PLAZOS_MAIL_OAUTH_* (el usuario va en PLAZOS_SMTP_USER).');
  return { user: env.PLAZOS_SMTP_USER, tokens };
}

/**
 * A nodemailer transport for `url`; with `oauth`, it logs in with XOAUTH2. nodemailer asks the
 * provisioning callback for a token at each login, keeps it until the time we hand back, and
 * asks again with `renew` once when the server refuses it.
 */
