/**
 * Where things are in a YAML document, and its syntax errors in a planner's words: shared by the
 * YAML plan importer and the areas directory (config/load-areas.ts). Kept apart from the importer
 * so that reading the areas file does not build the importer's zod schemas (the CLI start-up benchmark). Pure.
 */
import { isAlias, isCollection, isNode, isPair, isScalar, LineCounter, parseDocument, type Document, type ErrorCode, type Node } from 'yaml';
import { PLAN_LIMITS, thousands } from '../limits';
import { hasControls, stripControls } from './text-guard';

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
  RESOURCE_EXHAUSTION: `hay colecciones anidadas a más profundidad de la que plazos lee`,
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

/** Something about a YAML file that is not its syntax: where, how bad, and what to say. */
export interface YamlProblem {
  line: number | null;
  kind: 'error' | 'warn';
  /** The key the value is under, when it is a scalar of a map. */
  key: string | null;
  message: string;
}

export interface BoundedYaml {
  doc: Document;
  counter: LineCounter;
  /** Refusals (a line indented too far, nesting too deep, an over-long value) and warnings. */
  problems: YamlProblem[];
}

/** A line indented past PLAN_LIMITS.yamlIndent: checked before parsing, since the parser's cost grows with it. */
function deepIndent(text: string): number | null {
  const deep = new RegExp(`^ {${PLAN_LIMITS.yamlIndent + 1}}`, 'm').exec(text);
  return deep ? text.slice(0, deep.index).split(/\r\n|\r|\n/).length : null;
}

/**
 * Parses YAML within PLAN_LIMITS: no line indented past yamlIndent (refused before parsing), no
 * collection nested past yamlDepth, no value longer than cellChars. Control characters that
 * escapes put in a value (`"\e[31m"`, `"\0"`) are removed from the document, with a warning.
 * The document is walked without recursion, so its depth cannot exhaust the stack.
 */
export function parseYamlBounded(text: string): BoundedYaml {
  const counter = new LineCounter();
  const deep = deepIndent(text);
  if (deep !== null) {
    const message = `Una línea tiene más de ${PLAN_LIMITS.yamlIndent} espacios de sangría, más de lo que un plan necesita.`;
    return { doc: parseDocument('', { lineCounter: counter }), counter, problems: [{ line: deep, kind: 'error', key: null, message }] };
  }
  const doc = parseDocument(text, { lineCounter: counter });
  const problems: YamlProblem[] = [];
  if (doc.errors.length > 0) return { doc, counter, problems };
  const lineOf = (node: Node) => (node.range ? counter.linePos(node.range[0]).line : null);
  const stack: { node: unknown; depth: number; key: string | null }[] = [{ node: doc.contents, depth: 0, key: null }];
  let tooDeep = false;
  while (stack.length > 0) {
    const { node, depth, key } = stack.pop() as (typeof stack)[number];
    if (isCollection(node)) {
      if (depth >= PLAN_LIMITS.yamlDepth) {
        if (!tooDeep)
          problems.push({
            line: lineOf(node),
            kind: 'error',
            key,
            message: `Las colecciones están anidadas a más de ${PLAN_LIMITS.yamlDepth} niveles, más de lo que un plan necesita.`,
          });
        tooDeep = true;
        continue;
      }
      for (const item of node.items) {
        if (isPair(item)) {
          const name = isScalar(item.key) ? String(item.key.value) : null;
          stack.push({ node: item.key, depth: depth + 1, key: null }, { node: item.value, depth: depth + 1, key: name });
        } else stack.push({ node: item, depth: depth + 1, key: null });
      }
    } else if (isScalar(node) && typeof node.value === 'string') {
      if (node.value.length > PLAN_LIMITS.cellChars) {
        const message = `El valor tiene ${thousands(node.value.length)} caracteres y el máximo es ${thousands(PLAN_LIMITS.cellChars)}: "${node.value.slice(0, 60)}…".`;
        problems.push({ line: lineOf(node), kind: 'error', key, message });
        node.value = node.value.slice(0, 60);
      } else if (hasControls(node.value)) {
        node.value = stripControls(node.value);
        problems.push({
          line: lineOf(node),
          kind: 'warn',
          key,
          message: 'Se quitaron caracteres de control (NUL, secuencias de terminal u otros invisibles) de este valor.',
        });
      }
    }
  }
  return { doc, counter, problems };
}

/** The first alias of the document, to locate a refusal of its expansion. */
function firstAliasLine(doc: Document, counter: LineCounter): number | null {
  const stack: unknown[] = [doc.contents];
  let first: number | null = null;
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node) && node.range) {
      const line = counter.linePos(node.range[0]).line;
      if (first === null || line < first) first = line;
    } else if (isCollection(node)) {
      for (const item of node.items) stack.push(...(isPair(item) ? [item.key, item.value] : [item]));
    }
  }
  return first;
}

/**
 * The document as plain data, or the located reason it cannot be: aliases that expand past
 * PLAN_LIMITS.yamlAliasNodes ("billion laughs") are refused rather than copied.
 */
export function toJsBounded(doc: Document, counter: LineCounter): { ok: true; data: unknown } | { ok: false; line: number | null; message: string } {
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: PLAN_LIMITS.yamlAliasNodes }) };
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    const message = `Los alias del archivo (*nombre) copian más de ${thousands(PLAN_LIMITS.yamlAliasNodes)} valores, más de lo que un plan necesita: escriba los valores sin alias.`;
    return { ok: false, line: firstAliasLine(doc, counter), message };
  }
}
