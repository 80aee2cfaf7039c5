/**
 * Where things are in a YAML document, and its syntax errors in a planner's words: shared by the
 * YAML plan importer and the areas directory (config/load-areas.ts). Kept apart from the importer
 * so that reading the areas file does not build the importer's zod schemas (the CLI start-up benchmark). Pure.
 */
import { isNode, type Document, type ErrorCode, type LineCounter } from 'yaml';

const YAML_PROBLEMS: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT: 'la sangría no cuadra con la de las líneas anteriores',
  TAB_AS_INDENT: 'hay tabuladores en la sangría (use espacios)',
  DUPLICATE_KEY: 'hay una clave repetida',
  MISSING_CHAR: 'falta cerrar unas comillas, un corchete o una llave',
  BLOCK_AS_IMPLICIT_KEY: 'falta ":" después de una clave, o la sangría no cuadra',
  MULTILINE_IMPLICIT_KEY: 'falta ":" después de una clave, o sobra un salto de línea',
  UNEXPECTED_TOKEN: 'hay un carácter inesperado',
  BAD_SCALAR_START: 'un valor empieza con un carácter reservado (póngalo entre comillas)',
  MULTIPLE_DOCS: 'el archivo tiene más de un documento YAML',
};

/** A YAML parser error in a planner's words. */
export function yamlProblem(code: ErrorCode): string {
  return YAML_PROBLEMS[code] ?? 'la sintaxis YAML no es válida';
}

/** The parser's errors, one per line: a broken line often trips several rules at once. */
export function syntaxErrors(doc: Document, counter: LineCounter): { line: number; code: ErrorCode }[] {
  const byLine = new Map<number, ErrorCode>();
  for (const e of doc.errors) {
    const line = counter.linePos(e.pos[0]).line;
    if (!byLine.has(line)) byLine.set(line, e.code);
  }
  return [...byLine].map(([line, code]) => ({ line, code }));
}

/** The line of the node at a path, or of its nearest existing parent. */
export type Located = (path: (string | number)[]) => number | null;

export function locator(doc: Document, counter: LineCounter): Located {
  return (path) => {
    for (let p = path; p.length > 0; p = p.slice(0, -1)) {
      const node: unknown = doc.getIn(p, true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return null;
  };
}

/** The value at a zod issue's path inside parsed data, to show it in the message. */
export function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}
