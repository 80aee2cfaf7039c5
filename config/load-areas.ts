/**
 * Loads the areas directory (config/areas.yaml) and says, line by line, what is wrong with it.
 *
 * An area with a bad entry is left out and the others are kept, like a plan's bad rows; callers
 * must still refuse to run while `errors` is non-empty, because a plan naming a left-out area then
 * reports it as unknown.
 */
import { basename, resolve } from 'node:path';
import { isMap, isNode, isScalar } from 'yaml';
import { AreaSchema, AreasDirectorySchema, type AreasDirectory } from '../plans/areas';
import { AreaCodeSchema, type PlanIssue } from '../plans/model';
import { ZOD_SPANISH } from '../plans/validate';
import { locator, parseYamlBounded, syntaxErrors, toJsBounded, valueAt, yamlProblem, type Located } from '../plans/importers/yaml-located';
import { readBoundedFile, refusalMessage } from '../plans/importers/bounded-read';
import { PLAN_LIMITS } from '../plans/limits';

export interface LoadAreasResult {
  /** Null when nothing usable could be read (unreadable file, broken YAML, not a mapping). */
  areas: AreasDirectory | null;
  errors: PlanIssue[];
  /** The file could not be opened (missing, no permission, a folder): exit 2 rather than 1. */
  unreadable?: boolean;
}

/** The directory file to use: the CLI option, else PLAZOS_AREAS, else the repository's own. */
export function resolveAreasPath(cliOption?: string, env: NodeJS.ProcessEnv = process.env): string {
  // An empty value (`PLAZOS_AREAS=`) means "not set", not "the current directory".
  return cliOption || env.PLAZOS_AREAS || resolve(repoRoot(), 'config', 'areas.yaml');
}

/** This file lives in <repo>/config, or in <repo>/dist/config once compiled. */
function repoRoot(): string {
  const up = resolve(__dirname, '..');
  return basename(up) === 'dist' ? resolve(up, '..') : up;
}

function fileError(file: string, line: number | null, message: string): PlanIssue {
  return { file, line, activity: null, field: 'file', message };
}

function entryError(file: string, line: number | null, message: string): PlanIssue {
  return { file, line, activity: null, field: null, message };
}

const FIELD_NAMES: Record<string, string> = { name: 'nombre', email: 'correo', cc: 'copia' };

function describePath(path: PropertyKey[]): string {
  const [, key, index] = path;
  const field = FIELD_NAMES[String(key)] ?? String(key ?? '');
  return typeof index === 'number' ? `${field} ${index + 1}` : field;
}

function checkEntry(code: string, keyLine: number | null, value: unknown, at: Located, file: string): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const codeCheck = AreaCodeSchema.safeParse(code, ZOD_SPANISH);
  if (!codeCheck.success) {
    issues.push(entryError(file, keyLine, `Código de área inválido "${code}": ${codeCheck.error.issues[0]?.message}`));
  }
  const entry = AreaSchema.safeParse(value, ZOD_SPANISH);
  for (const issue of entry.success ? [] : entry.error.issues) {
    const path = [code, ...issue.path] as (string | number)[];
    const where = issue.path.length > 0 ? `, ${describePath(path)}` : '';
    const bad = issue.path.length > 0 ? valueAt(value, issue.path) : undefined;
    const shown = typeof bad === 'string' ? ` ${JSON.stringify(bad)}` : '';
    issues.push(entryError(file, at(path), `Área "${code}"${where}${shown}: ${issue.message}`));
  }
  return issues;
}

/** Parses the directory's YAML text; `file` only labels the issues. Pure. */
export function parseAreas(text: string, file: string): LoadAreasResult {
  const { doc, counter, problems } = parseYamlBounded(text);
  if (doc.errors.length > 0) {
    return {
      areas: null,
      errors: syntaxErrors(doc, counter).map(({ line, code }) =>
        fileError(file, line, `El directorio de áreas no es YAML válido en la línea ${line}: ${yamlProblem(code)}.`),
      ),
    };
  }
  const refusals = problems.filter((p) => p.kind === 'error');
  if (refusals.length > 0) return { areas: null, errors: refusals.map((p) => fileError(file, p.line, p.message)) };
  if (!isMap(doc.contents)) {
    return {
      areas: null,
      errors: [fileError(file, 1, 'El directorio de áreas debe ser un mapa de códigos de área (OAPLA:, ARCOM:, ...) a su nombre y correos.')],
    };
  }
  const js = toJsBounded(doc, counter);
  if (!js.ok) return { areas: null, errors: [fileError(file, js.line, js.message)] };
  const data = js.data as Record<string, unknown>;
  const at = locator(doc, counter);
  const areas: AreasDirectory = {};
  const errors: PlanIssue[] = [];
  let controlInterno: string | null = null;
  for (const pair of doc.contents.items) {
    const code = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const keyLine = isNode(pair.key) && pair.key.range ? counter.linePos(pair.key.range[0]).line : null;
    const issues = checkEntry(code, keyLine, data[code], at, file);
    errors.push(...issues);
    if (issues.length === 0) Object.assign(areas, AreasDirectorySchema.parse({ [code]: data[code] }));
    if (issues.length === 0 && areas[code]?.role === 'control-interno' && controlInterno !== null) {
      // Two would leave the follow-up report's recipient to the file's order.
      errors.push(entryError(file, keyLine, `Área "${code}", role: ya hay otra área con el rol control-interno (${controlInterno}); solo una puede tenerlo.`));
    } else if (issues.length === 0 && areas[code]?.role === 'control-interno') controlInterno = code;
  }
  return { areas, errors };
}

/** Reads and checks the directory file; an unreadable file is an error, not a throw. */
export function loadAreasFile(path: string): LoadAreasResult {
  const read = readBoundedFile(path, PLAN_LIMITS.areasFileBytes);
  if (!read.ok) {
    // Said as before for a file that is not there; a device or a huge file is refused, exit 1.
    const why =
      read.kind === 'unreadable' && read.reason === 'missing'
        ? 'no existe'
        : read.kind === 'unreadable' && read.reason === 'folder'
          ? 'es una carpeta'
          : refusalMessage(read, PLAN_LIMITS.areasFileBytes);
    return {
      areas: null,
      errors: [fileError(path, null, `No se pudo leer el directorio de áreas "${path}": ${why}.`)],
      unreadable: read.kind === 'unreadable',
    };
  }
  return parseAreas(new TextDecoder().decode(read.bytes).replace(/^\uFEFF/, ''), path);
}
