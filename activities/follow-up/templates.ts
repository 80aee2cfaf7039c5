/**
 * The cut report mail's templates, compiled once from files in ./templates (never from user input).
 * HTML escapes every `{{value}}`; text and subject are compiled without escaping, as the notices are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { REPO_ROOT } from '../../config/paths';
import type { RenderedEmail } from '../email/templates';
import { singleLine } from '../email/view';
import type { CutTotals } from './types';

export const CUT_TEMPLATES_DIR = join(REPO_ROOT, 'activities', 'follow-up', 'templates');

export interface CutMailView {
  locale: 'es' | 'en';
  plan: { id: string; title: string; entity: string | null };
  cut: string;
  deadline: string;
  totals: CutTotals;
  controlInterno: boolean;
  planUrl: string | null;
}

export type CutTemplates = (view: CutMailView) => RenderedEmail;

const SAMPLE: CutMailView = {
  locale: 'es',
  plan: { id: 'plan', title: 'Plan', entity: null },
  cut: '2023-04-30',
  deadline: '2023-05-15',
  totals: { key: 'PLAN', activities: 1, delivered: 0, late: 0, withProgress: 0, progress: 0 },
  controlInterno: true,
  planUrl: null,
};

type Compiled = HandlebarsTemplateDelegate<unknown>;

export function loadCutTemplates(dir = CUT_TEMPLATES_DIR): CutTemplates {
  const html = Handlebars.create();
  const text = Handlebars.create();
  const compile = (env: typeof Handlebars, file: string): Compiled => {
    try {
      return env.compile(readFileSync(join(dir, file), 'utf8'), { strict: true, noEscape: env === text });
    } catch (error) {
      throw new Error(`La plantilla del informe de seguimiento ${join(dir, file)} no se pudo leer: ${(error as Error).message}`, { cause: error });
    }
  };
  const byLocale = Object.fromEntries(
    (['es', 'en'] as const).map((locale) => [
      locale,
      { subject: compile(text, `subject.${locale}.hbs`), html: compile(html, `html.${locale}.hbs`), text: compile(text, `text.${locale}.hbs`) },
    ]),
  ) as Record<CutMailView['locale'], { subject: Compiled; html: Compiled; text: Compiled }>;
  const render: CutTemplates = (view) => {
    const t = byLocale[view.locale];
    return { subject: singleLine(t.subject(view)).slice(0, 180), html: t.html(view), text: t.text(view) };
  };
  // Strict mode throws on a field the view lacks: find out now, at worker start.
  for (const locale of ['es', 'en'] as const) render({ ...SAMPLE, locale });
  return render;
}
