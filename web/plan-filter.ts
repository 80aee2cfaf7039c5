/**
 * What OAPLA narrows a list of thousands of rows to: an area, a state, a due window, the overdue;
 * sorted by urgency, due date or number; a page at a time. The same filter serves the plan page,
 * its CSV and the per-area view, so a download holds exactly what the page listed (all pages).
 */
import { PERIOD_STATUSES } from '../workflows/shared';
import { AREA_CODE_PATTERN } from '../plans/rules';
import { dateInputValue, parseDateInput, urgency } from './labels';
import type { ActivityRow } from './plan-view';

export const PAGE_SIZE = 50;

export const SORTS = ['urgencia', 'vence', 'numero'] as const;
export type Sort = (typeof SORTS)[number];

/** The query string as the routes declare it (fastify validates it before the handler runs). */
export const FILTER_QUERYSTRING = {
  type: 'object',
  properties: {
    area: { type: 'string', pattern: `^(${AREA_CODE_PATTERN.source.replace(/^\^|\$$/g, '')})?$` },
    estado: { type: 'string', enum: ['', ...PERIOD_STATUSES, 'unknown'] },
    // What a person typed (`30/11/2026`) or a link carries (`2026-11-30`): filterOf reads it, and
    // anything else comes back to the page with a Spanish message rather than a bare 400.
    desde: { type: 'string', maxLength: 20 },
    hasta: { type: 'string', maxLength: 20 },
    vencidas: { type: 'string', enum: ['', '1'] },
    orden: { type: 'string', enum: ['', ...SORTS] },
    pagina: { type: 'integer', minimum: 1, maximum: 100_000 },
  },
} as const;

export interface FilterQuery {
  area?: string;
  estado?: string;
  desde?: string;
  hasta?: string;
  vencidas?: string;
  orden?: string;
  pagina?: number;
}

export interface PlanFilter {
  area: string;
  estado: string;
  desde: string;
  hasta: string;
  vencidas: boolean;
  orden: Sort;
  /** The person chose the order (else each page keeps its own default: urgency on screen, number in reports). */
  ordenElegido: boolean;
  pagina: number;
  /** What the date boxes show: `30/11/2026`, or the text as typed when it is no date. */
  desdeTexto: string;
  hastaTexto: string;
  /** A date box that held no date: its Spanish message; that bound is left out of the filter. */
  errores: { desde?: string; hasta?: string };
}

const DATE_NAMES = { desde: 'Vence desde', hasta: 'hasta' } as const;

function dateBound(field: keyof typeof DATE_NAMES, text: string | undefined): { iso: string; text: string; error?: string } {
  const typed = (text ?? '').trim();
  if (!typed) return { iso: '', text: '' };
  const iso = parseDateInput(typed);
  if (iso) return { iso, text: dateInputValue(iso) };
  return { iso: '', text: typed, error: `«${typed}» no es una fecha válida en «${DATE_NAMES[field]}»: escríbala como dd/mm/aaaa, por ejemplo 30/11/2026.` };
}

export function filterOf(q: FilterQuery, defaultSort: Sort = 'urgencia'): PlanFilter {
  const desde = dateBound('desde', q.desde);
  const hasta = dateBound('hasta', q.hasta);
  const errores: PlanFilter['errores'] = {};
  if (desde.error) errores.desde = desde.error;
  if (hasta.error) errores.hasta = hasta.error;
  return {
    area: q.area ?? '',
    estado: q.estado ?? '',
    desde: desde.iso,
    hasta: hasta.iso,
    desdeTexto: desde.text,
    hastaTexto: hasta.text,
    errores,
    vencidas: q.vencidas === '1',
    orden: (SORTS as readonly string[]).includes(q.orden ?? '') ? (q.orden as Sort) : defaultSort,
    ordenElegido: (SORTS as readonly string[]).includes(q.orden ?? ''),
    pagina: q.pagina ?? 1,
  };
}

export function isFiltered(f: PlanFilter): boolean {
  return Boolean(f.area || f.estado || f.desde || f.hasta || f.vencidas);
}

export function applyFilter(rows: ActivityRow[], f: PlanFilter): ActivityRow[] {
  return rows.filter(
    (r) =>
      (!f.area || r.responsible.includes(f.area)) &&
      (!f.estado || r.status === f.estado) &&
      (!f.desde || (r.due !== '' && r.due >= f.desde)) &&
      (!f.hasta || (r.due !== '' && r.due <= f.hasta)) &&
      (!f.vencidas || r.overdue),
  );
}

const byNumber = (a: ActivityRow, b: ActivityRow) => a.planId.localeCompare(b.planId) || a.number - b.number || (a.period ?? '').localeCompare(b.period ?? '');

export function sortRows(rows: ActivityRow[], sort: Sort): ActivityRow[] {
  const compare = {
    urgencia: (a: ActivityRow, b: ActivityRow) => urgency(a.status) - urgency(b.status) || byNumber(a, b),
    // Rows without a due date (not indexed yet) go last.
    vence: (a: ActivityRow, b: ActivityRow) => (a.due || '9999').localeCompare(b.due || '9999') || byNumber(a, b),
    numero: byNumber,
  }[sort];
  return [...rows].sort(compare);
}

export interface Paged<T> {
  rows: T[];
  page: number;
  pages: number;
  total: number;
  first: number;
  last: number;
}

export function pageOf<T>(rows: T[], page: number, size = PAGE_SIZE): Paged<T> {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(page, pages);
  const slice = rows.slice((current - 1) * size, current * size);
  return {
    rows: slice,
    page: current,
    pages,
    total: rows.length,
    first: slice.length ? (current - 1) * size + 1 : 0,
    last: (current - 1) * size + slice.length,
  };
}

/** The query string of the same filter, another page or sort: links and the CSV keep the filter. */
export function queryOf(f: PlanFilter, change: Partial<PlanFilter> = {}): string {
  const g = { ...f, ...change };
  const params = new URLSearchParams();
  if (g.area) params.set('area', g.area);
  if (g.estado) params.set('estado', g.estado);
  if (g.desde) params.set('desde', g.desde);
  if (g.hasta) params.set('hasta', g.hasta);
  if (g.vencidas) params.set('vencidas', '1');
  if (g.ordenElegido) params.set('orden', g.orden);
  if (g.pagina > 1) params.set('pagina', String(g.pagina));
  return params.toString();
}
