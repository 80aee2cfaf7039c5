/**
 * A PostgreSQL server of its own for tests and benchmarks: Debian's programs, initdb into a temp
 * dir, loopback only, a free port. As root its programs run as the `postgres` user, since
 * PostgreSQL refuses to run as root. The superuser signs in without a password on the socket and,
 * with `auth: 'scram'`, only with its password over TCP, as a production server would ask.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

const HOST = '127.0.0.1';

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  /** The superuser (trusted on the socket; with a password over TCP when auth is scram). */
  readonly superuser: string;
  /** The directory of PostgreSQL's own programs (pg_dump, psql, pg_restore). */
  readonly bin: string;
  /** A postgres:// URL for a user and database on this server (no password in it). */
  url(user: string, database: string): string;
  /** Runs SQL as the superuser over the socket; returns what psql printed. */
  psql(sql: string, database?: string): string;
  /** A role that may sign in with this password, owning a new database of the same name. */
  createDatabase(name: string, password: string): void;
  /** Runs one of PostgreSQL's programs (pg_dump, pg_restore, …) against this server as the superuser. */
  run(program: string, args: string[]): string;
  /** The postmaster's process id while it runs (a benchmark reads its CPU time and its children's). */
  pid(): number | undefined;
  /** `pg_ctl stop -m fast`: as an operator restarting the database; clients lose their connections. */
  stop(): void;
  start(): void;
  close(): void;
}

/** PLAZOS_PG_BIN, else Debian's newest. */
export function postgresBin(): string {
  if (process.env.PLAZOS_PG_BIN) return process.env.PLAZOS_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (apt-get install postgresql), or set PLAZOS_PG_BIN');
  return join(root, versions[0]!, 'bin');
}

function unprivileged(): { uid: number; gid: number; wrap: (cmd: string, args: string[]) => [string, string[]] } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root, PostgreSQL needs a `postgres` user to run as');
  return { uid, gid: id('-g'), wrap: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]] };
}

function run(cmd: string, args: string[], what: string): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

export interface PostgresOptions {
  superuser?: string;
  auth?: 'trust' | 'scram';
  port?: number;
  /**
   * Flush commits to disk as a production server does (fsync on). Off by default: a test's
   * database is thrown away; a benchmark that weighs PostgreSQL against SQLite's synchronous=FULL
   * must pay for the same flushes on the same disk.
   */
  fsync?: boolean;
}

export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBin();
  const superuser = opts.superuser ?? 'postgres';
  const user = unprivileged();
  const as = (cmd: string, args: string[]): [string, string[]] => (user ? user.wrap(cmd, args) : [cmd, args]);
  const dir = mkdtempSync(join(tmpdir(), 'plazos-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'pgdata');
  const port = opts.port ?? (await freePort());
  let running = false;

  const pgCtl = (args: string[], what: string) => run(...as(join(bin, 'pg_ctl'), ['-D', data, ...args]), what);
  const start = () => {
    // fsync off unless asked: a test's database, thrown away at the end; a power cut is not what is tested here.
    const options = `-c listen_addresses=${HOST} -p ${port} -c unix_socket_directories=${dir} -c fsync=${opts.fsync ? 'on' : 'off'} -c max_connections=200`;
    pgCtl(['-w', '-t', '60', '-l', join(dir, 'postgres.log'), '-o', options, 'start'], 'pg_ctl start');
    running = true;
  };
  const stop = () => {
    pgCtl(['-w', '-t', '60', '-m', 'fast', 'stop'], 'pg_ctl stop');
    running = false;
  };
  const socketArgs = (database: string) => ['-h', dir, '-p', String(port), '-U', superuser, '-d', database];
  const psql = (sql: string, database = 'postgres') => run(...as(join(bin, 'psql'), [...socketArgs(database), '-v', 'ON_ERROR_STOP=1', '-Atqc', sql]), 'psql');
  const close = () => {
    if (running) {
      try {
        stop();
      } catch {
        spawnSync(...as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']));
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const auth = opts.auth === 'scram' ? ['--auth-local=trust', '--auth-host=scram-sha-256'] : ['--auth=trust'];
    run(...as(join(bin, 'initdb'), ['-D', data, '-U', superuser, ...auth, '-E', 'UTF8', '--no-sync']), 'initdb');
    start();
  } catch (error) {
    close();
    throw error;
  }

  return {
    host: HOST,
    port,
    dir,
    superuser,
    bin,
    url: (u, database) => `postgres://${encodeURIComponent(u)}@${HOST}:${port}/${encodeURIComponent(database)}`,
    psql,
    createDatabase(name, password) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain PostgreSQL name: ${name}`);
      psql(`CREATE ROLE ${name} LOGIN PASSWORD ${quoteLiteral(password)}`);
      psql(`CREATE DATABASE ${name} OWNER ${name}`);
    },
    run: (program, args) => run(...as(join(bin, program), [...args]), program),
    pid() {
      if (!running) return undefined;
      try {
        // postmaster.pid's first line is the postmaster's process id.
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        return Number.isInteger(pid) && pid > 0 ? pid : undefined;
      } catch {
        return undefined;
      }
    },
    stop,
    start,
    close,
  };
}
