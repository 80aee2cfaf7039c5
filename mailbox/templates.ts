/**
 * The answers the mailbox sends: to a reply that handed nothing in, to a progress figure out of
 * range, to a sender who is not the area's (which says nothing of the plan), and the receipt of a reply that
 * reported only progress (a submission's receipt is the workflow's own notice). One folder per answer with a
 * subject, a text and an HTML part per locale, compiled once at start (strict: a misspelled field
 * stops the reader at start). HTML escapes every value; text and subject are compiled with
 * `noEscape`, and no template is ever compiled from what a message says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { REPO_ROOT } from '../config/paths';
import type { NoticeLocale } from '../activities/email/types';

export const REPLY_TEMPLATES_DIR = join(REPO_ROOT, 'mailbox', 'templates');

export type AnswerKind = 'refused-sender' | 'not-received' | 'progress-received' | 'progress-refused';

export interface AnswerView {
  activityNumber: number;
  activityTitle: string;
  planTitle: string;
  areaName: string;
  ownerName: string;
  sender: string;
  reason?: string;
  detail?: string;
  /** The percent recorded (progress-received). */
  percent?: number;
  /** The figure the sender wrote, digits and sign only (progress-refused). */
  written?: string;
}

export type AnswerTemplates = (kind: AnswerKind, locale: NoticeLocale, view: AnswerView) => { subject: string; text: string; html: string };

const SAMPLE: Required<AnswerView> = {
  activityNumber: 13,
  activityTitle: 'Desarrollar ferias inmobiliarias',
  planTitle: 'Plan de Participación Ciudadana 2023',
  areaName: 'Área de Vivienda',
  ownerName: 'Oficina Asesora de Planeación',
  sender: 'persona@ejemplo.gov.co',
  reason: 'Motivo.',
  detail: 'Detalle.',
  percent: 45,
  written: '999',
};

export function loadAnswerTemplates(dir = REPLY_TEMPLATES_DIR): AnswerTemplates {
  const html = Handlebars.create();
  const text = Handlebars.create();
  const compiled = new Map<string, { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate }>();
  for (const kind of ['refused-sender', 'not-received', 'progress-received', 'progress-refused'] as const) {
    for (const locale of ['es', 'en'] as const) {
      const read = (part: string) => readFileSync(join(dir, kind, `${part}.${locale}.hbs`), 'utf8');
      const set = {
        subject: text.compile(read('subject'), { strict: true, noEscape: true }),
        text: text.compile(read('text'), { strict: true, noEscape: true }),
        html: html.compile(read('html'), { strict: true }),
      };
      // Rendered once with every field, so a template error stops the reader at start.
      set.subject(SAMPLE);
      set.text(SAMPLE);
      set.html(SAMPLE);
      compiled.set(`${kind}.${locale}`, set);
    }
  }
  return (kind, locale, view) => {
    const set = compiled.get(`${kind}.${locale}`)!;
    const full = { reason: '', detail: '', written: '', ...view };
    return {
      subject: set
        .subject(full)
        .trim()
        .replace(/[\r\n]+/g, ' '),
      text: set.text(full),
      html: set.html(full),
    };
  };
}
