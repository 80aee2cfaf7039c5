/**
 * CSV with the seed's columns (and, optionally, its preamble and footer rows): comma or semicolon
 * (Excel in a Spanish locale writes semicolons), UTF-8 with or without BOM, quoted fields that hold
 * delimiters or line breaks. Pure.
 *
 * A quoting error does not lose the file: the broken record is reported at the line where it
 * starts and reading resumes on the next line. The reader is our own, not csv-parse: resuming on
 * the next line means knowing where a failed record started and how far the failure looked, and
 * restarting a library parser on the rest of the file at each broken line made a file with a
 * stray quote on every line take time in the square of its length. Here a record may span at most
 * PLAN_LIMITS.quotedFieldLines lines (and a quoted field cellChars characters), so a line is
 * re-read only by the failures of the records that began in the lines just before it: the whole
 * file is read in time linear in its size.
 */
import type { ImportResult } from '../model';
import { PLAN_LIMITS } from '../limits';
import { IssueCollector, type ImportOptions } from '../validate';
import { importGrid, isActivityHeader, type GridRow } from './tsv';
import { guardText } from './text-guard';

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

type QuoteProblem = 'not-closed' | 'text-after-closing' | 'quote-inside';

const QUOTE_PROBLEMS: Record<QuoteProblem, string> = {
  'not-closed': 'unas comillas se abren y nunca se cierran',
  'text-after-closing': 'hay texto pegado después de unas comillas de cierre',
  'quote-inside': 'hay comillas en medio de un campo sin comillas',
};

const QUOTE = 34;
const LF = 10;

export interface CsvScan {
  rows: GridRow[];
  failures: { line: number; problem: QuoteProblem }[];
  /**
   * Characters the reader looked at, re-reads after a failure included. At most
   * (quotedFieldLines + 1) times the text's length; for the broken files people write, about once.
   */
  scanned: number;
}

type Field = { ok: true; value: string; end: number; breaks: number } | { ok: false; problem: QuoteProblem };

/** Reads the CSV records of LF-separated text. */
export function scanCsv(text: string, delimiter: string): CsvScan {
  const delim = delimiter.charCodeAt(0);
  const scan: CsvScan = { rows: [], failures: [], scanned: 0 };
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);

  /** `before`: line breaks of the record before this field; a record spans at most quotedFieldLines. */
  const quoted = (start: number, before: number): Field => {
    let value = '';
    let from = start + 1;
    let breaks = before;
    for (let j = from; j < text.length; j++) {
      scan.scanned += 1;
      const c = text.charCodeAt(j);
      if (c === LF && ++breaks > PLAN_LIMITS.quotedFieldLines) break;
      if (j - start > PLAN_LIMITS.cellChars) break;
      if (c !== QUOTE) continue;
      value += text.slice(from, j);
      if (text.charCodeAt(j + 1) === QUOTE) {
        value += '"';
        from = j + 2;
        j += 1;
        continue;
      }
      const after = text.charCodeAt(j + 1);
      if (j + 1 < text.length && after !== delim && after !== LF) return { ok: false, problem: 'text-after-closing' };
      return { ok: true, value, end: j + 1, breaks: breaks - before };
    }
    return { ok: false, problem: 'not-closed' };
  };

  const unquoted = (start: number): Field => {
    let j = start;
    for (; j < text.length; j++) {
      scan.scanned += 1;
      const c = text.charCodeAt(j);
      if (c === delim || c === LF) break;
      if (c === QUOTE) return { ok: false, problem: 'quote-inside' };
    }
    return { ok: true, value: text.slice(start, j), end: j, breaks: 0 };
  };

  let line = 1;
  let pos = 0;
  while (pos < text.length) {
    const cells: string[] = [];
    let breaks = 0;
    let failed: QuoteProblem | null = null;
    for (let at = pos; ;) {
      const field = text.charCodeAt(at) === QUOTE ? quoted(at, breaks) : unquoted(at);
      if (!field.ok) {
        failed = field.problem;
        break;
      }
      cells.push(field.value);
      breaks += field.breaks;
      pos = field.end;
      if (text.charCodeAt(pos) !== delim) break;
      at = pos + 1;
    }
    if (failed) {
      scan.failures.push({ line, problem: failed });
      pos = lineStarts[line] ?? text.length;
      line += 1;
      continue;
    }
    scan.rows.push({ line, cells });
    line += breaks + 1;
    pos += 1; // past the line break, or past the end
  }
  return scan;
}

/** Grid rows of CSV text, and the lines whose records could not be read. */
export function csvRows(text: string, issues: IssueCollector): GridRow[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(normalized.split('\n'));
  const { rows, failures } = scanCsv(normalized, delimiter);
  for (const { line, problem } of failures) {
    issues.error(line, null, 'file', `La línea ${line} no se pudo leer: ${QUOTE_PROBLEMS[problem]}. Revise las comillas de esa fila.`);
  }
  return rows;
}

export function importCsvPlan(text: string, opts: ImportOptions): ImportResult {
  const issues = new IssueCollector(opts.file);
  const guarded = guardText(text, issues);
  if (guarded === null) return { plan: null, errors: issues.errors, warnings: issues.warnings };
  return importGrid(csvRows(guarded, issues), opts, {}, issues);
}
