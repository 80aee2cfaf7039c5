/**
 * The production stack: docker-compose.yml, Dockerfile, .dockerignore, .env.example and the
 * set-up scripts in deploy/. No Docker engine runs where the tests run, so the stack is checked by
 * reading it: with Compose itself (`docker compose config`, or the standalone `docker-compose`)
 * when one is installed, against the Compose Specification schema always, and by what plazos needs
 * of it. The scripts run for real: the namespace set-up against the dev server, plazos's database
 * set-up against PostgreSQL, and the S3 server's start against the Versity S3 Gateway.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import Ajv2019 from 'ajv/dist/2019';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../../config/paths';
import { EnvSchema, parseEnv } from '../../config/schema';
import { temporalCliPath } from '../../config/tools';
import { freePort } from '../../simulation/ports';
import { startPostgres, type PostgresServer } from '../../simulation/postgres';
import { s3ServerPath } from '../../simulation/s3';
import { openBlobStore } from '../../store/blobs';
import { openRecords, StoreUnavailableError } from '../../store/records';
import { searchAttributeArgs } from '../../workers/dev-server';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { startDevServer } from '../helpers/temporal';
import { itWhen } from '../helpers/skip';

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  profiles?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
// `<<: *anchor` merges are how the worker and the web app share their settings.
const compose = parseYaml(composeText, { merge: true }) as ComposeFile;
const services = compose.services;

/** .env.example: `NAME=value` lines are set, `# NAME=value` lines are documented but left unset. */
function readEnvExample(): { set: Map<string, string>; commented: Set<string> } {
  const set = new Map<string, string>();
  const commented = new Set<string>();
  for (const line of read('.env.example').split('\n')) {
    const active = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (active?.[1] && active[2] !== undefined) set.set(active[1], active[2].replace(/^"(.*)"$/, '$1'));
    const inactive = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (inactive?.[1]) commented.add(inactive[1]);
  }
  return { set, commented };
}
const envExample = readEnvExample();

/** Every `${NAME...}` the compose file reads, with its default (`:-`) or required (`:?`) form. */
function composeVariables(): { name: string; op: string | undefined; arg: string | undefined }[] {
  return [...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g)].map((m) => ({ name: m[1] ?? '', op: m[2], arg: m[3] }));
}

/** Compose's interpolation, for the forms this file uses. */
function interpolate(value: string, vars: Map<string, string>): string {
  return value.replace(/\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, name: string, fallback?: string) => vars.get(name) || fallback || '');
}

/** A service's volumes as Compose reads them with the values of .env.example: host file or named volume, path inside, mode. */
function mounts(service: string): { source: string; target: string; mode: string | undefined }[] {
  return (services[service]?.volumes ?? []).map((v) => {
    const [source = '', target = '', mode] = interpolate(v, envExample.set).split(':');
    return { source, target, mode };
  });
}

/** `docker compose` (plugin) or the standalone `docker-compose`, whichever answers. */
function findComposeCli(): string[] | null {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const [bin = '', ...args] = command;
    if (spawnSync(bin, [...args, 'version'], { encoding: 'utf8' }).status === 0) return command;
  }
  return null;
}
const composeCli = findComposeCli();
const withComposeCli = itWhen(
  composeCli !== null,
  'no hay Compose (docker compose ni docker-compose): no se revisa docker-compose.yml con Compose. Instálelo con: sudo apt-get install docker-compose',
);

