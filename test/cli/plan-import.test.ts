/**
 * `plazos plan import FILE -o OUT.yaml`: the canonical YAML a planner edits from then on. It must
 * read back to the very plan the TSV gave, and a plan with errors must not be written at all.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN_TSV, buildCli, csvPlan, makeTempFolder, plazos, plazosJson, removeFolder, SEED, STACK_LINE } from './helpers';
import { PLAN_LIMITS } from '../../plans/limits';

interface Report {
  plan: { id: string; activities: { line?: number }[] } | null;
  errors: unknown[];
}

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
});
afterAll(() => removeFolder(dir));

/** The plan without source lines: they point into whichever file the plan was read from. */
function withoutLines(plan: Report['plan']): unknown {
  return plan && { ...plan, activities: plan.activities.map(({ line: _line, ...rest }) => rest) };
}

describe('importing the seed plan to YAML', () => {
  it('writes the canonical YAML, says where, and exits 0', () => {
    const out = join(dir, 'plan.yaml');
    const run = plazos(['plan', 'import', SEED, '-o', out]);
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n').pop()).toBe(`Plan escrito en ${out}.`);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml.startsWith('# Plan "Formulación Plan de Participación Ciudadana 2023" (participacion-ciudadana-2023), en el formato de plazos.\n')).toBe(true);
    expect(yaml).toContain('\nid: participacion-ciudadana-2023\n');
    expect(yaml).toContain('responsible: [ ASERA, ARCOM ]');
  });

  it('reads back with plan validate --json to the same plan as the TSV, source lines aside', () => {
    const out = join(dir, 'ida-y-vuelta.yaml');
    expect(plazos(['plan', 'import', SEED, '--output', out]).status).toBe(0);
    const fromTsv = plazosJson<Report>(['plan', 'validate', SEED, '--json']).json;
    const fromYaml = plazosJson<Report>(['plan', 'validate', out, '--json']);
    expect(fromYaml.status).toBe(0);
    expect(fromYaml.json.errors).toEqual([]);
    expect(fromYaml.json.plan?.activities).toHaveLength(19);
    expect(withoutLines(fromYaml.json.plan)).toEqual(withoutLines(fromTsv.plan));
  });

  it('takes the plan id from --id', () => {
    const out = join(dir, 'con-id.yaml');
    expect(plazos(['plan', 'import', SEED, '-o', out, '--id', 'participacion-2023']).status).toBe(0);
    expect(plazosJson<Report>(['plan', 'validate', out, '--json']).json.plan?.id).toBe('participacion-2023');
  });

  it('reports the output file and the warnings as JSON with --json', () => {
    const out = join(dir, 'json.yaml');
    const { status, json } = plazosJson<{ output: string | null; errors: unknown[]; warnings: { activity: number }[] }>([
      'plan',
      'import',
      SEED,
      '-o',
      out,
      '--json',
    ]);
    expect(status).toBe(0);
    expect(json.output).toBe(out);
    expect(json.errors).toEqual([]);
    expect([...new Set(json.warnings.map((w) => w.activity))]).toEqual([6, 11, 15, 17]);
    expect(existsSync(out)).toBe(true);
  });
});

describe('import writes only what validate reads', () => {
  it('a CSV plan imports, and the YAML written validates', () => {
    const plan = join(dir, 'normal.csv');
    const out = join(dir, 'normal.yaml');
    writeFileSync(
      plan,
      csvPlan(50, (i) => `Informe ${i}`),
    );
    expect(plazos(['plan', 'import', plan, '-o', out]).status).toBe(0);
    const back = plazos(['plan', 'validate', out]);
    expect(back.status).toBe(0);
    expect(back.stdout).toContain('50 actividades válidas');
  });

  it('a 9 MB CSV whose YAML would pass 16 MB: refused with the activity where it passes, nothing written, exit 1', () => {
    // A title that opens with an apostrophe and holds backslashes is plain in CSV and double-quoted,
    // each backslash doubled, in YAML: 2,000 activities give 9 MB of CSV and about 18 MB of YAML.
    const plan = join(dir, 'crece.csv');
    const out = join(dir, 'crece.yaml');
    writeFileSync(
      plan,
      csvPlan(2000, (i) => `'Informe ${i} ${'\\'.repeat(4500)}`),
    );
    for (const json of [false, true]) {
      const run = plazos(['plan', 'import', plan, '-o', out, ...(json ? ['--json'] : [])]);
      expect(run.status).toBe(1);
      expect(existsSync(out)).toBe(false);
      if (json) {
        const report = JSON.parse(run.stdout) as { output: string | null; errors: { file: string; field: string; activity: number }[] };
        expect(report.output).toBeNull();
        expect(report.errors).toEqual([expect.objectContaining({ file: out, field: 'file', activity: expect.any(Number) })]);
      } else {
        expect(run.stdout).toContain(`ERROR   ${out} · actividad `);
        expect(run.stdout).toContain('[file]: El plan en YAML pesaría más de 16 MB (se pasa del máximo en la actividad ');
        expect(run.stdout).toContain(`No se escribió ${out}`);
        expect(run.stdout).not.toContain('Plan escrito');
      }
    }
  });

  it('a CSV of 17,000 activities, whose YAML passes the CSV row limit: imported, and the YAML validates', () => {
    const plan = join(dir, 'largo.csv');
    const out = join(dir, 'largo.yaml');
    writeFileSync(
      plan,
      csvPlan(17_000, (i) => `Informe ${i}`),
    );
    const run = plazos(['plan', 'import', plan, '-o', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').length).toBeGreaterThan(PLAN_LIMITS.rows);
    const check = plazos(['plan', 'validate', out]);
    expect(check.status).toBe(0);
  });
});

describe('what import refuses', () => {
  it('a plan with errors: prints them, writes nothing and exits 1', () => {
    const plan = join(dir, 'roto.txt');
    const out = join(dir, 'roto.yaml');
    writeFileSync(plan, BROKEN_TSV);
    const run = plazos(['plan', 'import', plan, '-o', out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`ERROR   ${plan}, línea 5 · actividad 2 [due]: Fecha final inválida "31-abr-23": abril tiene 30 días.`);
    expect(run.stdout).not.toContain('Plan escrito');
    expect(existsSync(out)).toBe(false);
  });

  it('a plan with errors, with --json: output null, nothing written', () => {
    const plan = join(dir, 'roto-json.txt');
    const out = join(dir, 'roto-json.yaml');
    writeFileSync(plan, BROKEN_TSV);
    const { status, json } = plazosJson<{ output: string | null; errors: unknown[] }>(['plan', 'import', plan, '-o', out, '--json']);
    expect(status).toBe(1);
    expect(json.output).toBeNull();
    expect(json.errors).toHaveLength(2);
    expect(existsSync(out)).toBe(false);
  });

  it('no -o: exit 2, naming the missing option', () => {
    const run = plazos(['plan', 'import', SEED]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('Uso incorrecto: falta la opción obligatoria -o, --output <archivo>\nConsulte "plazos --help".\n');
  });

  it('an output in a folder that does not exist: exit 2, in Spanish, without a stack trace', () => {
    const out = join(dir, 'no-existe', 'plan.yaml');
    const run = plazos(['plan', 'import', SEED, '-o', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`No se pudo escribir ${out}: la carpeta no existe.\n`);
    expect(run.stderr).not.toContain(STACK_LINE);
  });
});
