/**
 * The production topology of docker-compose.yml without Docker: a PostgreSQL cluster of its own
 * (initdb into a temp dir, an unprivileged user, loopback only), Temporal's two databases set up
 * by `temporal-sql-tool` as deploy/temporal/setup-schema.sh does, the Temporal server built from
 * source (scripts/temporal-server.mjs) with the postgres12 plugin, SQL visibility and the dynamic
 * config of deploy/temporal/dynamicconfig, then deploy/temporal/init-namespace.sh against it.
 *
 * PostgreSQL asks every client over TCP for its password, as the compose file's server does: Temporal
 * signs in as `temporal` with a password of this run, and plazos's own database (made with
 * `cluster.postgres.createDatabase`) gets a role and password of its own.
 *
 * PostgreSQL and the Temporal server can each be stopped and started again on the same data;
 * close() stops both and removes the temp dir. Everything listens on 127.0.0.1, on free ports.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { REPO_ROOT } from '../config/paths';
import tools from '../config/tools.json';
import { temporalCliPath } from '../config/tools';
import { startPostgres, type PostgresServer } from './postgres';

const HOST = '127.0.0.1';
const DB_USER = 'temporal';
const SERVER_DIR = join(REPO_ROOT, '.tools', 'bin', `temporal-server-${tools.server.version}`);

export interface Cluster {
  /** host:port of Temporal's frontend. */
  readonly address: string;
  readonly client: Client;
  readonly dir: string;
  /** The PostgreSQL server under Temporal, which also holds plazos's own database in production. */
  readonly postgres: PostgresServer;
  /** `pg_ctl stop -m fast`, as an operator restarting the database; the server loses its connections. */
  stopPostgres(): void;
  startPostgres(): void;
  /** SIGTERM to the Temporal server; resolves once it has exited. */
  stopTemporal(): Promise<void>;
  /** Starts the server again on the same config and databases; resolves once the frontend answers. */
  startTemporal(): Promise<void>;
  /** The last lines the server logged, for a failing test's message. */
  serverLog(): string;
  close(): Promise<void>;
}

/**
 * A free loopback port below 32768: Temporal keeps each service's membership port in a PostgreSQL
 * smallint (cluster_membership.rpc_port), and the kernel's ephemeral range starts above it.
 */
async function lowPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, HOST, () => probe.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port between 20000 and 32000');
}

