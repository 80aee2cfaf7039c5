/**
 * The largest plan the limits allow (50,000 activities in a 16 MB CSV, 400,000 notices) is
 * previewed and imported within a bounded heap: each command runs with V8's old generation capped
 * at the bound stated in the README and must finish. A resource bound, not a time: how long each
 * run takes is the machine's business.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN_LIMITS } from '../../plans/limits';
import { BIN, buildCli, cliEnv, makeTempFolder, REPO, removeFolder } from './helpers';

/** MB of V8's old generation the plan commands need at most (README, "What a plan looks like"). */
const HEAP_BOUND_MB = 256;

let dir: string;
let largest: string;

/** 50,000 activities, each title long enough that the file is just under the size limit. */
function largestCsv(): string {
  const areas = ['OAPLA', 'ARCOM', 'ASERA', 'ARACF', 'ARVIV'];
  const rows = ['Plan de Prueba 2023', 'Actividades;Fecha inicial;Fecha Final;Responsable;PRODUCTO O ENTREGABLE'];
  for (let i = 0; i < PLAN_LIMITS.activities; i++) {
    const month = String((i % 12) + 1).padStart(2, '0');
    const title = `Informe ${i} ${'de seguimiento del plan de la entidad '.repeat(8)}`.slice(0, 290);
    rows.push(`${title};01/${month}/2023;27/${month}/2023;${areas[i % 5]};Acta ${i}`);
  }
  return `${rows.join('\n')}\n`;
}

function bounded(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_BOUND_MB}`, BIN, ...args], {
    cwd: REPO,
    env: cliEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
  largest = join(dir, 'mayor.csv');
  writeFileSync(largest, largestCsv());
  expect(statSync(largest).size).toBeLessThanOrEqual(PLAN_LIMITS.fileBytes);
}, 120_000);
afterAll(() => removeFolder(dir));

describe(`the largest plan the limits allow, in ${HEAP_BOUND_MB} MB of heap`, () => {
  it('plan preview lists its 400,000 notices', () => {
    const run = bounded(['plan', 'preview', largest]);
    expect(run.stderr).not.toContain('heap out of memory');
    expect(run.status).toBe(0);
    expect(run.stdout.slice(0, run.stdout.indexOf('\n'))).toBe('Plan de Prueba 2023: 400000 avisos');
  }, 300_000);

  it('plan preview --json lists them as JSON', () => {
    const run = bounded(['plan', 'preview', largest, '--json']);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('{\n  "notifications": [\n    {\n      "activity": ')).toBe(true);
    expect(run.stdout.endsWith('\n  ]\n}\n')).toBe(true);
  }, 300_000);

  it('plan import refuses it, as validate would refuse its YAML, and writes nothing', () => {
    const out = join(dir, 'mayor.yaml');
    const run = bounded(['plan', 'import', largest, '-o', out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`No se escribió ${out}`);
    expect(existsSync(out)).toBe(false);
  }, 300_000);
});
