/**
 * What the hostile user ran, as they ran it: `plazos plan validate | preview | import` on files
 * built to hurt. Every run ends with a located message in Spanish and the documented exit code
 * (1 refused, 2 usage or a file that cannot be opened), never "Error interno" or a stack trace.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN_LIMITS } from '../../plans/limits';
import { buildZip } from '../helpers/zip';

const THIRTY_MB_OF_ZEROS = Buffer.alloc(30 * 1024 * 1024);
import { buildCli, makeTempFolder, plazos, plazosJson, removeFolder, SEED, STACK_LINE, type Run } from './helpers';

interface Report {
  plan?: unknown;
  notifications?: unknown;
  errors: { line: number | null; activity: number | null; field: string | null; message: string; file: string | null }[];
  warnings: unknown[];
}

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
});
afterAll(() => removeFolder(dir));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function neverInternal(run: Run): void {
  expect(run.stderr).not.toContain('Error interno');
  expect(run.stderr).not.toContain(STACK_LINE);
  expect(run.stdout).not.toContain('Error interno');
}

const LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from(
    { length: 8 },
    (_, i) =>
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array<string>(9)
        .fill(`*${String.fromCharCode(97 + i)}`)
        .join(', ')}]`,
  ),
].join('\n');

describe('the files the hostile user found unhandled', () => {
  it('a plan with nested YAML aliases: exit 1, the file and the line of the first alias', () => {
    const plan = file('risas.yaml', `id: x-2023\ntitle: Plan 2023\nyear: 2023\n${LAUGHS}\nactivities: []\n`);
    const run = plazos(['plan', 'validate', plan]);
    neverInternal(run);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`ERROR   ${plan}, línea 5 · [file]: Los alias del archivo (*nombre) copian más de 1.000 valores`);
  });

  it('an areas directory with nested YAML aliases (--areas): exit 1, the areas file and its line', () => {
    const areas = file('areas-risas.yaml', LAUGHS);
    const run = plazos(['plan', 'validate', SEED, '--areas', areas]);
    neverInternal(run);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`ERROR   ${areas}, línea 2 · [file]: Los alias del archivo`);
  });

  it('a calendar file (PLAZOS_CALENDAR) with nested aliases: its file and line, no internal error', () => {
    const calendar = file('calendario-risas.yaml', LAUGHS);
    const run = plazos(['plan', 'validate', SEED], { PLAZOS_CALENDAR: calendar });
    neverInternal(run);
    // A calendar that cannot be used is a configuration error, as before: exit 2.
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${calendar}, línea 2: Los alias del archivo`);
  });

  it('a symlink to /dev/zero: refused at once by what it is, exit 1', () => {
    const link = join(dir, 'cero.txt');
    symlinkSync('/dev/zero', link);
    const run = plazos(['plan', 'validate', link]);
    neverInternal(run);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`ERROR   ${link} · [file]: No se leyó "${link}": no es un archivo común`);
  });

  it('a FIFO given as the plan: refused without waiting for a writer, exit 1', () => {
    const fifo = join(dir, 'tuberia.csv');
    execFileSync('mkfifo', [fifo]);
    const run = plazos(['plan', 'preview', fifo]);
    neverInternal(run);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no es un archivo común');
  });

  it('a plan file past the size limit: refused by its size without reading it, exit 1, --json too', () => {
    const big = join(dir, 'enorme.tsv');
    writeFileSync(big, '');
    truncateSync(big, PLAN_LIMITS.fileBytes * 4);
    const { status, json } = plazosJson<Report>(['plan', 'validate', big, '--json']);
    expect(status).toBe(1);
    expect(json.errors).toEqual([{ file: big, line: null, activity: null, field: 'file', message: `No se leyó "${big}": pesa 64 MB y el máximo es 16 MB.` }]);
  });

  it('an areas file past its size limit: refused, exit 1', () => {
    const big = join(dir, 'areas-enorme.yaml');
    writeFileSync(big, '');
    truncateSync(big, PLAN_LIMITS.areasFileBytes + 1);
    const run = plazos(['plan', 'validate', SEED, '--areas', big]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`No se pudo leer el directorio de áreas "${big}": pesa más de 1 MB y el máximo es 1 MB.`);
  });

  it('UTF-16LE with BOM (Excel\'s "Texto Unicode"): read like the seed, exit 0', () => {
    const seed = readFileSync(join(__dirname, '..', '..', SEED), 'utf8');
    const plan = file('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seed.replace(/\n/g, '\r\n'), 'utf16le')]));
    const run = plazos(['plan', 'validate', plan]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Plan "Formulación Plan de Participación Ciudadana 2023": 19 actividades válidas.');
  });

  it('a title with NUL and terminal sequences: removed with a warning on its line, and preview prints none of them', () => {
    const seed = readFileSync(join(__dirname, '..', '..', SEED), 'utf8').split('\n');
    seed[16] = `\u001b]0;pwned\u0007\u001b[2J\u0000${seed[16] as string}`;
    const plan = file('control.txt', seed.join('\n'));
    const validate = plazos(['plan', 'validate', plan]);
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain(`AVISO   ${plan}, línea 17 · [file]: Se quitaron caracteres de control`);
    const preview = plazos(['plan', 'preview', plan]);
    expect(preview.status).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(preview.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(preview.stdout).toContain('1. Realizar autodiagnóstico de participación');
  });
});

describe('the same exit code for the same kind of problem, in every format', () => {
  it.each([
    [
      'a CSV quoting error with a year in the title',
      'comillas-2023.csv',
      'Plan 2023\nActividades,Fecha inicial,Fecha Final,Responsable,PRODUCTO O ENTREGABLE\n"Informe,1-mar-23,31-mar-23,OAPLA,x\n',
    ],
    [
      'a CSV quoting error without a year anywhere',
      'comillas.csv',
      'Actividades,Fecha inicial,Fecha Final,Responsable,PRODUCTO O ENTREGABLE\n"Informe,1-mar-23,31-mar-23,OAPLA,x\n',
    ],
    ['a YAML syntax error', 'sintaxis.yaml', 'id: x-2023\n  title: [\n'],
    ['a YAML value of the wrong type', 'tipos.yaml', 'id: x-2023\ntitle: Plan 2023\nyear: dos mil\nactivities: []\n'],
    ['an XLSX that is not a workbook', 'roto.xlsx', 'esto no es un libro'],
  ])('%s: exit 1, located, for validate, preview and import', (_case, name, content) => {
    const plan = file(name, content);
    for (const args of [
      ['plan', 'validate', plan],
      ['plan', 'preview', plan],
      ['plan', 'import', plan, '-o', join(dir, 'salida.yaml')],
    ]) {
      const run = plazos(args);
      neverInternal(run);
      expect({ args, status: run.status }).toEqual({ args, status: 1 });
      expect(`${run.stdout}${run.stderr}`).toContain(`ERROR   ${plan}`);
    }
  });

  it('a plan file that does not exist stays a usage error: exit 2', () => {
    expect(plazos(['plan', 'validate', join(dir, 'no-existe.yaml')]).status).toBe(2);
  });

  it('plan import --id "../../x": a usage error that names --id, before the plan is read, exit 2', () => {
    const run = plazos(['plan', 'import', SEED, '-o', join(dir, 'x.yaml'), '--id', '../../x']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'Uso incorrecto: --id "../../x": el identificador del plan va en minúsculas, números y guiones (p. ej. participacion-ciudadana-2024), hasta 64 caracteres\nConsulte "plazos --help".\n',
    );
  });

  it('the same --id mistake in English with PLAZOS_LANG=en', () => {
    const run = plazos(['plan', 'import', SEED, '-o', join(dir, 'x.yaml'), '--id', 'Plan 2024'], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage error: --id "Plan 2024": a plan id is lowercase letters, digits and hyphens');
  });
});

describe('--json when the plan is refused', () => {
  it('preview --json of a refused plan prints the errors as JSON on stdout', () => {
    const plan = file('roto.yaml', 'id: x-2023\n  title: [\n');
    const { status, json } = plazosJson<Report>(['plan', 'preview', plan, '--json']);
    expect(status).toBe(1);
    expect(json.notifications).toBeNull();
    expect(json.errors[0]).toEqual({
      file: plan,
      line: 1,
      activity: null,
      field: 'file',
      message: expect.stringContaining('El archivo YAML no es válido en la línea 1'),
    });
  });
});

describe('evidence submit --file: the checks of the web form, before the server is asked anything', () => {
  // No server listens there: every refusal below happens before plazos would connect.
  const NOWHERE = { TEMPORAL_ADDRESS: '127.0.0.1:9' };

  it.each([
    ['an executable named .pdf', 'informe.pdf', Buffer.from('MZ este programa'), 'el contenido no es un PDF'],
    // Nine parts of 30 MB of zeros: 270 MB unzipped, past ten times the 25 MB upload limit.
    [
      'a zip bomb named .docx',
      'acta.docx',
      buildZip(Array.from({ length: 9 }, (_, i) => ({ name: `word/media/${i}.xml`, data: THIRTY_MB_OF_ZEROS }))),
      'se expande a más de 250 MB',
    ],
  ])('%s: exit 1, said in Spanish', (_case, name, content, words) => {
    const run = plazos(['evidence', 'submit', 'plan-2023', '1', '--file', file(name, content)], NOWHERE);
    neverInternal(run);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(words);
  });

  it('a symlink to /dev/zero: exit 1, refused by what it is', () => {
    const link = join(dir, 'evidencia.pdf');
    symlinkSync('/dev/zero', link);
    const run = plazos(['evidence', 'submit', 'plan-2023', '1', '--file', link], NOWHERE);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no es un archivo común');
  });

  it('a file that does not exist: exit 2', () => {
    const run = plazos(['evidence', 'submit', 'plan-2023', '1', '--file', join(dir, 'no-existe.pdf')], NOWHERE);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('el archivo no existe');
  });
});
