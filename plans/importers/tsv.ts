/**
 * The seed's own format: a sheet exported as tab-separated text (see
 * plans/examples/plan-participacion-ciudadana-2023.txt). A title line, a preamble of
 * `Label<TAB>text` lines, one or more activity tables, and a footer (Consolidó / Versión / Revisó).
 *
 * CSV and XLSX hold the same sheet in other containers, so they turn their rows into the same
 * grid and call `importGrid`: all three read alike. Pure.
 */
import type { ImportResult } from '../model';
import { buildPlan, IssueCollector, type ImportOptions, type PlanMeta, type RawActivity } from '../validate';
import { foldText, parsePlanDate } from '../dates';
import { PLAN_TIMEZONE } from '../../calendar/policy';
import { PLAN_LIMITS, thousands } from '../limits';
import { defuseFormula } from '../spreadsheet-text';
import { guardText } from './text-guard';

/** One row of a sheet: its line (or spreadsheet row) number and its cells' text. */
export interface GridRow {
  line: number;
  cells: string[];
  /** What the container found wrong with a cell (a formula without a value, say), by column. */
  notes?: CellNote[];
}

export interface CellNote {
  /** 0-based column. */
  column: number;
  kind: 'error' | 'warn';
  message: string;
}

export interface GridOptions {
  /**
   * A spreadsheet cannot tell a short row from one with empty trailing cells, so there missing
   * cells are empty cells; in text formats a row with fewer cells than the header is reported.
   */
  shortRowsAreEmpty?: boolean;
}

type Column = 'title' | 'start' | 'due' | 'responsible' | 'deliverable';

/** Header names as planners write them, folded (lowercase, no accents). */
const COLUMN_NAMES: Record<Column, readonly string[]> = {
  title: ['actividades', 'actividad'],
  start: ['fecha inicial', 'fecha inicio', 'fecha de inicio'],
  due: ['fecha final', 'fecha fin', 'fecha de finalizacion', 'fecha limite'],
  responsible: ['responsable', 'responsables'],
  deliverable: ['producto o entregable', 'producto', 'entregable', 'productos o entregables'],
};

/** The names the seed uses, for messages. */
const COLUMN_LABEL: Record<Column, string> = {
  title: 'Actividades',
  start: 'Fecha inicial',
  due: 'Fecha Final',
  responsible: 'Responsable',
  deliverable: 'PRODUCTO O ENTREGABLE',
};

const COLUMNS = Object.keys(COLUMN_NAMES) as Column[];

type Header = { columns: Partial<Record<Column, number>>; missing: Column[] };

function fold(cell: string): string {
  return foldText(cell).replace(/\s+/g, ' ').replace(/[:.]$/, '').trim();
}

/** A header names the activities column and at least two others; columns are found by name. */
function matchHeader(cells: string[]): Header | null {
  const columns: Partial<Record<Column, number>> = {};
  cells.forEach((cell, i) => {
    const name = fold(cell);
    const column = COLUMNS.find((c) => COLUMN_NAMES[c].includes(name));
    if (column && columns[column] === undefined) columns[column] = i;
  });
  const found = Object.keys(columns).length;
  if (columns.title === undefined || found < 3) return null;
  return { columns, missing: COLUMNS.filter((c) => columns[c] === undefined) };
}

interface Footer {
  preparedBy?: string;
  reviewedBy?: string;
  version?: string;
  versionDate?: string;
}

/** `Consolidó: ...`, `Versión1: 2023-01-26`, `Revisó ...` (with or without the colon). */
function matchFooter(text: string, footer: Footer): boolean {
  const folded = foldText(text);
  let m = /^(consolido|elaboro|preparo)\b\s*:?\s*/.exec(folded);
  if (m) return ((footer.preparedBy = text.slice(m[0].length).trim()), true);
  m = /^(reviso|aprobo)\b\s*:?\s*/.exec(folded);
  if (m) return ((footer.reviewedBy = text.slice(m[0].length).trim()), true);
  // `Versión1: 2023-01-26`, `Versión 2 2023-03-01`: a number or a colon, so an activity that
  // starts with the word "versión" is not taken for the footer.
  m = /^version\s*(?:([0-9][0-9.]*)\s*:?|:)\s*(.*)$/.exec(folded);
  if (!m) return false;
  if (m[1]) footer.version = m[1];
  const date = parsePlanDate(m[2] ?? '');
  if (date.ok) footer.versionDate = date.date;
  return true;
}

interface Sheet {
  title?: string;
  preamble: { label: string; text: string }[];
  footer: Footer;
  raws: RawActivity[];
  sawHeader: boolean;
}

function readPreambleRow(texts: string[], sheet: Sheet): void {
  if (texts.length === 1 && sheet.title === undefined && sheet.preamble.length === 0) {
    sheet.title = texts[0];
    return;
  }
  const [first = '', ...rest] = texts;
  const colon = first.indexOf(':');
  // A single cell `Label: text` is a label and its text; `Marco legal:` alone is a label.
  const label = rest.length === 0 && colon > 0 ? first.slice(0, colon) : first.replace(/:\s*$/, '');
  const text = rest.length === 0 ? (colon > 0 ? first.slice(colon + 1) : '') : rest.join(' ');
  sheet.preamble.push({ label: label.trim(), text: text.trim() });
}

