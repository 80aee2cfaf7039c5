/**
 * The seed's own format: a sheet exported as tab-separated text (see
 * plans/examples/plan-participacion-ciudadana-2023.txt). A title line, a preamble of
 * `Label<TAB>text` lines, one or more activity tables, and a footer (Consolidó / Versión / Revisó).
 *
 * CSV and XLSX hold the same sheet in other containers, so they turn their rows into the same
 * grid and call `importGrid`: all three read alike. Pure.
 */
import { PLAN_YEAR_MESSAGE, PlanSchema, type ImportResult } from '../model';
import { buildPlan, IssueCollector, type ImportOptions, type PlanMeta, type RawActivity } from '../validate';
import { foldText, parsePlanDate } from '../dates';
import { PLAN_TIMEZONE } from '../../calendar/policy';
import { PLAN_LIMITS, thousands } from '../limits';
import { defuseFormula } from '../../domain/spreadsheet-text';
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
  titleLine?: number;
  preamble: { label: string; text: string }[];
  /** The line of each preamble entry, in order: where a title read from the preamble was written. */
  preambleLines: number[];
  footer: Footer;
  raws: RawActivity[];
  sawHeader: boolean;
}

function readPreambleRow(texts: string[], line: number, sheet: Sheet): void {
  if (texts.length === 1 && sheet.title === undefined && sheet.preamble.length === 0) {
    sheet.title = texts[0];
    sheet.titleLine = line;
    return;
  }
  const [first = '', ...rest] = texts;
  const colon = first.indexOf(':');
  // A single cell `Label: text` is a label and its text; `Marco legal:` alone is a label.
  const label = rest.length === 0 && colon > 0 ? first.slice(0, colon) : first.replace(/:\s*$/, '');
  const text = rest.length === 0 ? (colon > 0 ? first.slice(colon + 1) : '') : rest.join(' ');
  sheet.preamble.push({ label: label.trim(), text: text.trim() });
  sheet.preambleLines.push(line);
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
 * The plan's text goes back out in the CSV and XLSX reports OAPLA opens in Excel (domain/spreadsheet-text.ts):
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
  const sheet: Sheet = { preamble: [], preambleLines: [], footer: {}, raws: [], sawHeader: false };
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
    else if (!sheet.sawHeader) readPreambleRow(texts, row.line, sheet);
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

/** The plan's year and where it was read, so a year no plan can have is reported there. */
export interface PlanYearSource {
  year: number;
  /** The title's line, or the first activity due in that year; null for a title taken from the file name. */
  line: number | null;
  /** Where the year was read, in Spanish, to finish a sentence: `el título dice 1983`. */
  where: string;
}

/** A number after one of these words is a law's or a document's number, not a year: `Ley 1955 de 2019`. */
const NUMBERED = /\b(ley|decreto|resolucion|acuerdo|circular|no|nro|num|numero)\.?\s*$/;

/** The first year in a title (1900 to 2199), leaving out the numbers of laws and decrees. */
function yearInTitle(title: string): number | null {
  const folded = foldText(title);
  for (const m of folded.matchAll(/(?<!\d)(19\d\d|2[01]\d\d)(?!\d)/g)) {
    if (!NUMBERED.test(folded.slice(0, m.index))) return Number(m[1]);
  }
  return null;
}

/**
 * The 4-digit year in the title, else the year most due dates fall in (ties: the later year).
 * Any 4-digit year in the title counts, not only those a plan can have, so a title saying 1983
 * is refused as a 1983 plan rather than quietly read as the year of its dates.
 */
export function planYear(title: string, titleLine: number | null, raws: readonly RawActivity[]): PlanYearSource | null {
  const inTitle = yearInTitle(title);
  if (inTitle !== null) {
    const where = titleLine === null ? `el título, tomado del nombre del archivo ("${title}"), dice ${inTitle}` : `el título dice ${inTitle}`;
    return { year: inTitle, line: titleLine, where };
  }
  const counts = new Map<number, { n: number; line: number | null }>();
  for (const raw of raws) {
    const due = parsePlanDate(raw.due ?? '');
    if (!due.ok) continue;
    const year = Number(due.date.slice(0, 4));
    const seen = counts.get(year);
    counts.set(year, { n: (seen?.n ?? 0) + 1, line: seen ? seen.line : raw.line });
  }
  let best: number | null = null;
  for (const [year, { n }] of counts) {
    const top = best === null ? undefined : counts.get(best);
    if (best === null || n > (top?.n ?? 0) || (n === top?.n && year > best)) best = year;
  }
  if (best === null) return null;
  const line = counts.get(best)?.line ?? null;
  return { year: best, line, where: `el título no dice el año y la mayoría de las fechas finales son de ${best}` };
}

/** The file's name without folders or extension: the title of a sheet that has none. */
function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]*$/, '');
}

/** The sheet's title and its line; the line is null for a title made from the file name. */
function sheetTitle(sheet: Sheet, file: string): { title: string; line: number | null } {
  if (sheet.title) return { title: sheet.title, line: sheet.titleLine ?? null };
  const named = sheet.preamble.findIndex((p) => ['formulacion', 'plan', 'nombre del plan'].includes(fold(p.label)));
  if (sheet.preamble[named]?.text) return { title: sheet.preamble[named].text, line: sheet.preambleLines[named] ?? null };
  if (sheet.preamble[0]?.text) return { title: sheet.preamble[0].text, line: sheet.preambleLines[0] ?? null };
  return { title: baseName(file), line: null };
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
  const { title, line: titleLine } = sheetTitle(sheet, opts.file);
  const source = planYear(title, titleLine, sheet.raws);
  const year = source?.year ?? null;
  let meta = year === null ? null : sheetMeta(sheet, title, year, opts);
  if (source === null) issues.error(null, null, 'plan', 'No se pudo saber el año del plan: el título no lo dice y ninguna fecha final es válida.');
  else if (!PlanSchema.shape.year.safeParse(source.year).success) {
    // Reported where the year was read; each activity is still checked, but its dates are not read or measured from that year.
    issues.error(source.line, null, 'plan', `${PLAN_YEAR_MESSAGE}: ${source.where}.`);
    meta = null;
  }
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
