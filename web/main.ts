/**
 * `node dist/web/main.js`: the web app on PORT, configured by environment (config/schema.ts).
 * Stops cleanly on SIGINT/SIGTERM: no new connections, requests in flight finish.
 */
import { createEvidenceStore, DEFAULT_EVIDENCE_LIMITS } from '../activities/evidence';
import { loadOrCreateSecret, secretFilePath } from '../activities/email/link-secret';
import { connectClient } from '../client/connect';
import { REPO_ROOT } from '../config/paths';
import { parseEnv, webBaseUrl, type Env } from '../config/schema';
import { isAbsolute, join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { createLogger } from '../config/logger';
import { buildApp } from './app';
import { createCutStore } from '../activities/follow-up/store';
import { openStores, type Stores } from '../store/open';
import { watchedUsers } from './users';
import { usePrivateUmask } from '../config/private-files';
import { readFileSync } from 'node:fs';
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { discoverOidc, type OidcSignIn } from './oidc';
import { watchedRoles } from './roles';
import { OIDC_CALLBACK } from './routes/auth';

export interface RunningWeb {
  url: string;
  close(): Promise<void>;
}

export interface WebOptions {
  /** More users files besides PLAZOS_OAPLA_USERS (the demo's sign-in, under `plazos up --demo`). */
  extraUsersFiles?: string[];
  /** Where requests and errors go (every 5xx is logged with its request id); `plazos up` passes its own. */
  logger?: FastifyBaseLogger;
  /** The stores already opened (`plazos up` shares them with the worker); otherwise opened from env and closed with the app. */
  stores?: Stores;
}

/** Starts the web app; `plazos up` calls this too. */
export async function startWeb(env: Env & { dataDir: string }, host = '0.0.0.0', options: WebOptions = {}): Promise<RunningWeb> {
  const logger = options.logger ?? createLogger(env.LOG_LEVEL, { name: 'plazos-web' });
  // Before Temporal: a database or bucket that cannot be reached is the error to show, in one line.
  const stores = options.stores ?? (await openStores(env, logger));
  const { blobs, records } = stores;
  const connected = await connectClient(env);
  const oidc = await oidcFromEnv(env, logger);
  const usersFile = isAbsolute(env.PLAZOS_OAPLA_USERS) ? env.PLAZOS_OAPLA_USERS : join(REPO_ROOT, env.PLAZOS_OAPLA_USERS);
  const app = await buildApp(
    {
      client: connected.client,
      store: createEvidenceStore(blobs),
      cutStore: createCutStore({ index: records.cuts, blobs }),
      records,
      secret: loadOrCreateSecret(secretFilePath(env)),
      users: watchedUsers([usersFile, ...(options.extraUsersFiles ?? [])], (err) =>
        process.stderr.write(`plazos web: no se pudo leer el archivo de usuarios; se siguen usando los anteriores. ${err.message}\n`),
      ),
      ...(oidc ? { oidc } : {}),
      baseUrl: webBaseUrl(env),
      now: () => Date.now(),
      maxUploadBytes: DEFAULT_EVIDENCE_LIMITS.maxBytes,
    },
    { logger, trustProxy: env.PLAZOS_TRUST_PROXY },
  );
  await app.listen({ port: env.PORT, host });
  return {
    url: webBaseUrl(env),
    close: async () => {
      await app.close();
      await connected.close();
      if (!options.stores) await stores.close();
    },
  };
}

/**
 * The entity's sign-in, when PLAZOS_OIDC_ISSUER is set: its roles file checked against the areas
 * directory and the provider discovered, both before listening, so a mistake stops the start in one
 * line rather than at someone's first sign-in.
 */
export async function oidcFromEnv(env: Env, logger?: Pick<FastifyBaseLogger, 'error'>): Promise<OidcSignIn | undefined> {
  if (!env.PLAZOS_OIDC_ISSUER) return undefined;
  if (!env.PLAZOS_OIDC_CLIENT_ID || !env.PLAZOS_OIDC_CLIENT_SECRET_FILE)
    throw new Error('Con PLAZOS_OIDC_ISSUER hacen falta también PLAZOS_OIDC_CLIENT_ID y PLAZOS_OIDC_CLIENT_SECRET_FILE.');
  let clientSecret: string;
  try {
    clientSecret = readFileSync(env.PLAZOS_OIDC_CLIENT_SECRET_FILE, 'utf8').trim();
  } catch (err) {
    throw new Error(
      `No se pudo leer PLAZOS_OIDC_CLIENT_SECRET_FILE (${env.PLAZOS_OIDC_CLIENT_SECRET_FILE}): ${(err as NodeJS.ErrnoException).code ?? 'error'}.`,
      { cause: err },
    );
  }
  if (!clientSecret) throw new Error(`PLAZOS_OIDC_CLIENT_SECRET_FILE (${env.PLAZOS_OIDC_CLIENT_SECRET_FILE}) está vacío.`);
  const areas = loadAreasFile(resolveAreasPath());
  if (!areas.areas || areas.errors.length > 0)
    throw new Error(`El directorio de áreas tiene errores; los roles por área no se pueden revisar: ${areas.errors[0]?.message ?? ''}`);
  const rolesFile = isAbsolute(env.PLAZOS_OIDC_ROLES) ? env.PLAZOS_OIDC_ROLES : join(REPO_ROOT, env.PLAZOS_OIDC_ROLES);
  // Checked now (a mistake stops the start); read again at a sign-in after it changes.
  const roles = watchedRoles(rolesFile, new Set(Object.keys(areas.areas)), (err) =>
    logger?.error({ file: rolesFile, error: err.message }, 'roles file refused: sign-in keeps the last mapping that was valid'),
  );
  const base = webBaseUrl(env);
  return discoverOidc({
    issuer: env.PLAZOS_OIDC_ISSUER,
    clientId: env.PLAZOS_OIDC_CLIENT_ID,
    clientSecret,
    redirectUri: `${base}${OIDC_CALLBACK}`,
    postLogoutRedirectUri: `${base}/entrar`,
    roles,
  });
}

async function main(): Promise<void> {
  const env = parseEnv();
  const web = await startWeb(env);
  process.stdout.write(`plazos web: ${web.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await web.close();
}

if (require.main === module) {
  // Run on its own (the container's command): what it writes is the plazos user's alone.
  usePrivateUmask();
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