/** The field a column of the table holds, for issues about one of its cells. */
function fieldOf(header: Header | null, column: number): Column | null {
  if (!header) return null;
  return COLUMNS.find((c) => header.columns[c] === column) ?? null;
}

function reportNotes(notes: readonly CellNote[], line: number, activity: number | null, header: Header | null, issues: IssueCollector): boolean {
  for (const note of notes) issues[note.kind === 'error' ? 'error' : 'warn'](line, activity, fieldOf(header, note.column) ?? 'file', note.message);
  return notes.some((n) => n.kind === 'error');
}

function readActivityRow(row: GridRow, header: Header, sheet: Sheet, issues: IssueCollector, opts: GridOptions): void {
  const position = sheet.raws.length + 1;
  const raw: RawActivity = { line: row.line, position };
  if (reportNotes(row.notes ?? [], row.line, position, header, issues)) raw.rejected = true;
  const short = COLUMNS.filter((c) => (header.columns[c] as number) >= row.cells.length);
  for (const c of COLUMNS) {
    const index = header.columns[c] as number;
    raw[c] = index < row.cells.length || opts.shortRowsAreEmpty ? (row.cells[index] ?? '') : undefined;
  }
  // A cell already reported (a formula without a value, an over-long text) is not read again as empty or wrong.
  for (const note of row.notes ?? []) {
    const field = fieldOf(header, note.column);
    if (note.kind === 'error' && field) raw[field] = undefined;
  }
  if (short.length > 0 && !opts.shortRowsAreEmpty) {
    raw.rejected = true;
    const names = short.map((c) => `"${COLUMN_LABEL[c]}"`).join(', ');
    issues.error(
      row.line,
      position,
      short[0] as Column,
      `La fila tiene ${row.cells.length} columnas y la tabla tiene ${Object.keys(header.columns).length}: faltan ${names}.`,
    );
  }
  sheet.raws.push(raw);
}

/**
 * The plan's text goes back out in the CSV and XLSX reports OAPLA opens in Excel (spreadsheet-text.ts):
 * the same rule for every container (TSV, CSV, XLSX), applied here where their cells meet.
 */
function formulaDefused(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `La celda "${shown}" empieza con "${text[0]}", que una hoja de cálculo leería como fórmula: se guardó con un apóstrofo delante.`;
}

/** Shown in place of an over-long cell: enough to recognise it, and to keep the row's shape. */
const LONG_CELL_SHOWN = 60;

/**
 * The row's cells, trimmed and defused against formulas, with over-long ones cut and reported
 * among its notes: a cell the size of a book is a broken export, and a responsible cell that starts "OAPLA " and goes on for
 * pages must not pass for OAPLA.
 */
function boundedCells(row: GridRow): { cells: string[]; notes: CellNote[] } {
  const notes = [...(row.notes ?? [])];
  const cells = row.cells.map((cell, column) => {
    const trimmed = cell.trim();
    const text = defuseFormula(trimmed);
    if (text !== trimmed) notes.push({ column, kind: 'warn', message: formulaDefused(trimmed) });
    if (text.length <= PLAN_LIMITS.cellChars) return text;
    notes.push({
      column,
      kind: 'error',
      message: `La celda tiene ${thousands(text.length)} caracteres y el máximo es ${thousands(PLAN_LIMITS.cellChars)}: "${text.slice(0, LONG_CELL_SHOWN)}…".`,
    });
    return text.slice(0, LONG_CELL_SHOWN);
  });
  return { cells, notes };
}

function readRows(rows: readonly GridRow[], issues: IssueCollector, opts: GridOptions): Sheet {
  const sheet: Sheet = { preamble: [], footer: {}, raws: [], sawHeader: false };
  let table: Header | null = null;
  for (const row of rows) {
    // All cells as written: a trailing empty cell is an empty deliverable, not a missing column.
    const { cells, notes } = boundedCells(row);
    const texts = cells.filter((c) => c !== '');
    const header = texts.length === 0 ? null : matchHeader(cells);
    const isActivity = texts.length > 0 && !header && table !== null && !(texts.length <= 2 && matchFooter(texts.join(' '), {}));
    // An activity's cells are reported with its number and field; any other row's, on its line.
    if (!isActivity) reportNotes(notes, row.line, null, null, issues);
    if (texts.length === 0) continue;
    if (header) {
      sheet.sawHeader = true;
      table = header.missing.length === 0 ? header : null;
      if (!table) {
        const names = header.missing.map((c) => `"${COLUMN_LABEL[c]}"`).join(', ');
        issues.error(row.line, null, 'header', `Al encabezado de la tabla le falta la columna ${names}: las filas de esta tabla no se leyeron.`);
      }
    } else if (texts.length <= 2 && matchFooter(texts.join(' '), sheet.footer)) continue;
    else if (!sheet.sawHeader) readPreambleRow(texts, sheet);
    else if (table) readActivityRow({ line: row.line, cells, notes }, table, sheet, issues, opts);
    // Rows under a broken header still take their place, so later activities keep their numbers.
    else sheet.raws.push({ line: row.line, position: sheet.raws.length + 1, rejected: true });
  }
  return sheet;
}

