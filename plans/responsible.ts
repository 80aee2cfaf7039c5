/**
 * Reading the "Responsable" cell into area codes from the areas directory.
 *
 * Plans write the codes among prose: `ASERA Área de Servicio al Afiliado ARCOM Área de
 * Comunicaciones`, `OAPLA-ARCOM Oficina Asesora de Planeación y Área de Comunicaciones`, or plainly
 * `OAPLA, ARCOM`. Codes are picked out of the text; an uppercase word that looks like a code but is
 * not in the directory is reported, because a misspelt code would otherwise silently drop an area
 * from the notices. Pure.
 */
import type { AreasDirectory } from './areas';
import type { AreaCode } from './model';
import { foldText } from './dates';
import { AREA_CODE_PATTERN } from './rules';

export interface ResponsibleResult {
  /** Known codes in the order written, without repeats; the first one leads. */
  codes: AreaCode[];
  /** What is wrong, in Spanish, one sentence each. */
  problems: string[];
}

const CODE_LIKE = AREA_CODE_PATTERN;
const SEPARATORS = /[\s,;/+&|()[\]{}\-–—]+/;

/** Uppercase connecting words, for cells written in capitals (`OAPLA Y ARCOM`). */
const UPPERCASE_WORDS = new Set(['DE', 'DEL', 'LA', 'LAS', 'EL', 'LOS', 'Y', 'E', 'AL', 'EN', 'CON', 'PARA', 'O']);

function directoryList(areas: AreasDirectory): string {
  return Object.keys(areas).join(', ');
}

function unknownArea(token: string, areas: AreasDirectory): string {
  return `Área desconocida "${token}": no está en el directorio de áreas (${directoryList(areas)}).`;
}

/** Words of the directory's area names, so `OFICINA ASESORA DE PLANEACIÓN` is not taken for codes. */
function nameWords(areas: AreasDirectory): Set<string> {
  const words = new Set<string>();
  for (const area of Object.values(areas)) {
    for (const w of foldText(area.name).split(/\s+/)) words.add(w.toUpperCase());
  }
  return words;
}

/** A cell that is exactly an area's name (`Oficina Asesora de Planeación`) names that area. */
function codeByName(text: string, areas: AreasDirectory): AreaCode | undefined {
  const wanted = foldText(text).replace(/\s+/g, ' ').trim();
  return Object.entries(areas).find(([, a]) => foldText(a.name).replace(/\s+/g, ' ').trim() === wanted)?.[0];
}

function parseText(text: string, areas: AreasDirectory): ResponsibleResult {
  const codes: AreaCode[] = [];
  const problems: string[] = [];
  const names = nameWords(areas);
  for (const token of text.split(SEPARATORS)) {
    if (Object.hasOwn(areas, token)) codes.push(token);
    else if (CODE_LIKE.test(token) && !UPPERCASE_WORDS.has(token) && !names.has(token)) {
      problems.push(unknownArea(token, areas));
    }
  }
  if (codes.length === 0 && problems.length === 0) {
    const byName = codeByName(text, areas);
    if (byName) codes.push(byName);
    else {
      problems.push(`No se reconoce ningún código de área en "${text.trim()}": escriba los códigos del directorio (${directoryList(areas)}).`);
    }
  }
  return { codes, problems };
}

function parseList(items: readonly string[], areas: AreasDirectory): ResponsibleResult {
  const codes: AreaCode[] = [];
  const problems: string[] = [];
  for (const raw of items) {
    const item = raw.trim();
    if (Object.hasOwn(areas, item)) codes.push(item);
    else if (Object.hasOwn(areas, item.toUpperCase())) {
      problems.push(`Código de área "${item}" mal escrito: los códigos van en mayúsculas ("${item.toUpperCase()}").`);
    } else if (item === '') problems.push('Hay un código de área vacío en la lista de responsables.');
    else problems.push(unknownArea(item, areas));
  }
  return { codes, problems };
}

/**
 * The codes named by a cell (free text) or by a list (the YAML form, one code per item).
 * An empty cell or list is a problem: every activity needs someone to answer for it.
 */
export function parseResponsible(value: string | readonly string[], areas: AreasDirectory): ResponsibleResult {
  const empty = typeof value === 'string' ? value.trim() === '' : value.length === 0;
  if (empty) return { codes: [], problems: ['Falta el área responsable.'] };
  const result = typeof value === 'string' ? parseText(value, areas) : parseList(value, areas);
  return { codes: [...new Set(result.codes)], problems: result.problems };
}
