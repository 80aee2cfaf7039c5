/**
 * The digest's templates, compiled once from files in ./templates (never from user input). HTML
 * escapes every `{{value}}`; text and subject are compiled without escaping, as the notices are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { REPO_ROOT } from '../../config/paths';
import type { RenderedEmail } from '../email/templates';
import { singleLine } from '../email/view';
import { SAMPLE_DIGEST_VIEW, type DigestView } from './view';

export const DIGEST_TEMPLATES_DIR = join(REPO_ROOT, 'activities', 'digest', 'templates');

export type DigestTemplates = (view: DigestView) => RenderedEmail;

type Compiled = HandlebarsTemplateDelegate<unknown>;

export function loadDigestTemplates(dir = DIGEST_TEMPLATES_DIR): DigestTemplates {
  const html = Handlebars.create();
  const text = Handlebars.create();
  const compile = (env: typeof Handlebars, file: string): Compiled => {
    try {
      return env.compile(readFileSync(join(dir, file), 'utf8'), { strict: true, noEscape: env === text });
    } catch (error) {
      throw new Error(`La plantilla del resumen semanal ${join(dir, file)} no se pudo leer: ${(error as Error).message}`, { cause: error });
    }
  };
  const byLocale = Object.fromEntries(
    (['es', 'en'] as const).map((locale) => [
      locale,
      { subject: compile(text, `subject.${locale}.hbs`), html: compile(html, `html.${locale}.hbs`), text: compile(text, `text.${locale}.hbs`) },
    ]),
  ) as Record<DigestView['locale'], { subject: Compiled; html: Compiled; text: Compiled }>;
  const render: DigestTemplates = (view) => {
    const t = byLocale[view.locale];
    // Mail clients show about 180 characters of a subject; a long plan title would push the counts out.
    return { subject: singleLine(t.subject(view)).slice(0, 180), html: t.html(view), text: t.text(view) };
  };
  // Strict mode throws on a field the view lacks: find out now, at worker start.
  for (const locale of ['es', 'en'] as const) render({ ...SAMPLE_DIGEST_VIEW, locale });
  return render;
}
