/**
 * Reads a plan file and hands it to the importer its extension names. The one place in plans/
 * that touches the disk: the importers themselves are pure functions over text or bytes.
 *
 * Each importer is required only when a file of its format is read: validating the seed (TSV)
 * must not pay for csv-parse or the YAML importer's schemas (the CLI start-up benchmark, cli/README.md).
 */
import { readFile, stat } from 'node:fs/promises';
import type { ImportResult, PlanIssue } from '../model';
import type { ImportOptions } from '../validate';

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

function failed(file: string, message: string): ImportResult {
  return { plan: null, errors: [fileIssue(file, message)], warnings: [] };
}

const IS_FOLDER = 'es una carpeta, no un archivo';

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'el archivo no existe';
  if (code === 'EACCES' || code === 'EPERM') return 'no hay permiso para leerlo';
  if (code === 'EISDIR') return IS_FOLDER;
  return 'error de lectura';
}

/**
 * Plans saved by Excel on Windows are often Windows-1252, not UTF-8: read them rather than
 * showing "Ã³" where the planner wrote "ó", and say so.
 */
export function decodeText(bytes: Uint8Array, file: string): { text: string; warning: PlanIssue | null } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), warning: null };
  } catch {
    const text = new TextDecoder('windows-1252').decode(bytes);
    return { text, warning: fileIssue(file, 'El archivo no está en UTF-8: se leyó como Windows-1252 (ANSI). Guárdelo como UTF-8 para evitar tildes mal leídas.') };
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
    if (await isFolder(path)) return failed(options.file, `No se pudo leer "${path}": ${IS_FOLDER}.`);
    const shownExt = ext === '' ? 'sin extensión' : `".${ext}"`;
    return failed(options.file, `Formato de archivo no soportado (${shownExt}): use .txt, .tsv, .csv, .xlsx, .yaml o .yml.`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return failed(options.file, `No se pudo leer "${path}": ${readProblem(error)}.`);
  }
  if (!loadImporter) return (await import('./xlsx')).importXlsxPlan(bytes, options);
  const importer = await loadImporter();
  const { text, warning } = decodeText(bytes, options.file);
  const result = importer(text, options);
  return warning ? { ...result, warnings: [warning, ...result.warnings] } : result;
}
