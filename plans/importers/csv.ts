/**
 * CSV with the seed's columns (and, optionally, its preamble and footer rows): comma or semicolon
 * (Excel in a Spanish locale writes semicolons), UTF-8 with or without BOM, quoted fields that hold
 * delimiters or line breaks. Pure.
 *
 * A quoting error does not lose the file: the broken record is reported at the line where it
 * starts and reading resumes on the next line.
 */
import { parse } from 'csv-parse/sync';
import type { ImportResult } from '../model';
import { IssueCollector, type ImportOptions } from '../validate';
import { importGrid, isActivityHeader, type GridRow } from './tsv';

const DELIMITERS = [';', ','] as const;

/**
 * The delimiter that splits a line into the activities header. The preamble's prose has commas
 * of its own, so counting commas over the file would guess wrong.
 */
export function detectDelimiter(lines: readonly string[]): ',' | ';' {
  const unquote = (cell: string) => cell.trim().replace(/^"(.*)"$/, '$1');
  for (const line of lines) {
    const found = DELIMITERS.find((d) => isActivityHeader(line.split(d).map(unquote)));
    if (found) return found;
  }
  return ',';
}

const QUOTE_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unas comillas se abren y nunca se cierran',
  CSV_INVALID_CLOSING_QUOTE: 'hay texto pegado después de unas comillas de cierre',
  INVALID_OPENING_QUOTE: 'hay comillas en medio de un campo sin comillas',
};

function problemOf(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  return QUOTE_PROBLEMS[code] ?? 'el formato CSV no es válido';
}

/**
 * Parses from line `first` on, collecting records until the end or the first error.
 * csv-parse counts lines itself, which is only right when line breaks are LF (so we normalize).
 */
function parseFrom(lines: readonly string[], first: number, delimiter: string, rows: GridRow[]): { failedAt: number; error: unknown } | null {
  let lastEnd = first - 1;
  try {
    parse(lines.slice(first - 1).join('\n'), {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (record, context) => {
        // A record starts on the line after the previous one ends (blank lines are records too).
        rows.push({ line: lastEnd + 1, cells: record });
        lastEnd = first - 1 + context.lines;
        return null;
      },
    });
    return null;
  } catch (error) {
    return { failedAt: lastEnd + 1, error };
  }
}

/** Grid rows of CSV text, and the lines whose records could not be read. */
export function csvRows(text: string, issues: IssueCollector): GridRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const delimiter = detectDelimiter(lines);
  const rows: GridRow[] = [];
  for (let first = 1; first <= lines.length; ) {
    const failure = parseFrom(lines, first, delimiter, rows);
    if (!failure) break;
    issues.error(failure.failedAt, null, 'file', `La línea ${failure.failedAt} no se pudo leer: ${problemOf(failure.error)}. Revise las comillas de esa fila.`);
    first = failure.failedAt + 1;
  }
  return rows;
}

export function importCsvPlan(text: string, opts: ImportOptions): ImportResult {
  const issues = new IssueCollector(opts.file);
  return importGrid(csvRows(text, issues), opts, {}, issues);
}
