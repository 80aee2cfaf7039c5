/**
 * What the CLI tests share: they run the real `plazos` command (bin/plazos.js on the compiled
 * dist/) as a child process from the repository root, and read its stdout, stderr and exit code.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const BIN = join(REPO, 'bin', 'plazos.js');
/** As a user types it from the repository root; messages name the file the way it was given. */
export const SEED = 'plans/examples/plan-participacion-ciudadana-2023.txt';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Variables that change what plazos reads or says; a test sets them itself when it means to. */
const PLAZOS_VARIABLES = ['PLAZOS_LANG', 'PLAZOS_AREAS', 'PLAZOS_CALENDAR', 'PLAZOS_DEBUG'];

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of PLAZOS_VARIABLES) delete env[name];
  return { ...env, ...extra };
}

/** Runs `plazos ...args` from the repository root. */
export function plazos(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, env: cliEnv(env), encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command that must print JSON, and parses it (with the output in the failure message). */
export function plazosJson<T>(args: string[], env: Record<string, string> = {}): Run & { json: T } {
  const run = plazos(args, env);
  try {
    return { ...run, json: JSON.parse(run.stdout) as T };
  } catch {
    throw new Error(`plazos ${args.join(' ')} did not print JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

/**
 * Runs `plazos ...args` as a child process without blocking: spawnSync would stop this process's
 * event loop, where a test's worker runs, and a query or update would wait for a worker that cannot
 * answer. `closedStdout` closes the read end before the child has even started Node, as
 * `plazos ... | head` ends up: every write meets EPIPE.
 */
export function plazosAsync(args: string[], env: Record<string, string> = {}, opts: { closedStdout?: boolean } = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  if (opts.closedStdout) child.stdout.destroy();
  else child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

export function plazosIntoClosedPipe(args: string[]): Promise<Run> {
  return plazosAsync(args, {}, { closedStdout: true });
}

/** A Node stack trace line; a user must never see one. */
export const STACK_LINE = '    at ';

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/**
 * Jest runs test files in parallel, and two `tsc -b` writing dist/ at once could let a test run a
 * half-written file. The lock is a directory (mkdir is atomic); a lock older than the slowest
 * build is left over from a killed run and is taken over.
 */
export async function withBuildLock<T>(work: () => T): Promise<T> {
  const lock = join(tmpdir(), `plazos-cli-build-${createHash('sha256').update(REPO).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 120_000) rmSync(lock, { recursive: true, force: true });
      else await sleep(100);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Brings dist/ up to date (`node scripts/setup.mjs --quiet`), so no test runs a stale CLI. */
export async function buildCli(): Promise<void> {
  const r = await withBuildLock(() => spawnSync(process.execPath, ['scripts/setup.mjs', '--quiet'], { cwd: REPO, env: cliEnv(), encoding: 'utf8' }));
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`node scripts/setup.mjs --quiet failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** A fresh temporary folder for a test file's plans and outputs; remove it in afterAll. */
export function makeTempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'plazos-cli-'));
}

export function removeFolder(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/**
 * A TSV plan with two good activities (1 and 4) and two broken ones: activity 2 is due on
 * 31 April (line 5) and activity 3 names an area that is not in the directory (line 6).
 */
export const BROKEN_TSV = [
  'Plan de Prueba 2023',
  '',
  'Actividades\tFecha inicial\tFecha Final\tResponsable\tPRODUCTO O ENTREGABLE',
  'Informe A\t4-ene-23\t31-ene-23\tOAPLA Oficina Asesora de Planeación\tInforme A.',
  'Informe B\t4-abr-23\t31-abr-23\tOAPLA\tInforme B.',
  'Informe C\t1-feb-23\t28-feb-23\tXYZW Área Inventada\tInforme C.',
  'Informe D\t1-mar-23\t31-mar-23\tARCOM\tInforme D.',
  '',
].join('\n');

/**
 * The same kind of plan as Excel in a Spanish locale saves it (semicolons, quoted cells): activity
 * 2 starts on 32 January (line 4) and activity 3 has no deliverable (line 5).
 */
export const BROKEN_CSV = [
  'Plan de Prueba 2023;;;;',
  'Actividades;Fecha inicial;Fecha Final;Responsable;PRODUCTO O ENTREGABLE',
  '"Informe A, con coma";4-ene-23;31-ene-23;OAPLA;Informe A.',
  'Informe B;32-ene-23;31-mar-23;OAPLA;Informe B.',
  'Informe C;1-feb-23;28-feb-23;ARCOM;',
  'Informe D;1-mar-23;31-mar-23;"OAPLA, ARCOM";Informe D.',
  '',
].join('\r\n');

/** An areas directory whose OAPLA mailbox is not an address (line 3). */
export const BAD_AREAS = [
  'OAPLA:',
  '  name: Oficina Asesora de Planeación',
  '  email: [planeacion-sin-arroba]',
  'ARCOM:',
  '  name: Área de Comunicaciones',
  '  email: [comunicaciones@entidad.gov.co]',
  '',
].join('\n');

/** A CSV plan of `n` activities; `title(i)` is the i-th title. */
export function csvPlan(n: number, title: (i: number) => string): string {
  const rows = ['Plan de Prueba 2023', 'Actividades;Fecha inicial;Fecha Final;Responsable;PRODUCTO O ENTREGABLE'];
  for (let i = 0; i < n; i++) rows.push(`${title(i)};02/01/2023;31/03/2023;OAPLA;Acta ${i}`);
  return `${rows.join('\n')}\n`;
}
