/**
 * Plans made to hurt: huge, nested, mis-encoded, full of control characters or broken quotes.
 * Each is refused or cleaned with an issue that names the file and the place, within the limits
 * of plans/limits.ts, and none costs more than reading its bytes once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { checkArchive } from '../../plans/importers/archive';
import { parseAreas } from '../../config/load-areas';
import { importCsvPlan, scanCsv } from '../../plans/importers/csv';
import { importPlanFile } from '../../plans/importers/read-file';
import { importTsvPlan } from '../../plans/importers/tsv';
import { importXlsxPlan } from '../../plans/importers/xlsx';
import { importYamlPlan } from '../../plans/importers/yaml';
import { PLAN_LIMITS } from '../../plans/limits';
import { issueCount } from '../../plans/model';
import { buildZip, zipBomb } from '../helpers/zip';
import { options, realAreas, seedText, toXlsx } from './support';
import { BusinessCalendar } from '../../calendar/business-calendar';

const HEADER = 'Actividades\tFecha inicial\tFecha Final\tResponsable\tPRODUCTO O ENTREGABLE';
const GOOD_A = 'Informe A\t4-ene-23\t31-ene-23\tOAPLA Oficina Asesora de Planeación\tInforme A.';
const GOOD_C = 'Informe C\t1-feb-23\t28-feb-23\tARCOM Área de Comunicaciones\tInforme C.';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'plazos-hostile-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `lines` CSV activity rows, each with a quote in the middle of its title as a planner types inches. */
function strayQuotes(lines: number): string {
  const rows = ['Plan de Dotación 2023', 'Actividades;Fecha inicial;Fecha Final;Responsable;PRODUCTO O ENTREGABLE'];
  for (let i = 0; i < lines; i++) rows.push(`Pantalla de 32" instalada en la sede ${i};01/03/2023;31/03/2023;OAPLA;Acta ${i}`);
  return rows.join('\n');
}

