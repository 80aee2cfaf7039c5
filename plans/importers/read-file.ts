/**
 * Reads a plan file and hands it to the importer its extension names. The one place in plans/
 * that touches the disk: the importers themselves are pure functions over text or bytes.
 *
 * Each importer is required only when a file of its format is read: validating the seed (TSV)
 * must not pay for the CSV reader or the YAML importer's schemas (the CLI start-up benchmark, cli/README.md).
 */
import { stat } from 'node:fs/promises';
import { PLAN_LIMITS } from '../limits';
import type { ImportResult, PlanIssue } from '../model';
import type { ImportOptions } from '../validate';
import { readBoundedFile, refusalMessage } from './bounded-read';

type TextImporter = (text: string, opts: ImportOptions) => ImportResult;

// A Map, not an object literal: a file named `plan.constructor` must not find Object's members.
const TEXT_IMPORTERS = new Map<string, () => Promise<TextImporter>>([
  ['txt', async () => (await import('./tsv')).importTsvPlan],
  ['tsv', async () => (await import('./tsv')).importTsvPlan],
  ['csv', async () => (await import('./csv')).importCsvPlan],
  ['yaml', async () => (await import('./yaml')).importYamlPlan],
  ['yml', async () => (await import('./yaml')).importYamlPlan],
]);

export const SUPPORTED_EXTENSIONS = [...TEXT_IMPORTERS.keys(), 'xlsx'];

function fileIssue(file: string, message: string): PlanIssue {
  return { file, line: null, activity: null, field: 'file', message };
}

/** A file that could not be opened (exit 2) or was refused before reading (exit 1). */
function failed(file: string, message: string, unreadable: boolean): ImportResult {
  return { plan: null, errors: [fileIssue(file, message)], warnings: [], unreadable };
}

const IS_FOLDER = 'es una carpeta, no un archivo';

/** UTF-16 without a BOM still shows itself: in Latin text every other byte is NUL. */
function utf16Without(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even += 1;
    if (bytes[i + 1] === 0) odd += 1;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.4 && even < pairs * 0.1) return 'utf-16le';
  if (even > pairs * 0.4 && odd < pairs * 0.1) return 'utf-16be';
  return null;
}

/**
 * Plans saved by Excel on Windows are often Windows-1252, not UTF-8: read them rather than
 * showing "Ã³" where the planner wrote "ó", and say so. Excel's "Texto Unicode" is UTF-16LE with
 * a BOM; UTF-16 is read by its BOM, or by its NUL bytes when it has none (with a warning).
 */
export function decodeText(bytes: Uint8Array, file: string): { text: string; warning: PlanIssue | null } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), warning: null };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), warning: null };
  const utf16 = utf16Without(bytes);
  if (utf16) {
    const label = utf16 === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
    return {
      text: new TextDecoder(utf16).decode(bytes),
      warning: fileIssue(file, `El archivo parece ${label} sin marca de orden de bytes (BOM): se leyó así. Guárdelo como UTF-8.`),
    };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), warning: null };
  } catch {
    const text = new TextDecoder('windows-1252').decode(bytes);
    return {
      text,
      warning: fileIssue(file, 'El archivo no está en UTF-8: se leyó como Windows-1252 (ANSI). Guárdelo como UTF-8 para evitar tildes mal leídas.'),
    };
  }
}

/** The file's extension, lowercase, without the dot. */
function extensionOf(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Whether the path is a folder; false when it cannot be looked at (the caller says why otherwise). */
async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Imports a plan file; an unreadable file or unknown format is an error in the result, not a throw. */
export async function importPlanFile(path: string, opts: Omit<ImportOptions, 'file'> & { file?: string }): Promise<ImportResult> {
  const options: ImportOptions = { ...opts, file: opts.file ?? path };
  const ext = extensionOf(path);
  const loadImporter = TEXT_IMPORTERS.get(ext);
  if (!loadImporter && ext !== 'xlsx') {
    // `plazos plan validate plans/examples` is a slip of the path, not a file in an unknown format.
    if (await isFolder(path)) return failed(options.file, `No se pudo leer "${path}": ${IS_FOLDER}.`, true);
    const shownExt = ext === '' ? 'sin extensión' : `".${ext}"`;
    return failed(options.file, `Formato de archivo no soportado (${shownExt}): use .txt, .tsv, .csv, .xlsx, .yaml o .yml.`, true);
  }
  const read = readBoundedFile(path, PLAN_LIMITS.fileBytes);
  if (!read.ok) {
    const why = refusalMessage(read, PLAN_LIMITS.fileBytes);
    return read.kind === 'unreadable'
      ? failed(options.file, `No se pudo leer "${path}": ${why}.`, true)
      : failed(options.file, `No se leyó "${path}": ${why}.`, false);
  }
  const bytes = read.bytes;
  if (!loadImporter) return (await import('./xlsx')).importXlsxPlan(bytes, options);
  const importer = await loadImporter();
  const { text, warning } = decodeText(bytes, options.file);
  const result = importer(text, options);
  return warning ? { ...result, warnings: [warning, ...result.warnings] } : result;
}
