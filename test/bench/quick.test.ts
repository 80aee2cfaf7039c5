/**
 * `npm run bench -- --quick` keeps working: every benchmark runs small, against its baseline, and
 * writes its JSON. Nothing here asserts a time (the machine running the tests decides those);
 * it asserts what must hold at any speed: each figure has its baseline and a ratio, and the
 * burst delivers exactly one message per notice.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from '../../bench/report';

const ROOT = join(__dirname, '..', '..');
const RUN = join(ROOT, 'dist', 'bench', 'run.js');

/** The bench runs compiled (its worker is a child process); `npm test` builds dist/ first. */
function assertBuilt(): void {
  if (!existsSync(RUN)) throw new Error('dist/bench/run.js is missing: run "npm run setup" first');
  const newest = (dir: string, ext: string) =>
    Math.max(
      ...readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .map((f) => statSync(join(dir, f)).mtimeMs),
    );
  if (newest(join(ROOT, 'dist', 'bench'), '.js') < newest(join(ROOT, 'bench'), '.ts')) {
    throw new Error('dist/bench is older than bench/: run "npm run setup" first');
  }
}

describe('npm run bench -- --quick', () => {
  let dir: string;
  let report: BenchReport;
  let stdout: string;

  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'plazos-bench-test-'));
    const out = join(dir, 'quick.json');
    // Five bursts wait ~20 s each for their instant (rafaga's two, registro's three): ~4 min in all at load 12,
    // avalancha's two small floods add ~20 s, and past load 15 the whole takes over 8 minutes. The bound only
    // keeps a hung run from holding CI; it says nothing of speed (that is the benchmarks' own report).
    const r = spawnSync(process.execPath, [RUN, '--quick', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
    // Temporal's runtime turns the timeout's SIGTERM into exit 1: the timeout is told by spawnSync's error.
    const error: NodeJS.ErrnoException | undefined = r.error;
    const timedOut = error?.code === 'ETIMEDOUT';
    if (r.status !== 0) throw new Error(`bench ${timedOut ? 'stopped after 900 s' : `exited ${r.status}`}:\n${r.stderr}`);
    stdout = r.stdout;
    report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
  }, 920_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every benchmark but the production topology, each figure with its baseline, paired runs and a positive ratio', () => {
    expect(report.quick).toBe(true);
    const ids = report.figures.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'cli/validar',
        'inicio-plan/19',
        'rafaga/50',
        'rafaga/50/frente-a-temporal',
        'rafaga/50/sin-plazos',
        'registro/50/sqlite',
        'registro/50/postgres',
        'registro/50/postgres-frente-a-sqlite',
        'abiertos/100/rss',
        'abiertos/100/sqlite',
        'simulacion/3',
        'comillas/2000',
        'tablero/50/plan',
        'tablero/50/csv',
        'tablero/50/con-avisos',
        'tablero/50/cache',
        'sesiones/entrar',
        'sesiones/plan/19',
        'sesiones/lectura',
        'sesiones/sin-sesion',
        'memoria/2000/preview',
        'memoria/2000/preview-json',
        'memoria/2000/import',
        'avalancha/enlace',
        'avalancha/flujo',
        'sin-enviar/500',
      ]),
    );
    for (const f of report.figures) {
      expect(f.measured.runs.length).toBeGreaterThan(0);
      expect(f.baseline.runs).toHaveLength(f.measured.runs.length);
      expect(f.ratio.median).toBeGreaterThan(0);
      expect(Number.isFinite(f.ratio.median)).toBe(true);
    }
  });

  it('delivers exactly one message per notice in the burst, with plazos and with bare Temporal', () => {
    expect(report.figures.find((f) => f.id === 'rafaga/50')?.counts).toEqual({ expected: 50, received: [50] });
    expect(report.figures.find((f) => f.id === 'rafaga/50/sin-plazos')?.counts).toEqual({ expected: 50, received: [50] });
  });

  it('delivers exactly one message per notice with the records in SQLite and in PostgreSQL', () => {
    expect(report.figures.find((f) => f.id === 'registro/50/sqlite')?.counts).toEqual({ expected: 50, received: [50] });
    expect(report.figures.find((f) => f.id === 'registro/50/postgres')?.counts).toEqual({ expected: 50, received: [50] });
  });

  it('gets OAPLA’s extension and the area’s evidence through after each flood', () => {
    for (const id of ['avalancha/enlace', 'avalancha/flujo']) {
      const notes = report.figures.find((f) => f.id === id)?.notes.join('\n') ?? '';
      expect(notes).toContain('Evidencia recibida');
    }
  });

  it('prints the table in Spanish with the ratio against each baseline', () => {
    expect(stdout).toContain('razón (mediana)');
    expect(stdout).toContain('node -e 0');
    expect(stdout).toContain('nodemailer pool directo');
    expect(stdout).toMatch(/Resultados en .*quick\.json/);
  });
});
