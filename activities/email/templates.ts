/**
 * Loads and compiles the notice templates once, at worker start. Templates come only from files in
 * the templates folder, never from user input; plan text reaches them as data.
 *
 * Two Handlebars environments: HTML escapes every `{{value}}`; text is compiled with `noEscape`,
 * so "Ríos & Cía" reads as written in the text part. Both run in strict mode, so a template that
 * names a field the view does not have fails at start (see the warm-up) instead of rendering blank.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { SAMPLE_VIEW } from './sample-view';
import { NOTICE_KINDS, NOTICE_LOCALES, type NoticeKind, type NoticeLocale } from './types';
import { singleLine, type NoticeView } from './view';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface CalendarText {
  title: string;
  description: string;
}

export interface Templates {
  render(view: NoticeView): RenderedEmail;
  calendarText(view: NoticeView): CalendarText;
}

type Env = typeof Handlebars;
type Compiled = HandlebarsTemplateDelegate<unknown>;
type PerLocale<T> = Record<NoticeLocale, T>;

/** Long subjects get cut: mail clients show about this much, and a subject is not the place for a whole note. */
const MAX_SUBJECT = 180;

function read(file: string): string {
  if (!existsSync(file)) throw new Error(`Falta la plantilla de correo ${file}.`);
  return readFileSync(file, 'utf8');
}

function createEnvs(): { html: Env; text: Env } {
  const html = Handlebars.create();
  const text = Handlebars.create();
  // Notes keep their paragraphs: escaped line by line, joined with <br> in HTML, as written in text.
  html.registerHelper('lines', (value: unknown) => {
    const lines = (typeof value === 'string' ? value : '').split('\n');
    return new html.SafeString(lines.map((line) => html.escapeExpression(line)).join('<br>\n'));
  });
  text.registerHelper('lines', (value: unknown) => (typeof value === 'string' ? value : ''));
  return { html, text };
}

function compiler(env: Env, noEscape: boolean, partial = false) {
  return (file: string): Compiled => {
    const raw = read(file);
    // A one-line partial is used mid-sentence ("la {{> es/ref}} del plan"): drop the newline editors add.
    const source = partial && !raw.trimEnd().includes('\n') ? raw.trimEnd() : raw;
    try {
      env.parse(source);
    } catch (error) {
      throw new Error(`La plantilla ${file} tiene un error de sintaxis: ${(error as Error).message}`, { cause: error });
    }
    return env.compile(source, { strict: true, noEscape });
  };
}

/** `_partials/<locale>/<name>.html.hbs` (HTML only), `.text.hbs` (text and subjects) or `.hbs` (both), as `<locale>/<name>`. */
function registerPartials(dir: string, envs: { html: Env; text: Env }): void {
  for (const locale of NOTICE_LOCALES) {
    const folder = join(dir, '_partials', locale);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.hbs'))) {
      const [name, variant] = file.replace(/\.hbs$/, '').split('.');
      const targets = variant === 'html' ? [envs.html] : variant === 'text' ? [envs.text] : [envs.html, envs.text];
      for (const env of targets) {
        env.registerPartial(`${locale}/${name}`, compiler(env, env === envs.text, true)(join(folder, file)));
      }
    }
  }
}

interface KindTemplates {
  subject: Compiled;
  html: Compiled;
  text: Compiled;
}

function perLocale<T>(build: (locale: NoticeLocale) => T): PerLocale<T> {
  return { es: build('es'), en: build('en') };
}

export function cleanSubject(subject: string): string {
  const line = singleLine(subject);
  const chars = [...line];
  return chars.length <= MAX_SUBJECT
    ? line
    : `${chars
        .slice(0, MAX_SUBJECT - 1)
        .join('')
        .trimEnd()}…`;
}

function tidyText(text: string): string {
  const lines = text.split('\n').map((line) => line.trimEnd());
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

export function loadTemplates(dir: string): Templates {
  const envs = createEnvs();
  registerPartials(dir, envs);
  const html = compiler(envs.html, false);
  const text = compiler(envs.text, true);
  const layouts = perLocale((l) => ({ html: html(join(dir, '_layouts', `${l}.html.hbs`)), text: text(join(dir, '_layouts', `${l}.text.hbs`)) }));
  const calendar = perLocale((l) => ({
    title: text(join(dir, '_calendar', `title.${l}.hbs`)),
    description: text(join(dir, '_calendar', `description.${l}.hbs`)),
  }));
  const kinds = {} as Record<NoticeKind, PerLocale<KindTemplates>>;
  for (const kind of NOTICE_KINDS) {
    kinds[kind] = perLocale((l) => ({
      subject: text(join(dir, kind, `subject.${l}.hbs`)),
      html: html(join(dir, kind, `html.${l}.hbs`)),
      text: text(join(dir, kind, `text.${l}.hbs`)),
    }));
  }

  const templates: Templates = {
    render(view) {
      const t = kinds[view.kind][view.locale];
      const layout = layouts[view.locale];
      const subject = cleanSubject(t.subject(view));
      return {
        subject,
        html: layout.html({ ...view, subject, body: t.html(view) }),
        text: tidyText(layout.text({ ...view, subject, body: t.text(view) })),
      };
    },
    calendarText(view) {
      const t = calendar[view.locale];
      return { title: cleanSubject(t.title(view)), description: tidyText(t.description(view)).trim() };
    },
  };
  warmUp(templates);
  return templates;
}

/** Handlebars compiles on first use: render everything once now so a broken template stops the worker at start. */
function warmUp(templates: Templates): void {
  for (const kind of NOTICE_KINDS) {
    for (const locale of NOTICE_LOCALES) {
      const view = { ...SAMPLE_VIEW, kind, locale };
      try {
        templates.render(view);
        templates.calendarText(view);
      } catch (error) {
        throw new Error(`La plantilla de correo "${kind}" (${locale}) no se puede usar: ${(error as Error).message}`, { cause: error });
      }
    }
  }
}
