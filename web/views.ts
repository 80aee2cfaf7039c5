/**
 * The pages' templates, compiled once at start from web/views/*.hbs. Handlebars escapes every
 * {{value}}; the only triple-stache is the layout's {{{body}}}, which is our own rendered page.
 * User text is only ever data, never compiled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { REPO_ROOT } from '../config/paths';
import { dateLabel } from './labels';

export const VIEWS_DIR = join(REPO_ROOT, 'web', 'views');

export type Render = (page: string, data: Record<string, unknown>) => string;

export function loadViews(dir: string = VIEWS_DIR): { render: Render; css: string } {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // {{fecha due}}: the one way pages print a date (es-CO, `30 nov 2026`), in a span the CSS keeps
  // on one line: a date cut as "2026-" / "11-30" at a cell's edge is misread.
  hb.registerHelper('fecha', (value: unknown) => {
    const text = typeof value === 'string' ? dateLabel(value) : '';
    if (!text) return '';
    // An instant may break between its day and its hour, never inside either.
    const [day, hour] = text.split(', ');
    const span = (s: string) => `<span class="fecha">${hb.escapeExpression(s)}</span>`;
    return new hb.SafeString(hour ? `${span(`${day!},`)} ${span(hour)}` : span(text));
  });
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    // `_name.hbs` is a partial used as {{> name}}; every other file is a page.
    if (file.startsWith('_')) hb.registerPartial(file.slice(1, -4), source);
    else pages.set(file.slice(0, -4), hb.compile(source));
  }
  const layout = pages.get('layout');
  if (!layout) throw new Error(`Falta ${dir}/layout.hbs`);
  const render: Render = (page, data) => {
    const template = pages.get(page);
    if (!template) throw new Error(`No existe la vista ${page}`);
    return layout({ ...data, body: template(data) });
  };
  return { render, css: readFileSync(join(dir, 'app.css'), 'utf8') };
}