function run(cmd: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function serverConfig(ports: Record<string, number>, pgPort: number, password: string, dynamicConfig: string): string {
  const store = (database: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "${HOST}:${pgPort}"
        connectProtocol: tcp
        user: ${DB_USER}
        password: "${password}"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const service = (name: string) => `
  ${name}:
    rpc:
      grpcPort: ${ports[`${name}Grpc`]}
      membershipPort: ${ports[`${name}Membership`]}
      bindOnIP: ${HOST}${name === 'frontend' ? `\n      httpPort: ${ports.frontendHttp}` : ''}`;
  return `# Written by simulation/cluster.ts: docker-compose.yml's Temporal on loopback ports.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:${store('temporal', 20)}
    postgres-visibility:${store('temporal_visibility', 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: ${HOST}
services:${service('frontend')}${service('history')}${service('matching')}${service('worker')}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "${HOST}:${ports.frontendGrpc}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${dynamicConfig}
  pollInterval: 10s
`;
}

export async function startCluster(): Promise<Cluster> {
  for (const tool of Object.keys(tools.server.binaries)) {
    if (!existsSync(join(SERVER_DIR, tool))) throw new Error(`${tool} is missing: run node scripts/temporal-server.mjs (npm run test:cluster does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'plazos-cluster-'));
  const ports: Record<string, number> = {};
  const taken = new Set<number>();
  for (const name of [
    'frontendGrpc',
    'frontendHttp',
    'frontendMembership',
    'historyGrpc',
    'historyMembership',
    'matchingGrpc',
    'matchingMembership',
    'workerGrpc',
    'workerMembership',
  ]) {
    ports[name] = await lowPort(taken);
  }
  const address = `${HOST}:${ports.frontendGrpc}`;
  let server: { child: ChildProcess; exited: Promise<void> } | null = null;
  let postgres: PostgresServer | null = null;
  let connection: Connection | null = null;
  const log: string[] = [];

  const configDir = join(dir, 'config');
  const startTemporal = async () => {
    if (server) throw new Error('the Temporal server is already running');
    const child = spawn(join(SERVER_DIR, 'temporal-server'), ['--root', dir, '--config', 'config', '--env', 'plazos', '--allow-no-auth', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (log.length > 400) log.splice(0, log.length - 400);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    server = { child, exited };
    // The frontend opens its port before it serves: ask until it says SERVING (bounded).
    const cli = temporalCliPath();
    for (let i = 0; ; i++) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Temporal server exited while starting:\n${log.slice(-60).join('\n')}`);
      if (spawnSync(cli, ['operator', 'cluster', 'health', '--address', address], { stdio: 'ignore', timeout: 10_000 }).status === 0) return;
      if (i >= 120) throw new Error(`the Temporal server did not answer within 2 minutes:\n${log.slice(-60).join('\n')}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  const stopTemporal = async () => {
    if (!server) return;
    const { child, exited } = server;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
    server = null;
  };

  const close = async () => {
    await connection?.close().catch(() => undefined);
    await stopTemporal();
    postgres?.close();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    postgres = await startPostgres({ superuser: DB_USER, auth: 'scram' });
    const pgPort = postgres.port;
    // Letters, digits, '-' and '_' only: it goes into the server's YAML config as it is.
    const password = randomBytes(18).toString('base64url');
    postgres.psql(`ALTER ROLE ${DB_USER} PASSWORD '${password}'`);
    const sqlToolEnv = { ...process.env, SQL_PASSWORD: password };
    // deploy/temporal/setup-schema.sh, with the schema files of the module the server was built from.
    const sqlTool = join(SERVER_DIR, 'temporal-sql-tool');
    for (const [database, schema] of [
      ['temporal', 'temporal'],
      ['temporal_visibility', 'visibility'],
    ] as const) {
      const base = ['--plugin', 'postgres12', '--endpoint', HOST, '--port', String(pgPort), '--user', DB_USER, '--database', database];
      run(sqlTool, [...base, 'create-database'], `create-database ${database}`, sqlToolEnv);
      run(sqlTool, [...base, 'setup-schema', '-v', '0.0'], `setup-schema ${database}`, sqlToolEnv);
      run(sqlTool, [...base, 'update-schema', '-d', join(SERVER_DIR, 'schema', schema, 'versioned')], `update-schema ${database}`, sqlToolEnv);
    }
    spawnSync('mkdir', ['-p', configDir]);
    writeFileSync(join(configDir, 'plazos.yaml'), serverConfig(ports, pgPort, password, join(REPO_ROOT, 'deploy', 'temporal', 'dynamicconfig', 'plazos.yaml')));
    await startTemporal();
    const cliDir = join(REPO_ROOT, '.tools', 'bin');
    run('sh', [join(REPO_ROOT, 'deploy', 'temporal', 'init-namespace.sh')], 'init-namespace.sh', {
      ...process.env,
      PATH: `${cliDir}:${process.env.PATH ?? ''}`,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'default',
    });
    connection = await Connection.connect({ address });
  } catch (err) {
    await close();
    throw err;
  }

  return {
    address,
    client: new Client({ connection }),
    dir,
    get postgres() {
      if (!postgres) throw new Error('PostgreSQL did not start');
      return postgres;
    },
    stopPostgres: () => postgres?.stop(),
    startPostgres: () => postgres?.start(),
    stopTemporal,
    startTemporal,
    serverLog: () => log.slice(-80).join('\n'),
    close,
  };
}