describe('CSV with broken quoting is read in one pass', () => {
  it('40,000 lines with a stray quote each: every line reported, each character looked at most once', () => {
    const text = strayQuotes(40_000);
    const scan = scanCsv(text, ';');
    expect(scan.failures).toHaveLength(40_000);
    expect(scan.failures[39_999]).toEqual({ line: 40_002, problem: 'quote-inside' });
    expect(scan.scanned).toBeLessThanOrEqual(text.length);
  });

  it('an unclosed quote on every line: the re-reading after each failure stays bounded, so work grows with the lines, not their square', () => {
    const unclosed = (n: number) =>
      strayQuotes(n)
        .replace(/\n(Pantalla)/g, '\n"$1')
        .replace(/32"/g, '32');
    const small = scanCsv(unclosed(10_000), ';');
    const large = scanCsv(unclosed(40_000), ';');
    expect(large.failures).toHaveLength(40_000);
    // Four times the lines, four times the work (a quadratic reader does sixteen).
    expect(large.scanned / small.scanned).toBeLessThan(4.1);
  });

  it('a quoted field that never closes is given up after PLAN_LIMITS.quotedFieldLines lines, and the rows after it are read', () => {
    const filler = Array.from({ length: PLAN_LIMITS.quotedFieldLines + 5 }, (_, i) => `Informe ${i},1/03/2023,31/03/2023,OAPLA,Informe ${i}.`);
    const csv = [
      'Plan de Prueba 2023',
      'Actividades,Fecha inicial,Fecha Final,Responsable,PRODUCTO O ENTREGABLE',
      '"Informe abierto,1/03/2023,31/03/2023,OAPLA,x',
      ...filler,
    ].join('\n');
    const result = importCsvPlan(csv, options('prueba.csv'));
    expect(result.errors).toEqual([
      { file: 'prueba.csv', line: 3, activity: null, field: 'file', message: expect.stringContaining('unas comillas se abren y nunca se cierran') },
    ]);
    expect(result.plan?.activities).toHaveLength(filler.length);
  });

  it('lists the first PLAN_LIMITS.issues errors, and one entry that counts the rest from where they start', () => {
    const result = importCsvPlan(strayQuotes(1_500), options('prueba.csv'));
    expect(result.errors).toHaveLength(PLAN_LIMITS.issues + 1);
    expect(issueCount(result.errors)).toBe(1_500);
    expect(result.errors[0]).toEqual({
      file: 'prueba.csv',
      line: null,
      activity: null,
      field: 'file',
      more: 500,
      message: 'Hay 500 errores más que no se listan (se muestran los primeros 1.000), el primero en la línea 1003.',
    });
  });
});

describe('sizes past the limits are refused where they are', () => {
  it(`a text of more than ${PLAN_LIMITS.rows} lines: refused at the first line past the limit, before any row is read`, () => {
    const text = `Plan 2023\n${HEADER}\n${'\n'.repeat(PLAN_LIMITS.rows)}`;
    const result = importTsvPlan(text, options('plan.txt'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      { file: 'plan.txt', line: PLAN_LIMITS.rows + 1, activity: null, field: 'file', message: expect.stringContaining('más de 100.000 líneas') },
    ]);
  });

  it(`more than ${PLAN_LIMITS.activities} activities: refused at the first one past the limit, without checking them one by one`, () => {
    const row = 'Informe\t4-ene-23\t31-ene-23\tOAPLA\tInforme.';
    const text = ['Plan 2023', HEADER, ...Array<string>(PLAN_LIMITS.activities + 1).fill(row)].join('\n');
    const result = importTsvPlan(text, options('plan.txt'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      {
        file: 'plan.txt',
        line: PLAN_LIMITS.activities + 3,
        activity: null,
        field: 'plan',
        message: 'El plan tiene 50.001 actividades y el máximo es 50.000: divídalo en varios planes.',
      },
    ]);
  });

  it('a 10,000-character responsible cell that begins "OAPLA " is refused on its line and field, not taken as OAPLA', () => {
    const long = `OAPLA ${'Oficina '.repeat(1250)}`;
    const result = importTsvPlan(['Plan 2023', HEADER, GOOD_A, `Informe B\t1-mar-23\t31-mar-23\t${long}\tInforme B.`, GOOD_C].join('\n'), options('plan.txt'));
    expect(result.errors).toEqual([
      {
        file: 'plan.txt',
        line: 4,
        activity: 2,
        field: 'responsible',
        message: expect.stringMatching(/^La celda tiene 10\.005 caracteres y el máximo es 5\.000: "OAPLA Oficina/),
      },
    ]);
    expect(result.plan?.activities.map((a) => a.title)).toEqual(['Informe A', 'Informe C']);
  });

  it(`a cell of exactly ${PLAN_LIMITS.cellChars} characters is read`, () => {
    const deliverable = `Informe ${'x'.repeat(PLAN_LIMITS.cellChars - 8)}`;
    const result = importTsvPlan(['Plan 2023', HEADER, `Informe B\t1-mar-23\t31-mar-23\tOAPLA\t${deliverable}`].join('\n'), options('plan.txt'));
    expect(result.errors).toEqual([]);
    expect(result.plan?.activities[0]?.deliverable).toHaveLength(PLAN_LIMITS.cellChars);
  });
});

describe('control characters are removed, with a warning on their line', () => {
  it('NUL and a terminal colour sequence in a TSV title', () => {
    const result = importTsvPlan(
      ['Plan 2023', HEADER, GOOD_A, 'Informe\u0000 \u001b[31mrojo\u001b[0m B\t1-mar-23\t31-mar-23\tOAPLA\tInforme B.'].join('\n'),
      options('plan.txt'),
    );
    expect(result.errors).toEqual([]);
    expect(result.plan?.activities[1]?.title).toBe('Informe rojo B');
    expect(result.warnings).toContainEqual({
      file: 'plan.txt',
      line: 4,
      activity: null,
      field: 'file',
      message: expect.stringContaining('Se quitaron caracteres de control'),
    });
  });

  it('escapes in a YAML value (\\e, \\0) that put them there after parsing', () => {
    const yaml = [
      'id: prueba-2023',
      'title: "Plan \\e[2J de Prueba 2023"',
      'year: 2023',
      'activities:',
      '  - title: "Informe\\0 A"',
      '    start: 2023-01-04',
      '    due: 2023-01-31',
      '    responsible: [OAPLA]',
      '    deliverable: Informe A.',
    ].join('\n');
    const result = importYamlPlan(yaml, options('plan.yaml'));
    expect(result.errors).toEqual([]);
    expect(result.plan?.title).toBe('Plan  de Prueba 2023');
    expect(result.plan?.activities[0]?.title).toBe('Informe A');
    expect(result.warnings.filter((w) => w.message.startsWith('Se quitaron')).map((w) => [w.line, w.field])).toEqual([
      [2, 'title'],
      [5, 'title'],
    ]);
  });

  it('a file full of them gives twenty warnings and one that counts the other lines', () => {
    const rows = Array.from({ length: 100 }, (_, i) => `Informe ${i}\u0007\t1-mar-23\t31-mar-23\tOAPLA\tInforme ${i}.`);
    const result = importTsvPlan(['Plan 2023', HEADER, ...rows].join('\n'), options('plan.txt'));
    const removed = result.warnings.filter((w) => w.message.startsWith('Se quitaron'));
    expect(removed).toHaveLength(21);
    expect(removed[0]?.message).toMatch(/en 80 líneas más\.$/);
    expect(result.plan?.activities).toHaveLength(100);
  });
});

/** The first `&a` anchors nine strings; each next one nine aliases of the previous: 9^9 strings in all. */
function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
    lines.push(`${name}: &${name} [${Array<string>(9).fill(`*${prev}`).join(', ')}]`);
  }
  return lines.join('\n');
}

