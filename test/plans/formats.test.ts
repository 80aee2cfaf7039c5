import { importCsvPlan } from '../../plans/importers/csv';
import { importTsvPlan } from '../../plans/importers/tsv';
import { importXlsxPlan } from '../../plans/importers/xlsx';
import { importYamlPlan } from '../../plans/importers/yaml';
import { exportPlanYaml } from '../../plans/export-yaml';
import type { ImportResult } from '../../plans/model';
import { expectedSeedActivities, options, seedCells, seedText, toCsv, toXlsx, withoutLines } from './support';

// One label for every format, so whole results (warnings included) can be compared.
const FILE = 'plan-2023';
const fromTsv = importTsvPlan(seedText(), options(FILE));

describe('the seed plan written as CSV', () => {
  it.each([
    ['comma', ','],
    ['semicolon', ';'],
  ] as const)('with %s delimiters, a BOM and CRLF reads exactly as the TSV does', (_name, delimiter) => {
    const csv = `\uFEFF${toCsv(seedCells(), delimiter, '\r\n')}`;
    const result = importCsvPlan(csv, options(FILE));
    expect(result.errors).toEqual([]);
    expect(result).toEqual(fromTsv);
  });

  it('takes the delimiter from the header line, not from a preamble full of commas', () => {
    const csv = [
      'Plan de Prueba 2023',
      'Nota;Las actividades, sus fechas, responsables, y entregables, se revisan cada mes',
      'Actividades;Fecha inicial;Fecha Final;Responsable;PRODUCTO O ENTREGABLE',
      'Informe A, primera parte;4-ene-23;31-ene-23;OAPLA, ARCOM;Informe A.',
    ].join('\n');
    const result = importCsvPlan(csv, options('prueba.csv'));
    expect(result.errors).toEqual([]);
    expect(result.plan?.preamble).toEqual([{ label: 'Nota', text: 'Las actividades, sus fechas, responsables, y entregables, se revisan cada mes' }]);
    expect(result.plan?.activities).toEqual([
      {
        number: 1,
        title: 'Informe A, primera parte',
        start: '2023-01-04',
        due: '2023-01-31',
        responsible: ['OAPLA', 'ARCOM'],
        deliverable: 'Informe A.',
        line: 4,
      },
    ]);
  });

  it('keeps the real line numbers after a quoted cell that spans two lines', () => {
    const cells = seedCells();
    const row30 = cells[29] as string[];
    row30[0] = (row30[0] as string).replace('Cuentas, que sean', 'Cuentas,\nque sean');
    const result = importCsvPlan(toCsv(cells, ','), options(FILE));
    const expected = expectedSeedActivities().map((a) => {
      const line = (a as { line: number }).line;
      return { ...a, line: line > 30 ? line + 1 : line };
    });
    expect(result.errors).toEqual([]);
    expect(result.plan?.activities).toEqual(expected);
    expect(result.plan?.activities[12]).toMatchObject({ number: 13, line: 32 });
  });
});

describe('the seed plan written as XLSX', () => {
  it('with real Excel date cells reads exactly as the TSV does (row number = line)', async () => {
    const result = await importXlsxPlan(await toXlsx(seedCells(), { realDates: true }), options(FILE));
    expect(result.errors).toEqual([]);
    expect(result.plan).toEqual(fromTsv.plan);
    // The same warnings; a Date cell has no text of its own, so messages quote it as ISO.
    const where = (r: ImportResult) => r.warnings.map((w) => [w.line, w.activity, w.field]);
    expect(where(result)).toEqual(where(fromTsv));
    expect(result.warnings[0]?.message).toBe('La fecha inicial "2022-02-20" está fuera del año del plan (2023).');
  });

  it('with dates typed as text (4-ene-23) reads exactly as the TSV does', async () => {
    const result = await importXlsxPlan(await toXlsx(seedCells(), { realDates: false }), options(FILE));
    expect(result).toEqual(fromTsv);
  });

  it('reads the first sheet that has the activities header, skipping a notes sheet before it', async () => {
    const result = await importXlsxPlan(await toXlsx(seedCells(), { realDates: true, sheetsBefore: 1 }), options(FILE));
    expect(result.plan?.activities).toEqual(expectedSeedActivities());
  });

  it('reports a file that is not a workbook instead of throwing', async () => {
    const result = await importXlsxPlan(new TextEncoder().encode('no soy un libro de Excel'), options('plan.xlsx'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      { file: 'plan.xlsx', line: null, activity: null, field: 'file', message: expect.stringContaining('No se pudo abrir el libro de Excel') },
    ]);
  });
});

describe('the canonical YAML written from the seed', () => {
  async function sources(): Promise<[string, ImportResult][]> {
    return [
      ['TSV', fromTsv],
      ['CSV', importCsvPlan(toCsv(seedCells(), ';'), options(FILE))],
      ['XLSX', await importXlsxPlan(await toXlsx(seedCells(), { realDates: true }), options(FILE))],
    ];
  }

  it('imports back to the same plan, apart from source lines, from TSV, CSV and XLSX sources', async () => {
    for (const [name, source] of await sources()) {
      const back = importYamlPlan(exportPlanYaml(source.plan!), options('plan.yaml'));
      expect({ name, errors: back.errors }).toEqual({ name, errors: [] });
      expect({ name, plan: withoutLines(back.plan) }).toEqual({ name, plan: withoutLines(source.plan) });
    }
  });

  it('is readable: a comment header, id first, areas on one line, ISO dates, no source lines', () => {
    const text = exportPlanYaml(fromTsv.plan!);
    expect(text.startsWith('# Plan "Formulación Plan de Participación Ciudadana 2023" (participacion-ciudadana-2023)')).toBe(true);
    expect(text).toMatch(/^id: participacion-ciudadana-2023$/m);
    expect(text).toContain('responsible: [ ASERA, ARCOM ]');
    expect(text).toMatch(/start: 2022-02-20\n\s+due: 2023-03-31/);
    expect(text).not.toMatch(/^\s*line:/m);
    expect(text.indexOf('title:')).toBeLessThan(text.indexOf('year:'));
  });

  it('names each activity by its line in the YAML, and no longer warns about the monthly activity', () => {
    const text = exportPlanYaml(fromTsv.plan!);
    const back = importYamlPlan(text, options('plan.yaml'));
    const lineOf6 = text.split('\n').findIndex((l) => l.trim() === '- number: 6') + 1;
    expect(lineOf6).toBeGreaterThan(0);
    expect(back.plan?.activities[5]?.line).toBe(lineOf6);
    expect(back.warnings.filter((w) => w.activity === 6).map((w) => w.line)).toEqual([lineOf6, lineOf6]);
    expect(back.warnings.map((w) => w.activity)).toEqual([6, 6, 11, 11, 15, 15, 17, 17]);
    expect(back.plan?.activities[10]?.recurrence).toEqual({ frequency: 'monthly', due: { rule: 'end-of-period' } });
  });
});
