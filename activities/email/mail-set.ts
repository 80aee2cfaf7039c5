/**
 * One mail's templates: `subject`, `text` and `html` per locale (`subject.es.hbs`, …) in one folder,
 * compiled once from files (never from user input). HTML escapes every `{{value}}`; text and
 * subject are compiled without escaping, as the notices are. Strict mode throws on a field the view
 * lacks, so every locale is rendered once with `sample` here, at worker start, not at send time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { RenderedEmail } from './templates';
import { singleLine } from './view';

type Compiled = HandlebarsTemplateDelegate<unknown>;
const LOCALES = ['es', 'en'] as const;

/** `what` names the mail in the error a broken file gives, e.g. "del resumen semanal". */
export function compileMailSet<V extends { locale: (typeof LOCALES)[number] }>(dir: string, what: string, sample: V): (view: V) => RenderedEmail {
  const html = Handlebars.create();
  const text = Handlebars.create();
  const compile = (env: typeof Handlebars, file: string): Compiled => {
    try {
      return env.compile(readFileSync(join(dir, file), 'utf8'), { strict: true, noEscape: env === text });
    } catch (error) {
      throw new Error(`La plantilla ${what} ${join(dir, file)} no se pudo leer: ${(error as Error).message}`, { cause: error });
    }
  };
  const byLocale = Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      { subject: compile(text, `subject.${locale}.hbs`), html: compile(html, `html.${locale}.hbs`), text: compile(text, `text.${locale}.hbs`) },
    ]),
  ) as Record<V['locale'], { subject: Compiled; html: Compiled; text: Compiled }>;
  const render = (view: V): RenderedEmail => {
    const t = byLocale[view.locale as V['locale']];
    // Mail clients show about 180 characters of a subject; a long plan title would push the rest out.
    return { subject: singleLine(t.subject(view)).slice(0, 180), html: t.html(view), text: t.text(view) };
  };
  for (const locale of LOCALES) render({ ...sample, locale });
  return render;
}