describe('YAML that would exhaust the machine', () => {
  it('nested aliases ("billion laughs") in a plan: refused at the line of the first alias', () => {
    const result = importYamlPlan(`id: prueba-2023\ntitle: Plan 2023\nyear: 2023\n${billionLaughs()}\nactivities: []\n`, options('plan.yaml'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      {
        file: 'plan.yaml',
        line: 5,
        activity: null,
        field: 'file',
        message: expect.stringContaining('Los alias del archivo (*nombre) copian más de 1.000 valores'),
      },
    ]);
  });

  it('nested aliases in the areas directory: refused at the line of the first alias', () => {
    const result = parseAreas(billionLaughs(), 'areas.yaml');
    expect(result.areas).toBeNull();
    expect(result.errors).toEqual([{ file: 'areas.yaml', line: 2, activity: null, field: 'file', message: expect.stringContaining('Los alias del archivo') }]);
  });

  it('an alias used a few times, as a hand-written plan shares a policy, is read', () => {
    const items = Array.from({ length: 50 }, (_, i) =>
      [
        `  - title: Informe ${i}`,
        '    start: 2023-01-04',
        '    due: 2023-01-31',
        '    responsible: [OAPLA]',
        `    deliverable: Informe ${i}.`,
        '    policy: *p',
      ].join('\n'),
    );
    const result = importYamlPlan(
      `id: prueba-2023\ntitle: Plan 2023\nyear: 2023\nx-policy: &p {maxEscalations: 1}\nactivities:\n${items.join('\n')}\n`,
      options('plan.yaml'),
    );
    expect(result.errors).toEqual([]);
    expect(result.plan?.activities.every((a) => a.policy?.maxEscalations === 1)).toBe(true);
  });

  it(`a YAML of more than ${PLAN_LIMITS.yamlLines} lines is refused before parsing, at the line past the limit`, () => {
    const text = 'id: plan\n' + '# relleno\n'.repeat(PLAN_LIMITS.yamlLines);
    const result = importYamlPlan(text, options('plan.yaml'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      { file: 'plan.yaml', line: PLAN_LIMITS.yamlLines + 1, activity: null, field: 'file', message: expect.stringContaining('más de 500.000 líneas') },
    ]);
  });

  it(`collections nested past ${PLAN_LIMITS.yamlDepth} levels: refused at the line where the limit is passed`, () => {
    const text = Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}- `).join('\n');
    const result = importYamlPlan(text, options('plan.yaml'));
    expect(result.errors).toEqual([
      { file: 'plan.yaml', line: PLAN_LIMITS.yamlDepth + 1, activity: null, field: 'plan', message: expect.stringContaining('anidadas a más de 32 niveles') },
    ]);
  });

  it("10,000 nested flow brackets: the parser's own limit, said in a planner's words", () => {
    const result = importYamlPlan(`${'['.repeat(10_000)}${']'.repeat(10_000)}`, options('plan.yaml'));
    expect(result.plan).toBeNull();
    expect(result.errors[0]).toEqual({
      file: 'plan.yaml',
      line: 1,
      activity: null,
      field: 'file',
      message: expect.stringContaining('anidadas a más profundidad'),
    });
  });

  it(`a line indented past ${PLAN_LIMITS.yamlIndent} columns is refused before parsing`, () => {
    const text = Array.from({ length: 5_000 }, (_, i) => `${' '.repeat(i)}- `).join('\n');
    const result = importYamlPlan(text, options('plan.yaml'));
    expect(result.errors).toEqual([
      {
        file: 'plan.yaml',
        line: PLAN_LIMITS.yamlIndent + 2,
        activity: null,
        field: 'plan',
        message: expect.stringContaining('más de 200 espacios de sangría'),
      },
    ]);
  });

  it('an over-long value is refused on its line, named by its key', () => {
    const result = importYamlPlan(
      [
        'id: prueba-2023',
        'title: Plan 2023',
        'year: 2023',
        'activities:',
        '  - title: Informe A',
        '    start: 2023-01-04',
        '    due: 2023-01-31',
        `    responsible: OAPLA ${'x'.repeat(6_000)}`,
        '    deliverable: Informe A.',
      ].join('\n'),
      options('plan.yaml'),
    );
    expect(result.errors).toEqual([
      { file: 'plan.yaml', line: 8, activity: null, field: 'responsible', message: expect.stringContaining('El valor tiene 6.006 caracteres') },
    ]);
  });
});

describe('files refused by what the file system says, before reading', () => {
  const opts = { areas: realAreas(), calendar: new BusinessCalendar() };

  it('a symlink to /dev/zero: refused at once, as input (not a usage error)', async () => {
    const link = join(dir, 'cero.txt');
    symlinkSync('/dev/zero', link);
    const result = await importPlanFile(link, opts);
    expect(result).toEqual({
      plan: null,
      unreadable: false,
      warnings: [],
      errors: [
        {
          file: link,
          line: null,
          activity: null,
          field: 'file',
          message: expect.stringContaining('no es un archivo común sino un dispositivo, una tubería o un enlace a uno de ellos'),
        },
      ],
    });
  });

  it('a FIFO: refused without waiting for a writer', async () => {
    const fifo = join(dir, 'tuberia.csv');
    execFileSync('mkfifo', [fifo]);
    const result = await importPlanFile(fifo, opts);
    expect(result.errors[0]?.message).toContain('no es un archivo común');
  });

  it(`a file over ${PLAN_LIMITS.fileBytes / 1048576} MB: refused by its size, with both sizes named`, async () => {
    const big = join(dir, 'grande.tsv');
    writeFileSync(big, '');
    truncateSync(big, PLAN_LIMITS.fileBytes + 1);
    const result = await importPlanFile(big, opts);
    expect(result).toEqual({
      plan: null,
      unreadable: false,
      warnings: [],
      errors: [{ file: big, line: null, activity: null, field: 'file', message: `No se leyó "${big}": pesa más de 16 MB y el máximo es 16 MB.` }],
    });
  });
});

describe('encodings Excel writes', () => {
  const opts = { areas: realAreas(), calendar: new BusinessCalendar() };
  const write = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it.each([
    ['UTF-16LE with BOM ("Texto Unicode")', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedText(), 'utf16le')])],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(seedText(), 'utf16le').swap16()])],
  ])('%s: the seed is read as it is in UTF-8, with its accents', async (_name, bytes) => {
    const result = await importPlanFile(write(`plan-${bytes[0]}.txt`, bytes), opts);
    expect(result.errors).toEqual([]);
    expect(result.plan?.title).toBe('Formulación Plan de Participación Ciudadana 2023');
    expect(result.plan?.activities).toHaveLength(19);
  });

  it('UTF-16LE without a BOM: read, with a warning that says so', async () => {
    const result = await importPlanFile(write('sin-bom.txt', Buffer.from(seedText(), 'utf16le')), opts);
    expect(result.plan?.activities).toHaveLength(19);
    expect(result.warnings[0]).toEqual(expect.objectContaining({ line: null, field: 'file', message: expect.stringContaining('UTF-16LE sin marca') }));
  });
});

describe('workbooks', () => {
  const rows = ['Plan de Prueba 2023', HEADER, GOOD_A, GOOD_C].map((r) => r.split('\t'));

  it('a second sheet with an activities table is warned about, by name', async () => {
    const workbook = new ExcelJS.Workbook();
    for (const name of ['Plan', 'Plan 2']) {
      const sheet = workbook.addWorksheet(name);
      rows.forEach((cells) => sheet.addRow(cells));
    }
    const result = await importXlsxPlan(new Uint8Array(await workbook.xlsx.writeBuffer()), options('plan.xlsx'));
    expect(result.plan?.activities).toHaveLength(2);
    expect(result.warnings).toContainEqual({
      file: 'plan.xlsx',
      line: null,
      activity: null,
      field: 'file',
      message: expect.stringContaining('La hoja "Plan 2" también tiene una tabla de actividades y no se leyó'),
    });
  });

  it('a formula cell with no value in the file is named as such, on its row and field', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Plan');
    rows.forEach((cells) => sheet.addRow(cells));
    sheet.getCell('C3').value = { formula: 'FECHA(2023;1;31)' };
    const result = await importXlsxPlan(new Uint8Array(await workbook.xlsx.writeBuffer()), options('plan.xlsx'));
    expect(result.errors).toEqual([
      {
        file: 'plan.xlsx',
        line: 3,
        activity: 1,
        field: 'due',
        message:
          'La celda C3 tiene una fórmula (=FECHA(2023;1;31)) sin valor calculado: ábrala en Excel y guarde el libro para que el valor quede en el archivo.',
      },
    ]);
    expect(result.plan?.activities.map((a) => a.title)).toEqual(['Informe C']);
  });

  it('control characters in a cell are removed, with a warning naming the cell', async () => {
    // XML cannot hold ESC or NUL; a right-to-left override, which reorders what a terminal shows, it can.
    const bytes = await toXlsx([...rows.slice(0, 3), ['Informe\u202e C', '1-feb-23', '28-feb-23', 'ARCOM', 'Informe C.']], { realDates: true });
    const result = await importXlsxPlan(bytes, options('plan.xlsx'));
    expect(result.plan?.activities[1]?.title).toBe('Informe C');
    expect(result.warnings).toContainEqual({ file: 'plan.xlsx', line: 4, activity: 2, field: 'title', message: expect.stringContaining('de la celda A4') });
  });

  it('a zip bomb named .xlsx whose directory tells the truth: refused before exceljs unzips it', async () => {
    const result = await importXlsxPlan(zipBomb('xl/worksheets/sheet1.xml', PLAN_LIMITS.xlsxExpandedBytes + 1), options('plan.xlsx'));
    expect(result.errors).toEqual([
      { file: 'plan.xlsx', line: null, activity: null, field: 'file', message: expect.stringContaining('descomprimido pasa de 32 MB') },
    ]);
  });

  it('a zip bomb whose directory lies about the size: inflation stops one byte past the limit', async () => {
    const bomb = zipBomb('xl/worksheets/sheet1.xml', PLAN_LIMITS.xlsxExpandedBytes + 1, 100);
    expect(await checkArchive(bomb, { maxExpandedBytes: PLAN_LIMITS.xlsxExpandedBytes, maxEntries: 10 })).toEqual({
      ok: false,
      reason: 'too-large',
      entry: 'xl/worksheets/sheet1.xml',
    });
    expect(await checkArchive(buildZip([{ name: 'a.txt', data: Buffer.from('hola') }]), { maxExpandedBytes: 4, maxEntries: 10 })).toEqual({
      ok: true,
      entries: 1,
      expandedBytes: 4,
    });
  });
});
