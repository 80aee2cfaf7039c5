/**
 * `plazos plan validate FILE [--areas F] [--json]`, run as a planner runs it: exit 0 without
 * errors, 1 with errors, 2 when the command line is wrong or a file cannot be read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BAD_AREAS, BROKEN_CSV, BROKEN_TSV, buildCli, makeTempFolder, plazos, plazosJson, removeFolder, SEED, STACK_LINE } from './helpers';

interface Issue {
  line: number | null;
  activity: number | null;
  field: string | null;
  message: string;
  file: string | null;
}
interface Activity {
  number: number;
  title: string;
  responsible: string[];
}
interface Report {
  plan: { title: string; activities: Activity[] } | null;
  errors: Issue[];
  warnings: Issue[];
}

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
});
afterAll(() => removeFolder(dir));

function writePlan(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('validating the 2023 Citizen Participation Plan as given', () => {
  it('accepts all 19 activities with no errors, and exits 0', () => {
    const run = plazos(['plan', 'validate', SEED]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Plan "Formulación Plan de Participación Ciudadana 2023": 19 actividades válidas. (0 errores, 9 advertencias)');
    expect(run.stdout).not.toContain('ERROR');
  });

  it('shows each warning on its own line with the file, line, activity and field', () => {
    const lines = plazos(['plan', 'validate', SEED]).stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('AVISO'))).toHaveLength(9);
    expect(lines).toContain(`AVISO   ${SEED}, línea 22 · actividad 6 [start]: La fecha inicial "20-feb-22" (2022-02-20) está fuera del año del plan (2023).`);
    expect(lines).toContain(`AVISO   ${SEED}, línea 33 · actividad 15 [due]: La fecha final "16-nov-22" (2022-11-16) está fuera del año del plan (2023).`);
  });

  it('prints exactly { plan, errors, warnings } with --json, warning about activities 6, 11, 15 and 17 only', () => {
    const { status, json } = plazosJson<Report>(['plan', 'validate', SEED, '--json']);
    expect(status).toBe(0);
    expect(Object.keys(json)).toEqual(['plan', 'errors', 'warnings']);
    expect(json.plan?.activities.map((a) => a.number)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(json.errors).toEqual([]);
    expect(json.warnings.map((w) => [w.activity, w.line, w.field])).toEqual([
      [6, 22, 'start'],
      [6, 22, 'due'],
      [11, 29, 'start'],
      [11, 29, 'due'],
      [11, 29, 'recurrence'],
      [15, 33, 'start'],
      [15, 33, 'due'],
      [17, 35, 'start'],
      [17, 35, 'due'],
    ]);
    for (const w of json.warnings) {
      expect(Object.keys(w).sort()).toEqual(['activity', 'field', 'file', 'line', 'message']);
      expect(w.file).toBe(SEED);
    }
    expect(json.warnings[4]?.message).toBe(
      'El nombre dice "mensual": se asumió una entrega mensual al final de cada periodo. Puede fijar la periodicidad con la clave "recurrence" en el plan YAML.',
    );
  });
});

describe('a plan with broken rows', () => {
  it('TSV: lists each error at its line and activity, and exits 1', () => {
    const file = writePlan('plan-roto.txt', BROKEN_TSV);
    const run = plazos(['plan', 'validate', file]);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      `ERROR   ${file}, línea 5 · actividad 2 [due]: Fecha final inválida "31-abr-23": abril tiene 30 días.`,
      `ERROR   ${file}, línea 6 · actividad 3 [responsible]: Área desconocida "XYZW": no está en el directorio de áreas (OAPLA, ARCOM, ASERA, ARACF, ARVIV, OCI).`,
      'El plan "Plan de Prueba 2023" tiene errores; corríjalos antes de iniciarlo. (2 errores, 0 advertencias)',
      '',
    ]);
    expect(run.stderr).not.toContain(STACK_LINE);
  });

  it('TSV with --json: the located errors, and the good activities still in plan.activities', () => {
    const file = writePlan('plan-roto.tsv', BROKEN_TSV);
    const { status, json } = plazosJson<Report>(['plan', 'validate', file, '--json']);
    expect(status).toBe(1);
    expect(json.errors).toEqual([
      { line: 5, activity: 2, field: 'due', message: 'Fecha final inválida "31-abr-23": abril tiene 30 días.', file },
      { line: 6, activity: 3, field: 'responsible', message: expect.stringContaining('Área desconocida "XYZW"'), file },
    ]);
    expect(json.plan?.activities.map((a) => [a.number, a.title, a.responsible])).toEqual([
      [1, 'Informe A', ['OAPLA']],
      [4, 'Informe D', ['ARCOM']],
    ]);
  });

  it('CSV from Excel (semicolons, quotes, CRLF) with --json: the located errors and the good activities', () => {
    const file = writePlan('plan-roto.csv', BROKEN_CSV);
    const { status, json } = plazosJson<Report>(['plan', 'validate', file, '--json']);
    expect(status).toBe(1);
    expect(json.errors).toEqual([
      { line: 4, activity: 2, field: 'start', message: 'Fecha inicial inválida "32-ene-23": enero tiene 31 días.', file },
      { line: 5, activity: 3, field: 'deliverable', message: 'Falta el producto o entregable.', file },
    ]);
    expect(json.plan?.activities.map((a) => [a.number, a.title, a.responsible])).toEqual([
      [1, 'Informe A, con coma', ['OAPLA']],
      [4, 'Informe D', ['OAPLA', 'ARCOM']],
    ]);
  });
});

describe('a bad areas directory refuses the plan and names the areas file', () => {
  it('given with --areas: the error at its line in that file, exit 1', () => {
    const areas = writePlan('areas-malas.yaml', BAD_AREAS);
    const run = plazos(['plan', 'validate', SEED, '--areas', areas]);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      `ERROR   ${areas}, línea 3: Área "OAPLA", correo 1 "planeacion-sin-arroba": Dirección de correo inválida.`,
      'El plan no se revisó: corrija primero el directorio de áreas. (1 error, 0 advertencias)',
      '',
    ]);
  });

  it('given with PLAZOS_AREAS: the same error in the JSON report, exit 1', () => {
    const areas = writePlan('areas-env.yaml', BAD_AREAS);
    const { status, json } = plazosJson<Report>(['plan', 'validate', SEED, '--json'], { PLAZOS_AREAS: areas });
    expect(status).toBe(1);
    expect(json).toEqual({
      plan: null,
      errors: [{ line: 3, activity: null, field: null, message: 'Área "OAPLA", correo 1 "planeacion-sin-arroba": Dirección de correo inválida.', file: areas }],
      warnings: [],
    });
  });

  it('--areas wins over PLAZOS_AREAS', () => {
    const bad = writePlan('areas-ganan.yaml', BAD_AREAS);
    const run = plazos(['plan', 'validate', SEED, '--areas', bad], { PLAZOS_AREAS: join(dir, 'no-existe.yaml') });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`ERROR   ${bad}, línea 3:`);
    expect(run.stdout).not.toContain('no-existe.yaml');
  });

  it('an areas file that does not exist: exit 2, saying so', () => {
    const missing = join(dir, 'sin-areas.yaml');
    const run = plazos(['plan', 'validate', SEED, '--areas', missing]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`No se pudo leer el directorio de áreas "${missing}": no existe.`);
  });
});

describe('what cannot be validated exits 2 with a message in Spanish and no stack trace', () => {
  it('a plan file that does not exist', () => {
    const run = plazos(['plan', 'validate', 'plans/examples/no-existe.txt']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('No se pudo leer "plans/examples/no-existe.txt": el archivo no existe.');
    expect(run.stderr).not.toContain(STACK_LINE);
  });

  it('a plan file that does not exist, with --json: the reason as a file error', () => {
    const { status, json } = plazosJson<Report>(['plan', 'validate', 'no-existe.csv', '--json']);
    expect(status).toBe(2);
    expect(json).toEqual({
      plan: null,
      errors: [{ line: null, activity: null, field: 'file', message: 'No se pudo leer "no-existe.csv": el archivo no existe.', file: 'no-existe.csv' }],
      warnings: [],
    });
  });

  it('a folder given as the plan', () => {
    const run = plazos(['plan', 'validate', 'plans/examples']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('No se pudo leer "plans/examples": es una carpeta, no un archivo.');
    expect(run.stderr).not.toContain(STACK_LINE);
  });

  it('a folder whose name looks like a plan file', () => {
    const folder = join(dir, 'carpeta.txt');
    mkdirSync(folder);
    const run = plazos(['plan', 'validate', folder]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`No se pudo leer "${folder}": es una carpeta, no un archivo.`);
  });

  it.each([
    ['an unknown option', ['plan', 'validate', SEED, '--bogus'], 'opción desconocida --bogus'],
    ['a missing plan argument', ['plan', 'validate'], 'falta el argumento archivo'],
    ['--areas without its value', ['plan', 'validate', SEED, '--areas'], 'la opción --areas <archivo> necesita un valor'],
    ['an extra argument', ['plan', 'validate', SEED, 'otro.txt'], 'sobran argumentos'],
    ['an unknown plan command', ['plan', 'validar', SEED], 'orden desconocida validar'],
    ['an unknown command', ['planes'], 'orden desconocida planes'],
  ])('%s', (_case, args, detail) => {
    const run = plazos(args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`Uso incorrecto: ${detail}\nConsulte "plazos --help".\n`);
  });
});

describe('PLAZOS_LANG=en', () => {
  it("turns the CLI's own words into English; the plan's findings stay in the plan's Spanish", () => {
    const run = plazos(['plan', 'validate', SEED], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Plan "Formulación Plan de Participación Ciudadana 2023": 19 valid activities. (0 errors, 9 warnings)');
    expect(run.stdout).toContain(`WARNING ${SEED}, line 35 · activity 17 [due]: La actividad dura más de un año: del 2022-10-17 al 2023-11-30.`);
  });

  it('gives usage errors in English', () => {
    const run = plazos(['plan', 'validate', SEED, '--bogus'], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('Usage error: unknown option --bogus\nSee "plazos --help".\n');
  });
});