/** Runs `config` with only the given env file: no variable of this shell leaks into the result. */
function composeConfig(envFileText: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plazos-compose-'));
  const envFile = join(dir, 'env');
  writeFileSync(envFile, envFileText);
  const [bin = '', ...args] = composeCli ?? [];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? dir };
  if (process.env.DOCKER_CONFIG) env.DOCKER_CONFIG = process.env.DOCKER_CONFIG;
  const run = spawnSync(bin, [...args, '--env-file', envFile, '-f', join(REPO_ROOT, 'docker-compose.yml'), '--profile', 'web', 'config'], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('docker-compose.yml, as Compose reads it', () => {
  withComposeCli(`${composeCli?.join(' ') ?? 'docker compose'} config accepts the stack with the values of .env.example`, () => {
    const run = composeConfig(read('.env.example'));
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const resolved = parseYaml(run.stdout) as ComposeFile;
    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(services).sort());
    expect(resolved.services.worker?.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', PLAZOS_SMTP_URL: 'smtp://mailpit:1025' });
  });

  withComposeCli('refuses to run without POSTGRES_PASSWORD, and says where to set it', () => {
    const run = composeConfig('');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('set POSTGRES_PASSWORD in .env');
  });

  withComposeCli('refuses to run without PLAZOS_WEB_URL, and says where to set it', () => {
    const example = read('.env.example').replace(/^PLAZOS_WEB_URL=.*$/m, '');
    const run = composeConfig(example);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('set PLAZOS_WEB_URL in .env');
    const set = composeConfig(`${example}\nPLAZOS_WEB_URL=https://plazos.entidad.gov.co\n`);
    expect(set.status).toBe(0);
    const resolved = (parseYaml(set.stdout) as ComposeFile).services;
    expect([resolved.worker?.environment?.PLAZOS_WEB_URL, resolved.web?.environment?.PLAZOS_WEB_URL]).toEqual([
      'https://plazos.entidad.gov.co',
      'https://plazos.entidad.gov.co',
    ]);
  });

  withComposeCli('passes the TLS variables to the containers only when .env sets them', () => {
    const run = composeConfig(`${read('.env.example')}\nTEMPORAL_TLS_CA=/etc/plazos/tls/ca.pem\n`);
    expect(run.status).toBe(0);
    const worker = (parseYaml(run.stdout) as ComposeFile).services.worker;
    expect(worker?.environment?.TEMPORAL_TLS_CA).toBe('/etc/plazos/tls/ca.pem');
    // null: Compose leaves the variable out of the container, so plazos sees it unset, not "".
    expect(worker?.environment?.TEMPORAL_TLS_SERVER_NAME).toBeNull();
  });

  it('matches the Compose Specification schema', () => {
    // The schema as docker-compose 1.29 ships it: it still carries draft-04 `id`s, which ajv refuses.
    const strip = (node: unknown): unknown =>
      Array.isArray(node)
        ? node.map(strip)
        : node && typeof node === 'object'
          ? Object.fromEntries(
              Object.entries(node)
                .filter(([k, v]) => k !== '$schema' && !(k === 'id' && typeof v === 'string'))
                .map(([k, v]) => [k, strip(v)]),
            )
          : node;
    const schema = strip(JSON.parse(read('deploy/compose-spec.schema.json'))) as object;
    const validate = new Ajv2019({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // A misspelt key is an error, so the check can fail.
    expect(validate({ services: { worker: { ...services.worker, restrat: 'always' } } })).toBe(false);
  });
});

describe('docker-compose.yml, what plazos needs of it', () => {
  it("has PostgreSQL, the Temporal schema set-up, server, UI and namespace set-up, plazos's database set-up, the S3 server, the worker, the web app, the mailbox reader and Mailpit", () => {
    const images = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.image?.replace(/:.*/, '')]));
    expect(images).toEqual({
      postgresql: 'postgres',
      'plazos-db': 'postgres',
      s3: 'versity/versitygw',
      'temporal-schema': 'temporalio/admin-tools',
      temporal: 'temporalio/server',
      'temporal-init': 'temporalio/admin-tools',
      'temporal-ui': 'temporalio/ui',
      mailpit: 'axllent/mailpit',
      worker: '${PLAZOS_IMAGE',
      mailbox: '${PLAZOS_IMAGE',
      web: '${PLAZOS_IMAGE',
    });
    expect(services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  it('starts each service only once what it needs is healthy or done', () => {
    const waits = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [name, Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([dep, d]) => [dep, d.condition]))]),
    );
    const plazos = {
      'temporal-init': 'service_completed_successfully',
      'plazos-db': 'service_completed_successfully',
      s3: 'service_healthy',
      mailpit: 'service_healthy',
    };
    expect(waits).toEqual({
      postgresql: {},
      'plazos-db': { postgresql: 'service_healthy' },
      s3: {},
      'temporal-schema': { postgresql: 'service_healthy' },
      temporal: { 'temporal-schema': 'service_completed_successfully' },
      'temporal-init': { temporal: 'service_healthy' },
      'temporal-ui': { temporal: 'service_healthy' },
      mailpit: {},
      worker: plazos,
      mailbox: plazos,
      web: plazos,
    });
    for (const [name, deps] of Object.entries(waits)) {
      for (const [dep, condition] of Object.entries(deps)) {
        if (condition === 'service_healthy') expect({ dep, healthcheck: Boolean(services[dep]?.healthcheck) }).toEqual({ dep, healthcheck: true });
        if (condition === 'service_completed_successfully') expect({ dep, restart: services[dep]?.restart }).toEqual({ dep, restart: 'no' });
      }
      expect({ name, unknown: Object.keys(deps).filter((d) => !services[d]) }).toEqual({ name, unknown: [] });
    }
  });

  it('keeps the databases, the mail and the evidence files in named volumes, none of them mounted by two services', () => {
    expect(services.postgresql?.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(services.mailpit?.volumes).toContain('mailpit-data:/data');
    expect(services.s3?.volumes).toContain('s3-data:/data');
    expect(Object.keys(compose.volumes).sort()).toEqual(['mailpit-data', 'plazos-data', 'postgres-data', 's3-data']);
    const users: Record<string, string[]> = {};
    for (const name of Object.keys(services)) for (const { source } of mounts(name)) if (source in compose.volumes) (users[source] ??= []).push(name);
    // plazos-data is the worker's own /data (an upgrade's old files); the web app and the reader have none.
    expect(users).toEqual({ 'postgres-data': ['postgresql'], 'mailpit-data': ['mailpit'], 's3-data': ['s3'], 'plazos-data': ['worker'] });
    expect(mounts('worker')).toContainEqual({ source: 'plazos-data', target: String(services.worker?.environment?.PLAZOS_DATA_DIR), mode: undefined });
  });

  it("points the worker, the mailbox reader and the web app at this stack's plazos database and bucket, with every file their settings name mounted read-only from the host file the set-up services read", () => {
    const db = services['plazos-db']?.environment ?? {};
    const s3 = services.s3?.environment ?? {};
    const value = (env: Record<string, string | number | null>, name: string) => interpolate(String(env[name]), envExample.set);
    const hostFileOf = (service: string, target: string) => mounts(service).find((m) => m.target === target && m.mode === 'ro')?.source;
    const dbPasswordFile = hostFileOf('plazos-db', String(db.PLAZOS_DB_PASSWORD_FILE));
    const s3SecretFile = hostFileOf('s3', String(s3.S3_SECRET_FILE));
    expect(dbPasswordFile).toBe('./secrets/plazos-db-password');
    expect(s3SecretFile).toBe('./secrets/s3-secret');
    for (const name of ['worker', 'mailbox', 'web']) {
      const env = services[name]?.environment ?? {};
      // The plazos-db one-shot's role and database, on the postgresql service; no password in the URL.
      const url = new URL(value(env, 'PLAZOS_DATABASE_URL'));
      expect({ name, host: url.hostname, port: url.port, user: url.username, password: url.password, database: url.pathname }).toEqual({
        name,
        host: 'postgresql',
        port: '5432',
        user: db.PLAZOS_DB_USER,
        password: '',
        database: `/${String(db.PLAZOS_DB_NAME)}`,
      });
      // The s3 service's bucket, port and user.
      const endpoint = new URL(value(env, 'PLAZOS_S3_ENDPOINT'));
      expect({
        name,
        host: endpoint.hostname,
        port: `:${endpoint.port}`,
        bucket: value(env, 'PLAZOS_BLOB_STORE'),
        key: value(env, 'PLAZOS_S3_ACCESS_KEY_ID'),
      }).toEqual({
        name,
        host: 's3',
        port: s3.VGW_PORT,
        bucket: value(s3, 'PLAZOS_BLOB_STORE'),
        key: value(s3, 'ROOT_ACCESS_KEY_ID'),
      });
      expect({ name, pathStyle: value(env, 'PLAZOS_S3_FORCE_PATH_STYLE') }).toEqual({ name, pathStyle: 'true' });
      // The same host files, read-only, where the settings look.
      const files = {
        link: hostFileOf(name, String(env.PLAZOS_SECRET_FILE)),
        db: hostFileOf(name, String(env.PLAZOS_DATABASE_PASSWORD_FILE)),
        s3: hostFileOf(name, String(env.PLAZOS_S3_SECRET_ACCESS_KEY_FILE)),
      };
      expect({ name, files }).toEqual({ name, files: { link: './secrets/plazos-secret.key', db: dbPasswordFile, s3: s3SecretFile } });
    }
    expect(services.s3?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1${String(s3.VGW_PORT)}/health`);
  });

  it('mounts the OAuth 2.0 credential files read-only in the worker and the mailbox reader, where the paths .env.example documents look', () => {
    const documented = [...read('.env.example').matchAll(/^#\s*(PLAZOS_MAIL_OAUTH_[A-Z_]+_FILE)=(\S+)$/gm)].map((m) => ({ name: m[1]!, path: m[2]! }));
    expect(documented.map((d) => d.name).sort()).toEqual([
      'PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE',
      'PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE',
      'PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE',
      'PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE',
    ]);
    for (const name of ['worker', 'mailbox']) {
      for (const { name: setting, path } of documented) {
        // Passed through only when .env sets it: an empty path would turn OAuth on with no file.
        expect({ name, setting, value: services[name]?.environment?.[setting] }).toEqual({ name, setting, value: null });
        const mount = mounts(name).find((m) => m.target === path);
        // /dev/null until the operator names the host file, so no empty directory appears in its place.
        expect({ name, setting, mount }).toEqual({ name, setting, mount: { source: '/dev/null', target: path, mode: 'ro' } });
      }
    }
  });

  it('runs the worker, the mailbox reader and the web app from the one image built from ./Dockerfile', () => {
    for (const name of ['worker', 'mailbox', 'web']) {
      expect(services[name]?.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(services[name]?.image).toBe(services.worker?.image);
    }
    expect(services.worker?.command).toEqual(['node', 'dist/workers/main.js']);
    expect(services.web?.command).toEqual(['node', 'dist/web/main.js']);
    expect(services.mailbox?.command).toEqual(['node', 'dist/workers/mailbox.js']);
  });

  it('requires PLAZOS_WEB_URL of every service whose program builds addresses from it, and gives them all the same one', () => {
    // The entry point of each plazos service, and the CLI (`docker compose run worker node bin/plazos.js`),
    // which runs with the worker's settings: those that call webBaseUrl put the address in mail or pages.
    const readers = Object.entries(services)
      .filter(([, s]) => s.build)
      .filter(([, s]) => {
        const entry = String(s.command?.[1])
          .replace(/^dist\//, '')
          .replace(/\.js$/, '.ts');
        return read(entry).includes('webBaseUrl(');
      })
      .map(([name]) => name);
    expect(readers.sort()).toEqual(['web', 'worker']);
    expect(read('cli/calendar-feed.ts')).toContain('webBaseUrl(');
    for (const name of readers) {
      expect({ name, value: services[name]?.environment?.PLAZOS_WEB_URL }).toEqual({
        name,
        value: '${PLAZOS_WEB_URL:?set PLAZOS_WEB_URL in .env (see .env.example)}',
      });
    }
    // What .env.example sets passes the schema's own check.
    expect(EnvSchema.shape.PLAZOS_WEB_URL.safeParse(envExample.set.get('PLAZOS_WEB_URL')).success).toBe(true);
  });

  it('checks the web app on GET /health at the port it tells the app to listen on', () => {
    const web = services.web;
    const port = String(web?.environment?.PORT);
    expect(web?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
    expect(web?.ports?.[0]?.endsWith(`:${port}`)).toBe(true);
  });

  it('gives the worker, the mailbox reader and the web app only variables config/schema.ts reads, and their defaults pass it', () => {
    const known = new Set([...Object.keys(EnvSchema.shape), 'PORT']);
    for (const name of ['worker', 'mailbox', 'web']) {
      const env = services[name]?.environment ?? {};
      expect({ name, unknown: Object.keys(env).filter((k) => !known.has(k)) }).toEqual({ name, unknown: [] });
      const resolved = Object.fromEntries(
        Object.entries(env)
          .filter((e): e is [string, string | number] => e[1] !== null)
          .map(([k, v]) => [k, interpolate(String(v), envExample.set)]),
      );
      const parsed = EnvSchema.safeParse(resolved);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
    expect(Object.keys(services.worker?.environment ?? {})).toEqual(
      expect.arrayContaining(['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'PLAZOS_SMTP_URL', 'PLAZOS_DATA_DIR']),
    );
  });

  it('documents in .env.example every variable it reads, with the same default', () => {
    for (const { name, op, arg } of composeVariables()) {
      if (op === ':-') expect({ name, documented: envExample.set.get(name) }).toEqual({ name, documented: arg });
      else expect({ name, documented: envExample.set.has(name) }).toEqual({ name, documented: true });
    }
    // Variables passed through without a value (mTLS) are documented too, commented out.
    const passThrough = Object.entries(services.worker?.environment ?? {})
      .filter(([, v]) => v === null)
      .map(([k]) => k);
    expect(passThrough.length).toBeGreaterThan(0);
    for (const name of passThrough) expect({ name, commented: envExample.commented.has(name) }).toEqual({ name, commented: true });
  });

  it('reads every variable that .env.example documents', () => {
    // Passed through from .env by name (`VAR:` with no value): the worker's, and the web app's own (sign-in).
    const passed = [services.worker, services.web].flatMap((service) => Object.keys(service?.environment ?? {}));
    const used = new Set([...composeVariables().map((v) => v.name), ...passed]);
    const stale = [...envExample.set.keys(), ...envExample.commented].filter((name) => !used.has(name) && !name.startsWith('COMPOSE_'));
    expect(stale).toEqual([]);
  });

  it('publishes every port on PUBLISH_ADDRESS, at a host port that .env.example names', () => {
    const published = Object.values(services).flatMap((s) => s.ports ?? []);
    const hostPorts: string[] = [];
    for (const port of published) {
      const m = /^\$\{PUBLISH_ADDRESS:-127\.0\.0\.1\}:\$\{([A-Z_]+):-(\d+)\}:(\d+)$/.exec(port);
      expect({ port, matches: Boolean(m) }).toEqual({ port, matches: true });
      if (m?.[1]) expect({ port, documented: envExample.set.get(m[1]) }).toEqual({ port, documented: m[2] });
      if (m?.[1]) hostPorts.push(m[1]);
    }
    expect(hostPorts.sort()).toEqual(['MAILPIT_SMTP_PORT', 'MAILPIT_UI_PORT', 'PLAZOS_WEB_PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT']);
    expect(envExample.set.get('PUBLISH_ADDRESS')).toBe('127.0.0.1');
  });

  it('mounts the scripts and the dynamic config that deploy/ holds', () => {
    const mounted = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.startsWith('./deploy/'));
    expect(mounted.length).toBe(5);
    for (const volume of mounted) expect({ volume, exists: existsSync(join(REPO_ROOT, volume.split(':')[0] ?? '')) }).toEqual({ volume, exists: true });
    expect(services.temporal?.environment?.DYNAMIC_CONFIG_FILE_PATH).toBe('config/dynamicconfig/plazos.yaml');
    expect(existsSync(join(REPO_ROOT, 'deploy/temporal/dynamicconfig/plazos.yaml'))).toBe(true);
  });
});

describe('the Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .join('\n')
    .replace(/\\\n\s*/g, ' ')
    .split('\n');
  const stages = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)\s+AS\s+(\S+)/i.exec(line);
    if (from?.[2]) stages.set(from[2], (current = [line]));
    else current.push(line);
  }
  const runtime = stages.get('runtime') ?? [];

  it('builds in stages on Node 24 Debian slim, never Alpine (the Temporal core bridge needs glibc)', () => {
    expect([...stages.keys()]).toEqual(['deps', 'build', 'runtime']);
    expect(lines.find((l) => l.startsWith('ARG NODE_IMAGE='))).toMatch(/^ARG NODE_IMAGE=node:24-[a-z]+-slim$/);
    // Every stage starts from that image (or from a stage that does).
    for (const stage of stages.values()) expect(stage[0]).toMatch(/^FROM (\$\{NODE_IMAGE\}|deps|build) AS /);
    expect(lines.join('\n')).not.toMatch(/alpine|musl/i);
    expect(stages.get('deps')?.join('\n')).toMatch(/npm ci\b/);
    // The build stage runs the project's own build: TypeScript, then the workflows and the CLI bundled ahead of time.
    expect(stages.get('build')?.join('\n')).toMatch(/RUN npm run build\b/);
    const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toBe('tsc -b tsconfig.build.json && node dist/workers/bundle.js && node dist/cli/bundle.js');
  });

  it('ships only production dependencies, dist/ and the files read at run time, as a non-root user', () => {
    const text = runtime.join('\n');
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(text).toContain('COPY --from=build /app/dist ./dist');
    for (const file of ['activities/email/templates', 'config/areas.yaml', 'config/calendar.yaml', 'config/tools.json']) {
      expect({ file, copied: text.includes(file), exists: existsSync(join(REPO_ROOT, file)) }).toEqual({ file, copied: true, exists: true });
    }
    const user = runtime.filter((l) => l.startsWith('USER ')).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)\b/);
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/workers/main.js"]');
    expect(text).toContain('WORKDIR /app');
    expect(text).toContain(`PLAZOS_DATA_DIR=${String(services.worker?.environment?.PLAZOS_DATA_DIR)}`);
  });

  it('has a glibc build of the Temporal core bridge to load, and no musl one', () => {
    const releases = readdirSync(join(REPO_ROOT, 'node_modules/@temporalio/core-bridge/releases'));
    expect(releases).toEqual(expect.arrayContaining(['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu']));
    expect(releases.filter((r) => r.includes('musl'))).toEqual([]);
    expect(existsSync(join(REPO_ROOT, 'node_modules/@temporalio/core-bridge/releases/x86_64-unknown-linux-gnu/index.node'))).toBe(true);
  });

  it('.dockerignore keeps secrets, dependencies and local state out of the build, and the runtime files in', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.git', 'node_modules', 'dist', '.tools', '.data']));
    for (const kept of ['config', 'activities', 'bin', 'package.json', 'package-lock.json', 'tsconfig.build.json']) expect(ignored).not.toContain(kept);
  });
});

describe('the namespace set-up, deploy/temporal/init-namespace.sh', () => {
  const script = join(REPO_ROOT, 'deploy/temporal/init-namespace.sh');

  it('registers exactly the search attributes the workflows use, with their types', () => {
    const listed = /^SEARCH_ATTRIBUTES="([^"]*)"$/m.exec(read('deploy/temporal/init-namespace.sh'))?.[1]?.split(' ');
    const used = searchAttributeArgs().filter((a) => a !== '--search-attribute');
    expect(listed).toEqual(used);
    expect(used).toHaveLength(Object.keys(SEARCH_ATTRIBUTES).length);
  });

  it('every set-up script is valid shell', () => {
    for (const file of ['deploy/temporal/init-namespace.sh', 'deploy/temporal/setup-schema.sh', 'deploy/postgres/plazos-db.sh', 'deploy/s3/versitygw.sh']) {
      const check = spawnSync('sh', ['-n', join(REPO_ROOT, file)], { encoding: 'utf8' });
      expect({ file, status: check.status, stderr: check.stderr }).toEqual({ file, status: 0, stderr: '' });
    }
  });

  describe('on a real Temporal server (the dev server)', () => {
    let server: TestWorkflowEnvironment;
    beforeAll(async () => {
      server = await startDevServer();
    });
    afterAll(async () => {
      await server?.teardown();
    });

    function runScript(namespace: string): { status: number | null; output: string } {
      const home = mkdtempSync(join(tmpdir(), 'plazos-init-'));
      const run = spawnSync('sh', [script], {
        encoding: 'utf8',
        timeout: 120_000,
        // HOME apart, so no Temporal CLI profile of this machine changes where it connects.
        env: { PATH: `${dirname(temporalCliPath())}:${process.env.PATH ?? ''}`, HOME: home, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: namespace },
      });
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    }

    async function registered(namespace: string): Promise<Record<string, number>> {
      const response = await server.connection.operatorService.listSearchAttributes({ namespace });
      return Object.fromEntries(Object.entries(response.customAttributes ?? {}).filter(([name]) => name.startsWith('Plazos')));
    }

    it('creates a missing namespace with plazos search attributes, and a second run changes nothing', async () => {
      const first = runScript('plazos-produccion');
      expect(first.output).toContain('creando el namespace plazos-produccion');
      expect(first.status).toBe(0);
      const types = temporal.api.enums.v1.IndexedValueType as unknown as Record<string, number>;
      const expected = Object.fromEntries(Object.values(SEARCH_ATTRIBUTES).map((k) => [k.name, types[`INDEXED_VALUE_TYPE_${k.type}`]]));
      expect(await registered('plazos-produccion')).toEqual(expected);

      const second = runScript('plazos-produccion');
      expect(second.status).toBe(0);
      expect(second.output).toContain('el namespace plazos-produccion ya existe');
      expect(second.output).not.toContain('registrando');
      expect(await registered('plazos-produccion')).toEqual(expected);
    });

    it('refuses a namespace where a plazos search attribute exists with another type', async () => {
      await server.connection.operatorService.addSearchAttributes({
        namespace: 'default',
        searchAttributes: { PlazosDue: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
      });
      const run = runScript('default');
      expect(run.status).toBe(1);
      expect(run.output).toContain('el atributo de búsqueda PlazosDue ya existe con otro tipo');
    });
  });
});

describe("plazos's database set-up, deploy/postgres/plazos-db.sh", () => {
  const script = join(REPO_ROOT, 'deploy/postgres/plazos-db.sh');
  let server: PostgresServer;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres({ auth: 'scram' });
    dir = mkdtempSync(join(tmpdir(), 'plazos-db-setup-'));
  }, 120_000);
  afterAll(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The one-shot as the compose file runs it: signed in as the superuser (here on the socket), the password in a file. */
  function runScript(password: string): { status: number | null; output: string } {
    const passwordFile = join(dir, 'plazos-db-password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    const run = spawnSync('sh', [script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: `${server.bin}:${process.env.PATH ?? ''}`,
        HOME: dir,
        PGHOST: server.dir,
        PGPORT: String(server.port),
        PGUSER: server.superuser,
        PGDATABASE: 'postgres',
        PLAZOS_DB_NAME: 'plazos',
        PLAZOS_DB_USER: 'plazos',
        PLAZOS_DB_PASSWORD_FILE: passwordFile,
      },
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  function settings(password: string, user = 'plazos') {
    const passwordFile = join(dir, `clave-${user}-${password.length}`);
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    return { url: server.url(user, 'plazos'), passwordFile, dataDir: dir };
  }

  it("makes the role and the empty database plazos's records open and migrate; run again with a new file, it changes the password and keeps the records", async () => {
    // Quotes, a backslash and spaces: the script must take the file's line as it is.
    const first = `clave 'con' comillas \\ y espacios`;
    const made = runScript(first);
    expect(made.output).toContain('[plazos] base de datos plazos lista para el usuario plazos.');
    expect(made.status).toBe(0);
    const records = await openRecords(settings(first));
    await records.sent.record({ idempotencyKey: 'k1', messageId: '<m1@entidad.gov.co>', accepted: ['OAPLA'], rejected: [] });
    await records.close();

    const second = 'otra-clave-rotada';
    const again = runScript(second);
    expect(again.status).toBe(0);
    await expect(openRecords(settings(first))).rejects.toThrow(StoreUnavailableError);
    const reopened = await openRecords(settings(second));
    try {
      expect(await reopened.sent.find('k1')).toMatchObject({ messageId: '<m1@entidad.gov.co>' });
    } finally {
      await reopened.close();
    }
  });

  it('lets no other role connect to the database, and stops with a Spanish line when the password file is empty', async () => {
    server.psql(`CREATE ROLE intrusa LOGIN PASSWORD 'clave-intrusa'`);
    await expect(openRecords(settings('clave-intrusa', 'intrusa'))).rejects.toThrow(/permission denied for database/);
    const empty = runScript('');
    expect(empty.status).not.toBe(0);
    expect(empty.output).toContain('está vacío o no se puede leer');
  });
});

describe("the S3 server's start, deploy/s3/versitygw.sh", () => {
  const script = join(REPO_ROOT, 'deploy/s3/versitygw.sh');
  let dir: string;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    child = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves the bucket PLAZOS_BLOB_STORE names, created on first start, to plazos's blob store with the secret key from the same file", async () => {
    if (!existsSync(s3ServerPath())) throw new Error(`${s3ServerPath()} is missing: run node scripts/s3-server.mjs (npm test's setup does)`);
    dir = mkdtempSync(join(tmpdir(), 'plazos-s3-setup-'));
    const secretFile = join(dir, 's3-secret');
    writeFileSync(secretFile, 'una-clave-secreta-de-prueba\n', { mode: 0o600 });
    const port = await freePort();
    const output: string[] = [];
    // As the compose file's s3 service runs it; the image's /app/versitygw is the one the tests build.
    child = spawn('sh', [script], {
      env: {
        PATH: process.env.PATH ?? '',
        VERSITYGW: s3ServerPath(),
        S3_DATA_DIR: join(dir, 'data'),
        PLAZOS_BLOB_STORE: 's3://evidencias/plazos',
        ROOT_ACCESS_KEY_ID: 'plazos',
        S3_SECRET_FILE: secretFile,
        VGW_PORT: `127.0.0.1:${port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    // Up when its health path answers, as the compose healthcheck asks (bounded).
    for (let i = 0; ; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null || i > 100) throw new Error(`the S3 server did not answer on /health:\n${output.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // The settings the compose file gives plazos, with the endpoint on this host.
    const env = parseEnv({
      PLAZOS_DATA_DIR: join(dir, 'plazos'),
      PLAZOS_BLOB_STORE: 's3://evidencias/plazos',
      PLAZOS_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      PLAZOS_S3_ACCESS_KEY_ID: 'plazos',
      PLAZOS_S3_SECRET_ACCESS_KEY_FILE: secretFile,
      PLAZOS_S3_FORCE_PATH_STYLE: 'true',
    });
    const blobs = await openBlobStore(env, pino({ level: 'silent' }));
    const content = Buffer.from('%PDF-1.4\ninforme guardado en el cubo\n%%EOF\n');
    const stored = await blobs.put(content, { maxBytes: 1024 });
    expect(await blobs.read(stored.sha256, { maxBytes: 1024 })).toEqual(content);
    expect(output.join('')).toContain('[plazos] servidor S3 con el cubo evidencias');
  });

  it('refuses to start without its secret key', () => {
    dir = mkdtempSync(join(tmpdir(), 'plazos-s3-setup-'));
    const run = spawnSync('sh', [script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        VERSITYGW: s3ServerPath(),
        S3_DATA_DIR: dir,
        PLAZOS_BLOB_STORE: 's3://evidencias',
        ROOT_ACCESS_KEY_ID: 'plazos',
        S3_SECRET_FILE: join(dir, 'no-existe'),
      },
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('está vacío o no se puede leer');
  });
});
