/**
 * An Excel workbook holding the seed's sheet: the first worksheet with the activities header is
 * read; a row's line is its spreadsheet row number. Pure apart from being async (exceljs unzips
 * the workbook asynchronously); it touches no file.
 */
// Types only at load: exceljs is heavy and only .xlsx files need it (see importXlsxPlan).
import type ExcelJS from 'exceljs';
import type { ImportResult } from '../model';
import { IssueCollector, type ImportOptions } from '../validate';
import { utcDateToIso } from '../dates';
import { hasActivityHeader, importGrid, type GridRow } from './tsv';

/** The text of a cell value as exceljs gives it: plain, rich text, hyperlink, formula, date. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return utcDateToIso(value) ?? '';
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return cellText(value.text);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result);
  return ''; // an error cell (#N/A...) holds no usable text
}

function sheetRows(sheet: ExcelJS.Worksheet): GridRow[] {
  const rows: GridRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      // A merged range repeats its value in every cell; only its top-left cell holds it.
      cells[col - 1] = cell.isMerged && cell.master !== cell ? '' : cellText(cell.value);
    });
    rows.push({ line: rowNumber, cells: Array.from(cells, (c) => c ?? '') });
  });
  return rows;
}

export async function importXlsxPlan(bytes: Uint8Array, opts: ImportOptions): Promise<ImportResult> {
  const issues = new IssueCollector(opts.file);
  const { Workbook } = (await import('exceljs')).default;
  const workbook = new Workbook();
  try {
    // exceljs' types predate Node's generic Buffer; the runtime takes any Buffer.
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    issues.error(null, null, 'file', 'No se pudo abrir el libro de Excel: el archivo está dañado o no es un .xlsx.');
    return { plan: null, errors: issues.errors, warnings: [] };
  }
  const sheets = workbook.worksheets.map(sheetRows);
  const rows = sheets.find(hasActivityHeader) ?? sheets[0] ?? [];
  return importGrid(rows, opts, { shortRowsAreEmpty: true }, issues);
}
