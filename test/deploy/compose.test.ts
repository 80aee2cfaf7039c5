/**
 * The production stack: docker-compose.yml, Dockerfile, .dockerignore, .env.example and the
 * Temporal set-up scripts in deploy/. No Docker engine runs where the tests run, so the stack is
 * checked by reading it: with Compose itself (`docker compose config`, or the standalone
 * `docker-compose`) when one is installed, against the Compose Specification schema always, and
 * by what plazos needs of it. The namespace set-up script runs for real against the dev server.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import Ajv2019 from 'ajv/dist/2019';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../../config/paths';
import { EnvSchema } from '../../config/schema';
import { temporalCliPath } from '../../config/tools';
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
  it('has PostgreSQL, the Temporal schema set-up, server, UI and namespace set-up, the worker, the web app, the mailbox reader and Mailpit', () => {
    const images = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.image?.replace(/:.*/, '')]));
    expect(images).toEqual({
      postgresql: 'postgres',
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
    expect(waits).toEqual({
      postgresql: {},
      'temporal-schema': { postgresql: 'service_healthy' },
      temporal: { 'temporal-schema': 'service_completed_successfully' },
      'temporal-init': { temporal: 'service_healthy' },
      'temporal-ui': { temporal: 'service_healthy' },
      mailpit: {},
      worker: { 'temporal-init': 'service_completed_successfully', mailpit: 'service_healthy' },
      mailbox: { 'temporal-init': 'service_completed_successfully', mailpit: 'service_healthy' },
      web: { 'temporal-init': 'service_completed_successfully', mailpit: 'service_healthy' },
    });
    for (const [name, deps] of Object.entries(waits)) {
      for (const [dep, condition] of Object.entries(deps)) {
        if (condition === 'service_healthy') expect({ dep, healthcheck: Boolean(services[dep]?.healthcheck) }).toEqual({ dep, healthcheck: true });
        if (condition === 'service_completed_successfully') expect({ dep, restart: services[dep]?.restart }).toEqual({ dep, restart: 'no' });
      }
      expect({ name, unknown: Object.keys(deps).filter((d) => !services[d]) }).toEqual({ name, unknown: [] });
    }
  });

  it('keeps the database, the mail and the evidence in named volumes', () => {
    expect(services.postgresql?.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(services.mailpit?.volumes).toContain('mailpit-data:/data');
    expect(services.worker?.volumes).toContain(`plazos-data:${String(services.worker?.environment?.PLAZOS_DATA_DIR)}`);
    expect(Object.keys(compose.volumes).sort()).toEqual(['mailpit-data', 'plazos-data', 'postgres-data']);
  });

  it('runs the worker, the mailbox reader and the web app from the one image built from ./Dockerfile', () => {
    for (const name of ['worker', 'mailbox', 'web']) {
      expect(services[name]?.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(services[name]?.image).toBe(services.worker?.image);
    }
    expect(services.worker?.command).toEqual(['node', 'dist/workers/main.js']);
    expect(services.web?.command).toEqual(['node', 'dist/web/main.js']);
    expect(services.mailbox?.command).toEqual(['node', 'dist/workers/mailbox.js']);
    // The reader shares the worker's data volume: the reply registry the worker writes is read there.
    expect(services.mailbox?.volumes).toContain(`plazos-data:${String(services.worker?.environment?.PLAZOS_DATA_DIR)}`);
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
    const used = new Set([...composeVariables().map((v) => v.name), ...Object.keys(services.worker?.environment ?? {})]);
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
    expect(mounted.length).toBe(3);
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

  it('both set-up scripts are valid shell', () => {
    for (const file of ['deploy/temporal/init-namespace.sh', 'deploy/temporal/setup-schema.sh']) {
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
