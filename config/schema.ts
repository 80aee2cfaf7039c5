/**
 * The environment plazos reads, validated once at start with messages that name the variable.
 * Flags are parsed from "true"/"false" by hand: z.coerce.boolean() would read "false" as true.
 */
import { isAbsolute, join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { REPO_ROOT } from './paths';

const flag = (name: string) =>
  z
    .enum(['true', 'false', '1', '0'], { message: `${name} debe ser "true" o "false".` })
    .optional()
    .transform((v) => v === 'true' || v === '1');

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (s: string) => PROXY_NAMES.has(s) || ipaddr.isValid(s) || ipaddr.isValidCIDR(s);

const hostPort = (name: string) => z.string().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, { message: `${name} debe ser host:puerto, p. ej. 127.0.0.1:7233.` });

export const EnvSchema = z.object({
  TEMPORAL_ADDRESS: hostPort('TEMPORAL_ADDRESS').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  PLAZOS_TASK_QUEUE: z.string().min(1).default('plazos'),
  PLAZOS_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, { message: 'PLAZOS_SMTP_URL debe ser smtp://host:puerto o smtps://usuario:clave@host:puerto.' })
    .optional(),
  PLAZOS_MAIL_FROM: z.string().min(3).default('Plazos <plazos@localhost>'),
  /** The mailbox the relay lets plazos send as, when it logs in with an OAuth token (PLAZOS_MAIL_OAUTH_*). */
  PLAZOS_SMTP_USER: z.string().min(1).max(320).optional(),
  /**
   * App-only OAuth 2.0 (client credentials) for SMTP and IMAP: Microsoft 365 and Google refuse
   * passwords. All four together; the secret in a file (a Docker or Kubernetes secret). Microsoft 365:
   * https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token and https://outlook.office365.com/.default.
   */
  PLAZOS_MAIL_OAUTH_TOKEN_URL: z
    .string()
    .regex(/^(https:\/\/.+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?\/.*)$/, {
      message: 'PLAZOS_MAIL_OAUTH_TOKEN_URL debe ser https://… (p. ej. https://login.microsoftonline.com/<inquilino>/oauth2/v2.0/token).',
    })
    .optional(),
  PLAZOS_MAIL_OAUTH_CLIENT_ID: z.string().min(1).max(200).optional(),
  PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  PLAZOS_MAIL_OAUTH_SCOPE: z.string().min(1).max(1000).optional(),
  /** Instead of the secret file: the app's certificate and its private key (PEM), as Entra ID accepts. */
  PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: z.string().min(1).optional(),
  PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE: z.string().min(1).optional(),
  /**
   * Google Workspace: the service account's JSON key (domain-wide delegation). Alone: the token
   * endpoint comes from the file's token_uri, the scope is https://mail.google.com/.
   */
  PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: z.string().min(1).optional(),
  PLAZOS_AREAS: z.string().min(1).optional(),
  /** The entity's non-working days (config/calendar.yaml unless set); read where the calendar is loaded (config/load-calendar.ts). */
  PLAZOS_CALENDAR: z.string().min(1).optional(),
  /**
   * The CLI's language: `en` (or `en_US`…) for English, anything else Spanish. Read by cli/i18n.ts
   * before any command parses the rest, so a usage error is already in the right language.
   */
  PLAZOS_LANG: z.string().max(64).optional(),
  /** The CLI prints the stack of an unexpected error besides its message (cli/main.ts). */
  PLAZOS_DEBUG: z.string().max(64).optional(),
  PLAZOS_DATA_DIR: z.string().min(1).default('.data'),
  PLAZOS_LOCALE: z.enum(['es', 'en'], { message: 'PLAZOS_LOCALE debe ser "es" o "en".' }).default('es'),
  /** Development only: evidence links may point at localhost and private networks. */
  PLAZOS_EVIDENCE_ALLOW_PRIVATE: flag('PLAZOS_EVIDENCE_ALLOW_PRIVATE'),
  // Each cached workflow holds its own copy of the bundled modules (about 3-4 MB, see README,
  // Performance); a year-long workflow wakes a few times a month and replays ~100 events when it does.
  PLAZOS_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
  /** The worker logs its own counters this often ("worker health"); 0 turns it off. */
  PLAZOS_HEALTH_LOG_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /**
   * A worker the server has not seen poll workflow tasks for this long exits (status 1) for its
   * supervisor to restart it (workers/liveness.ts); 0 turns the watch off. A healthy long poll
   * returns within about 70 s.
   */
  PLAZOS_WORKER_STALL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** `plazos up`: the Temporal UI of the embedded dev server, and the mail catcher's SMTP and web inbox. */
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  PLAZOS_INBOX_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  PLAZOS_INBOX_PORT: z.coerce.number().int().min(1).max(65535).default(1080),
  /** The web app (web/main.ts). */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public base URL of the web app, used in the links e-mails carry. Default http://127.0.0.1:PORT. */
  PLAZOS_WEB_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'PLAZOS_WEB_URL debe ser una URL http:// o https://, p. ej. https://plazos.entidad.gov.co.' })
    .optional(),
  /**
   * The reverse proxies in front of the web app, comma-separated addresses or CIDRs (or `loopback`,
   * `linklocal`, `uniquelocal`): only from these is X-Forwarded-For believed. Unset, the client's
   * address is the socket's, which behind a proxy is the proxy's for everyone.
   */
  PLAZOS_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isProxyAddress), {
      message: 'PLAZOS_TRUST_PROXY debe ser una lista de direcciones o rangos CIDR separados por comas, p. ej. 10.0.0.5,172.16.0.0/12.',
    }),
  /** HMAC key of the evidence links and sessions; created with a random key in the data directory if absent. */
  PLAZOS_SECRET_FILE: z.string().min(1).optional(),
  /** OAPLA users of the dashboard (username and scrypt hash). */
  PLAZOS_OAPLA_USERS: z.string().min(1).default('config/oapla-users.yaml'),
  /**
   * Sign-in with the entity's account (OpenID Connect): the provider's issuer URL, e.g.
   * https://login.microsoftonline.com/<tenant>/v2.0 or https://accounts.google.com. Unset, only the
   * users file signs in. The redirect URI to register is PLAZOS_WEB_URL + /entrar/oidc/callback.
   */
  PLAZOS_OIDC_ISSUER: z.url({ message: 'PLAZOS_OIDC_ISSUER debe ser la URL del emisor, p. ej. https://login.microsoftonline.com/<tenant>/v2.0.' }).optional(),
  PLAZOS_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** A file holding the client secret the provider gave plazos's app registration. */
  PLAZOS_OIDC_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  /** Which claim gives which role (config/roles.yaml). */
  PLAZOS_OIDC_ROLES: z.string().min(1).default('config/roles.yaml'),
  /**
   * The mailbox replies go to (`respuestas@entidad.gov.co`). Set, the worker gives the notices an
   * area may answer a signed Reply-To on it, and `plazos-mailbox` reads it (mailbox/README.md).
   */
  PLAZOS_REPLY_MAILBOX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,15}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, {
      message: 'PLAZOS_REPLY_MAILBOX debe ser una dirección sin "+" con hasta 15 caracteres antes de la @, p. ej. respuestas@entidad.gov.co.',
    })
    .optional(),
  /** Where that mailbox is read: imaps://host:993 (TLS) or imap://host:143 (STARTTLS, required). */
  PLAZOS_IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\/[A-Za-z0-9.\-[\]:]+(:\d{1,5})?\/?$/, {
      message: 'PLAZOS_IMAP_URL debe ser imaps://servidor:993 o imap://servidor:143 (sin usuario ni clave).',
    })
    .optional(),
  PLAZOS_IMAP_USER: z.string().min(1).max(320).optional(),
  /** A file holding the mailbox's password (a Docker or Kubernetes secret); preferred over PLAZOS_IMAP_PASSWORD. */
  PLAZOS_IMAP_PASSWORD_FILE: z.string().min(1).optional(),
  PLAZOS_IMAP_PASSWORD: z.string().min(1).max(1000).optional(),
  /** A CA certificate (PEM file) for an IMAP server whose certificate the system does not trust. */
  PLAZOS_IMAP_CA_FILE: z.string().min(1).optional(),
  /** A full look at the inbox at least this often, besides IDLE. */
  PLAZOS_IMAP_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  PLAZOS_IMAP_PROCESSED_FOLDER: z.string().min(1).max(200).default('Plazos procesados'),
  PLAZOS_IMAP_REFUSED_FOLDER: z.string().min(1).max(200).default('Plazos rechazados'),
  /**
   * Where evidence files live (store/README.md): unset, the directory `<PLAZOS_DATA_DIR>/blobs`;
   * `s3://bucket/optional/prefix`, an S3 bucket every host of the web app and the worker share.
   */
  /**
   * plazos's own records (sent-ledger, reply registry, sessions…): unset, SQLite in
   * `<PLAZOS_DATA_DIR>/plazos.sqlite`; `postgres://user@host:5432/plazos` in production.
   */
  PLAZOS_DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:).+/, {
      message: 'PLAZOS_DATABASE_URL debe ser postgres://usuario@servidor:5432/base (sin definir, plazos usa SQLite en el directorio de datos).',
    })
    .optional(),
  /** A file holding the database user's password (a Docker or Kubernetes secret). */
  PLAZOS_DATABASE_PASSWORD_FILE: z.string().min(1).optional(),
  PLAZOS_BLOB_STORE: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*'()/-]*)?$/, {
      message: 'PLAZOS_BLOB_STORE debe ser s3://cubo o s3://cubo/prefijo (sin definir, los archivos quedan en <PLAZOS_DATA_DIR>/blobs).',
    })
    .optional(),
  /** An S3-compatible server (MinIO, Ceph, Versity): http(s)://host:puerto. Unset: AWS's own endpoint for the region. */
  PLAZOS_S3_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/[^\s/@]+\/?$/, { message: 'PLAZOS_S3_ENDPOINT debe ser http://servidor:puerto o https://servidor (sin usuario, clave ni ruta).' })
    .optional(),
  PLAZOS_S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, { message: 'PLAZOS_S3_REGION debe ser el nombre de una región, p. ej. us-east-1.' })
    .default('us-east-1'),
  PLAZOS_S3_ACCESS_KEY_ID: z.string().min(1).max(256).optional(),
  /** A file holding the secret access key (a Docker or Kubernetes secret): the key itself is never an environment variable. */
  PLAZOS_S3_SECRET_ACCESS_KEY_FILE: z.string().min(1).optional(),
  /** Buckets addressed as host/bucket rather than bucket.host: what most servers other than AWS need. */
  PLAZOS_S3_FORCE_PATH_STYLE: flag('PLAZOS_S3_FORCE_PATH_STYLE'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

export function parseEnv(env: NodeJS.ProcessEnv = process.env): Env & { dataDir: string } {
  // An empty variable (`TEMPORAL_TLS_SERVER_NAME=` in an .env file) means unset, not "".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Configuración inválida:\n${lines.join('\n')}`);
  }
  const data = parsed.data;
  const dataDir = isAbsolute(data.PLAZOS_DATA_DIR) ? data.PLAZOS_DATA_DIR : join(REPO_ROOT, data.PLAZOS_DATA_DIR);
  return { ...data, dataDir };
}

/** The web app's public base URL, without a trailing slash. */
export function webBaseUrl(env: Env): string {
  return (env.PLAZOS_WEB_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, '');
}