/** Whether these cells are an activities table header (complete or not). */
export function isActivityHeader(cells: readonly string[]): boolean {
  return matchHeader(cells.map((c) => c.trim())) !== null;
}

/** Whether a sheet has an activities table at all (a workbook's other sheets may not). */
export function hasActivityHeader(rows: readonly GridRow[]): boolean {
  return rows.some((row) => isActivityHeader(row.cells));
}

const SLUG_STOPWORDS = new Set(['formulacion', 'plan', 'de', 'del', 'la', 'el', 'y', 'para', 'los', 'las', 'en', 'a', 'al', 'e', 'o', 'vigencia']);

/** `Formulación Plan de Participación Ciudadana 2023` -> `participacion-ciudadana-2023`. */
export function planSlug(title: string, year: number): string {
  const words = foldText(title)
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && !SLUG_STOPWORDS.has(w) && !/^\d+$/.test(w))
    .slice(0, 3)
    .map((w) => w.slice(0, 18)); // three words and the year stay within the id's 64 characters
  return [...words, String(year)].join('-');
}

/** The 4-digit year in the title, else the year most due dates fall in (ties: the later year). */
export function planYear(title: string, raws: readonly RawActivity[]): number | null {
  const inTitle = /\b(20\d\d|2100)\b/.exec(title);
  if (inTitle) return Number(inTitle[1]);
  const counts = new Map<number, number>();
  for (const raw of raws) {
    const due = parsePlanDate(raw.due ?? '');
    if (due.ok) counts.set(Number(due.date.slice(0, 4)), (counts.get(Number(due.date.slice(0, 4))) ?? 0) + 1);
  }
  let best: number | null = null;
  for (const [year, n] of counts) if (best === null || n > (counts.get(best) ?? 0) || (n === counts.get(best) && year > best)) best = year;
  return best;
}

/** The file's name without folders or extension: the title of a sheet that has none. */
function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]*$/, '');
}

function sheetTitle(sheet: Sheet, file: string): string {
  if (sheet.title) return sheet.title;
  const named = sheet.preamble.find((p) => ['formulacion', 'plan', 'nombre del plan'].includes(fold(p.label)));
  return named?.text || sheet.preamble[0]?.text || baseName(file);
}

function sheetMeta(sheet: Sheet, title: string, year: number, opts: ImportOptions): PlanMeta {
  const meta: PlanMeta = { id: opts.id ?? planSlug(title, year), title, year, owner: 'OAPLA', timezone: PLAN_TIMEZONE };
  if (sheet.footer.version) meta.version = sheet.footer.version;
  if (sheet.footer.versionDate) meta.versionDate = sheet.footer.versionDate;
  if (sheet.footer.preparedBy) meta.preparedBy = sheet.footer.preparedBy;
  if (sheet.footer.reviewedBy) meta.reviewedBy = sheet.footer.reviewedBy;
  if (sheet.preamble.length > 0) meta.preamble = sheet.preamble;
  return meta;
}

const MISSING_HEADER_MESSAGE =
  'No se encontró la tabla de actividades: se espera un encabezado con las columnas Actividades, Fecha inicial, Fecha Final, Responsable y PRODUCTO O ENTREGABLE.';

/** Reads a sheet's rows as a plan: the shared core of the TSV, CSV and XLSX importers. */
export function importGrid(rows: readonly GridRow[], opts: ImportOptions, gridOpts: GridOptions = {}, issues = new IssueCollector(opts.file)): ImportResult {
  const sheet = readRows(rows, issues, gridOpts);
  if (!sheet.sawHeader) {
    issues.error(null, null, 'header', MISSING_HEADER_MESSAGE);
    return { plan: null, errors: issues.errors, warnings: issues.warnings };
  }
  const title = sheetTitle(sheet, opts.file);
  const year = planYear(title, sheet.raws);
  if (year === null) issues.error(null, null, 'plan', 'No se pudo saber el año del plan: el título no lo dice y ninguna fecha final es válida.');
  const meta = year === null ? null : sheetMeta(sheet, title, year, opts);
  const ctx = { file: opts.file, areas: opts.areas, calendar: opts.calendar, year, inferRecurrence: true };
  return buildPlan(meta, sheet.raws, ctx, issues);
}

/** Grid rows of tab-separated text: LF or CRLF, a UTF-8 BOM ignored, lines counted from 1. */
export function tsvRows(text: string): GridRow[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((line, i) => ({ line: i + 1, cells: line.split('\t') }));
}

export function importTsvPlan(text: string, opts: ImportOptions): ImportResult {
  const issues = new IssueCollector(opts.file);
  const guarded = guardText(text, issues);
  if (guarded === null) return { plan: null, errors: issues.errors, warnings: issues.warnings };
  return importGrid(tsvRows(guarded), opts, {}, issues);
}
