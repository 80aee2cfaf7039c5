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
import { megabytes, PLAN_LIMITS, thousands } from '../limits';
// The same check that keeps zip bombs out of the evidence store (archive.ts): an XLSX is a ZIP archive.
import { checkArchive, type ArchiveCheck } from './archive';
import { hasActivityHeader, importGrid, type CellNote, type GridRow } from './tsv';
import { CONTROLS_REMOVED, hasControls, stripControls } from './text-guard';

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

/** A formula whose result the file does not hold (written by a program that does not calculate). */
function formulaWithoutValue(value: ExcelJS.CellValue): string | null {
  if (value === null || typeof value !== 'object' || value instanceof Date) return null;
  if (!('formula' in value || 'sharedFormula' in value)) return null;
  const { result, formula } = value as ExcelJS.CellFormulaValue;
  return result === undefined || result === null ? (formula ?? '') : null;
}

function sheetRows(sheet: ExcelJS.Worksheet): GridRow[] {
  const rows: GridRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const notes: CellNote[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      // A merged range repeats its value in every cell; only its top-left cell holds it.
      const value = cell.isMerged && cell.master !== cell ? null : cell.value;
      const formula = formulaWithoutValue(value);
      if (formula !== null) {
        const shown = formula ? ` (=${formula.slice(0, 60)})` : '';
        notes.push({
          column: col - 1,
          kind: 'error',
          message: `La celda ${cell.address} tiene una fórmula${shown} sin valor calculado: ábrala en Excel y guarde el libro para que el valor quede en el archivo.`,
        });
      }
      let text = cellText(value);
      if (hasControls(text)) {
        text = stripControls(text);
        notes.push({ column: col - 1, kind: 'warn', message: CONTROLS_REMOVED.replace('de esta línea', `de la celda ${cell.address}`) });
      }
      cells[col - 1] = text;
    });
    rows.push({ line: rowNumber, cells: Array.from(cells, (c) => c ?? ''), notes });
  });
  return rows;
}

const DAMAGED = 'No se pudo abrir el libro de Excel: el archivo está dañado o no es un .xlsx.';

const ARCHIVE_PROBLEMS: Record<Exclude<ArchiveCheck, { ok: true }>['reason'], (entry: string) => string> = {
  'not-zip': () => DAMAGED,
  corrupt: () => DAMAGED,
  unsupported: () =>
    'No se pudo abrir el libro de Excel: usa una compresión o un cifrado que plazos no lee. Guárdelo de nuevo desde Excel como .xlsx, sin contraseña.',
  'too-many-entries': () => `El libro de Excel tiene más de ${thousands(PLAN_LIMITS.xlsxEntries)} partes, más de lo que un plan necesita.`,
  'too-large': () =>
    `El libro de Excel descomprimido pasa de ${megabytes(PLAN_LIMITS.xlsxExpandedBytes)}, más de lo que un plan necesita: divídalo en varios planes.`,
  'nested-too-large': (entry) => `El libro de Excel trae dentro "${entry}", un archivo comprimido más grande de lo que un plan necesita.`,
  'too-deep': (entry) => `El libro de Excel trae dentro "${entry}", archivos comprimidos unos dentro de otros: un plan no los necesita.`,
  'unsafe-path': (entry) => `El libro de Excel trae una parte llamada "${entry}", un nombre que ningún Excel escribe (ruta absoluta, ".." o "\\"): no se lee.`,
  executable: (entry) => `El libro de Excel trae "${entry}", un programa o script: no se lee. Guárdelo de nuevo desde Excel como .xlsx.`,
  'active-content': (entry) => `El libro de Excel trae "${entry}", una página web: no se lee.`,
  uninspectable: (entry) => `El libro de Excel trae "${entry}", un archivo comprimido que no se puede revisar: no se lee.`,
};

export async function importXlsxPlan(bytes: Uint8Array, opts: ImportOptions): Promise<ImportResult> {
  const issues = new IssueCollector(opts.file);
  const refused = () => ({ plan: null, errors: issues.errors, warnings: issues.warnings });
  // exceljs unzips the whole workbook into memory: what it expands to is checked first.
  const archive = await checkArchive(bytes, { maxExpandedBytes: PLAN_LIMITS.xlsxExpandedBytes, maxEntries: PLAN_LIMITS.xlsxEntries }, 'office');
  if (!archive.ok) {
    issues.error(null, null, 'file', ARCHIVE_PROBLEMS[archive.reason](archive.entry ?? ''));
    return refused();
  }
  const { Workbook } = (await import('exceljs')).default;
  const workbook = new Workbook();
  try {
    // exceljs' types predate Node's generic Buffer; the runtime takes any Buffer.
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    issues.error(null, null, 'file', DAMAGED);
    return refused();
  }
  const long = workbook.worksheets.find((sheet) => sheet.rowCount > PLAN_LIMITS.rows);
  if (long) {
    issues.error(
      PLAN_LIMITS.rows + 1,
      null,
      'file',
      `La hoja "${long.name}" tiene ${thousands(long.rowCount)} filas y el máximo es ${thousands(PLAN_LIMITS.rows)}: divídala en varios planes.`,
    );
    return refused();
  }
  const sheets = workbook.worksheets.map((sheet) => ({ name: sheet.name, rows: sheetRows(sheet) }));
  const withTable = sheets.filter((sheet) => hasActivityHeader(sheet.rows));
  const chosen = withTable[0] ?? sheets[0];
  // The first sheet with a table is the plan; another one with a table was likely meant too.
  for (const other of withTable.slice(1)) {
    issues.warn(
      null,
      null,
      'file',
      `La hoja "${other.name}" también tiene una tabla de actividades y no se leyó: solo se lee la primera ("${chosen?.name}"). Pase sus actividades a esa hoja o impórtela como otro plan.`,
    );
  }
  return importGrid(chosen?.rows ?? [], opts, { shortRowsAreEmpty: true }, issues);
}
