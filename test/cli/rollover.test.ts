/**
 * `plazos plan rollover FILE --year YYYY | --start-on DATE [-o OUT] [--json]`, run as the real
 * command. What it writes must read back, with `plan validate`, to the plan it reports.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN_TSV, buildCli, csvPlan, makeTempFolder, plazos, plazosJson, removeFolder, SEED, STACK_LINE } from './helpers';

interface Issue {
  line: number | null;
  activity: number | null;
  field: string | null;
  message: string;
  file: string | null;
}
interface Activity {
  number: number;
  start: string;
  due: string;
  line?: number;
  recurrence?: unknown;
}
interface PlanJson {
  id: string;
  year: number;
  version?: string;
  activities: Activity[];
}

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
});
afterAll(() => removeFolder(dir));

function withoutLines(plan: PlanJson | null): unknown {
  return plan && { ...plan, activities: plan.activities.map(({ line: _line, ...rest }) => rest) };
}

describe('rolling the seed plan over to 2024', () => {
  it('writes the 2024 YAML with -o, which plan validate accepts as the very plan --json reports', () => {
    const out = join(dir, 'plan-2024.yaml');
    const run = plazos(['plan', 'rollover', SEED, '--year', '2024', '-o', out]);
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      'Plan nuevo "Formulación Plan de Participación Ciudadana 2024" (participacion-ciudadana-2024): 19 actividades, 25 advertencias.',
      `Plan escrito en ${out}.`,
    ]);
    const validated = plazosJson<{ plan: PlanJson | null; errors: Issue[] }>(['plan', 'validate', out, '--json']);
    expect(validated.status).toBe(0);
    expect(validated.json.errors).toEqual([]);
    const reported = plazosJson<{ plan: PlanJson; warnings: Issue[] }>(['plan', 'rollover', SEED, '--year', '2024', '--json']);
    expect(withoutLines(validated.json.plan)).toEqual(reported.json.plan);
  });

  it('shows each warning with the seed file and line it comes from', () => {
    const out = join(dir, 'avisos.yaml');
    const run = plazos(['plan', 'rollover', SEED, '--year', '2024', '-o', out]);
    expect(run.stdout).toContain(
      `AVISO   ${SEED}, línea 19 · actividad 3 [due]: La fecha final 2023-01-20 pasa a 2024-01-20, que cae en sábado. Se adelantó al día hábil anterior, viernes 19 de enero de 2024.`,
    );
  });

  it('without -o prints only the YAML on stdout, and the warnings on stderr', () => {
    const run = plazos(['plan', 'rollover', SEED, '--year', '2024']);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('# Plan "Formulación Plan de Participación Ciudadana 2024" (participacion-ciudadana-2024), en el formato de plazos.\n')).toBe(
      true,
    );
    expect(run.stdout).not.toContain('AVISO');
    expect(run.stdout).toContain('\nyear: 2024\n');
    expect(run.stderr).toContain('actividad 6 [start]: La fecha inicial 2022-02-20 ya estaba fuera del año del plan (2023)');
    expect(run.stderr.trimEnd().split('\n').pop()).toBe(
      'Plan nuevo "Formulación Plan de Participación Ciudadana 2024" (participacion-ciudadana-2024): 19 actividades, 25 advertencias.',
    );
  });

  it('--json prints { plan, warnings }: the moved dates, and warnings with line, activity and field but no file', () => {
    const { status, json } = plazosJson<{ plan: PlanJson; warnings: Issue[] }>(['plan', 'rollover', SEED, '--year', '2024', '--json']);
    expect(status).toBe(0);
    expect(Object.keys(json).sort()).toEqual(['plan', 'warnings']);
    expect(json.plan).toMatchObject({ id: 'participacion-ciudadana-2024', year: 2024, version: '1' });
    expect(json.plan.activities.find((a) => a.number === 3)).toMatchObject({ start: '2024-01-04', due: '2024-01-19' });
    expect(json.plan.activities.find((a) => a.number === 11)?.recurrence).toEqual({ frequency: 'monthly', due: { rule: 'end-of-period' } });
    expect(json.warnings.find((w) => w.activity === 3 && w.field === 'due')).toEqual({
      line: 19,
      activity: 3,
      field: 'due',
      message: 'La fecha final 2023-01-20 pasa a 2024-01-20, que cae en sábado. Se adelantó al día hábil anterior, viernes 19 de enero de 2024.',
      file: null,
    });
  });

  it('--json with -o also names the file written', () => {
    const out = join(dir, 'json.yaml');
    const { status, json } = plazosJson<{ output: string; plan: PlanJson }>(['plan', 'rollover', SEED, '--year', '2024', '-o', out, '--json']);
    expect(status).toBe(0);
    expect(json.output).toBe(out);
    expect(existsSync(out)).toBe(true);
  });

  it('--start-on 2026-12-01 starts the plan that day and writes a plan that validates', () => {
    const out = join(dir, 'desde.yaml');
    const run = plazos(['plan', 'rollover', SEED, '--start-on', '2026-12-01', '-o', out]);
    expect(run.status).toBe(0);
    const { status, json } = plazosJson<{ plan: PlanJson; errors: Issue[] }>(['plan', 'validate', out, '--json']);
    expect(status).toBe(0);
    expect(json.plan).toMatchObject({ id: 'participacion-ciudadana-2028', year: 2028 });
    expect(json.plan.activities.map((a) => a.start).sort()[0]).toBe('2026-12-01');
  });

  it('the 2024 YAML it wrote rolls over in turn to 2025', () => {
    const first = join(dir, 'dos-veces-2024.yaml');
    const second = join(dir, 'dos-veces-2025.yaml');
    expect(plazos(['plan', 'rollover', SEED, '--year', '2024', '-o', first]).status).toBe(0);
    expect(plazos(['plan', 'rollover', first, '--year', '2025', '-o', second]).status).toBe(0);
    const plan = plazosJson<{ plan: PlanJson }>(['plan', 'validate', second, '--json']).json.plan;
    expect(plan).toMatchObject({ id: 'participacion-ciudadana-2025', year: 2025 });
    // 2024-01-19 (Friday) -> Sunday 19 January 2025 -> Friday 17 January.
    expect(plan.activities.find((a) => a.number === 3)).toMatchObject({ start: '2025-01-07', due: '2025-01-17' });
  });
});

describe('what rollover refuses', () => {
  it('a plan with errors: shows them, writes nothing and exits 1', () => {
    const plan = join(dir, 'roto.txt');
    const out = join(dir, 'roto-2024.yaml');
    writeFileSync(plan, BROKEN_TSV);
    const run = plazos(['plan', 'rollover', plan, '--year', '2024', '-o', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`ERROR   ${plan}, línea 5 · actividad 2 [due]: Fecha final inválida "31-abr-23": abril tiene 30 días.`);
    expect(run.stderr).toContain('El plan "Plan de Prueba 2023" tiene errores: corríjalos antes de preparar el del año siguiente. No se escribió nada.');
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('a plan with errors, with --json: plan null and the errors', () => {
    const plan = join(dir, 'roto-json.txt');
    writeFileSync(plan, BROKEN_TSV);
    const { status, json } = plazosJson<{ plan: null; errors: Issue[] }>(['plan', 'rollover', plan, '--year', '2024', '--json']);
    expect(status).toBe(1);
    expect(json.plan).toBeNull();
    expect(json.errors.map((e) => e.activity)).toEqual([2, 3]);
  });

  it('a file that does not exist: exit 2', () => {
    const run = plazos(['plan', 'rollover', join(dir, 'no-existe.txt'), '--year', '2024']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('el archivo no existe');
    expect(run.stdout).toBe('');
  });
});

describe('usage errors: exit 2, a Spanish message, no stack trace, nothing written', () => {
  const cases: [string, string[], string][] = [
    [
      'neither --year nor --start-on',
      [],
      'Uso incorrecto: indique el año del plan nuevo con --year AAAA, o su primera fecha inicial con --start-on AAAA-MM-DD',
    ],
    ['a year that is not a number', ['--year', '20x4'], 'Uso incorrecto: --year "20x4": se espera un año de cuatro cifras, p. ej. --year 2024'],
    ['a year no plan can have', ['--year', '1983'], 'Uso incorrecto: --year 1983: el año de un plan va de 1984 a 2100'],
    ["the plan's own year", ['--year', '2023'], 'Uso incorrecto: --year 2023 es el año del plan actual: indique el del plan nuevo, p. ej. --year 2024'],
    [
      'a start date that does not exist',
      ['--start-on', '2024-02-30'],
      'Uso incorrecto: --start-on "2024-02-30": se espera una fecha real AAAA-MM-DD, p. ej. --start-on 2024-01-15',
    ],
    ['a start date in another format', ['--start-on', '4-ene-24'], 'Uso incorrecto: --start-on "4-ene-24": se espera una fecha real AAAA-MM-DD'],
    [
      '--year and --start-on that disagree',
      ['--year', '2027', '--start-on', '2026-12-01'],
      'Uso incorrecto: --year 2027 no concuerda con --start-on 2026-12-01: empezando ese día, el plan queda en el año 2028. Use solo una de las dos opciones, o hágalas coincidir',
    ],
  ];

  it.each(cases)('%s', (_name, args, message) => {
    const out = join(dir, `uso-${args.join('_') || 'vacio'}.yaml`);
    const run = plazos(['plan', 'rollover', SEED, ...args, '-o', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain(STACK_LINE);
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('says it in English with PLAZOS_LANG=en', () => {
    const run = plazos(['plan', 'rollover', SEED], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Usage error: give the new plan's year with --year YYYY, or its first start date with --start-on YYYY-MM-DD");
  });

  it('an output folder that does not exist: exit 2, in Spanish', () => {
    const out = join(dir, 'no-hay-carpeta', 'plan.yaml');
    const run = plazos(['plan', 'rollover', SEED, '--year', '2024', '-o', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`No se pudo escribir ${out}: la carpeta no existe.`);
    expect(run.stderr).not.toContain(STACK_LINE);
  });
});

describe('the YAML it writes', () => {
  it('has no lines of the old file, no 2023 people and no 2023 version date', () => {
    const out = join(dir, 'limpio.yaml');
    expect(plazos(['plan', 'rollover', SEED, '--year', '2024', '-o', out]).status).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).not.toMatch(/^\s*line:/m);
    expect(yaml).not.toContain('preparedBy');
    expect(yaml).not.toContain('reviewedBy');
    expect(yaml).not.toContain('versionDate');
    expect(yaml).toContain('\nversion: "1"\n');
  });
});

describe('rollover writes only what validate reads', () => {
  it('a 9 MB CSV whose next year in YAML would pass 16 MB: refused, nothing written, exit 1', () => {
    // As in plan-import.test.ts: apostrophe and backslashes are plain in CSV, doubled in YAML.
    const plan = join(dir, 'crece-rollover.csv');
    const out = join(dir, 'crece-2024.yaml');
    writeFileSync(
      plan,
      csvPlan(2000, (i) => `'Informe ${i} ${'\\'.repeat(4500)}`),
    );
    const run = plazos(['plan', 'rollover', plan, '--year', '2024', '-o', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('[file]: El plan en YAML pesaría más de 16 MB (se pasa del máximo en la actividad ');
    expect(existsSync(out)).toBe(false);
  });
});
