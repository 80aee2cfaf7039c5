/**
 * Every notice as an area lead reads it, in Spanish and English: the reason the workflow writes
 * (describeReasonSent, calendar/reason.ts) inside the real templates, with the long titles real plans have.
 * A lead reads the mail once; these are the things that made them stop and read it again.
 *
 * Set MAIL_DUMP=<folder> to write each rendered mail there and read them yourself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BusinessCalendar } from '../../../calendar/business-calendar';
import { describeReasonSent } from '../../../calendar/reason';
import { planNotices, type ScheduledNotice } from '../../../calendar/schedule';
import { NOTICE_KINDS, NOTICE_LOCALES, type NoticeEmailInput, type NoticeKind, type NoticeLocale } from '../../../activities/email/types';
import { buildView, shortPhrase } from '../../../activities/email/view';
import { activity, plan } from '../../calendar/seed';
import { AREAS, notice, sharedTemplates } from './fixtures';

// Starts on Thursday 3 December 2026, as in the report that started this; due two weeks later.
const START = '2026-12-03';
const DUE = '2026-12-18';
const calendar = new BusinessCalendar();
const planned = activity({ number: 3, title: 'x', start: START, due: DUE, responsible: ['OAPLA'] });
const schedule = planNotices(plan([planned]), calendar);

function scheduled(kind: NoticeKind): ScheduledNotice | undefined {
  return schedule.find((n) => n.kind === kind);
}

interface Case {
  name: string;
  input: NoticeEmailInput;
}

function inputOf(kind: NoticeKind, locale: NoticeLocale, sentOn: string | null, period: string | null): NoticeEmailInput {
  const base = notice();
  const n = scheduled(kind);
  return notice({
    kind,
    locale,
    idempotencyKey: `participacion-ciudadana-2026/3/-/0/${kind}`,
    activity: { ...base.activity, start: START, due: DUE },
    dueDate: DUE,
    period,
    // What the workflow sends: a reason for the scheduled notices only, built as workflows/period-mail.ts does.
    ...(n ? { reason: describeReasonSent(n.reason, locale, sentOn ?? n.reason.date) } : {}),
    detail: {
      escalation: 2,
      maxEscalations: 3,
      note: locale === 'es' ? 'Se recibió el acta firmada (versión 2).' : 'The signed minutes were received (version 2).',
      checkMessage: locale === 'es' ? 'El archivo PDF está vacío.' : 'The PDF file is empty.',
      rejectReason: locale === 'es' ? 'Falta el listado de asistencia.' : 'The attendance list is missing.',
      newDue: '2027-01-15',
      evidenceUrl: 'https://plazos.entidad.gov.co/evidencias/participacion-ciudadana-2026/3/1?desde=2026-12-03',
      failedRecipients: ['ARCOM'],
    },
  });
}

const cases: Case[] = NOTICE_LOCALES.flatMap((locale) =>
  NOTICE_KINDS.flatMap((kind) => [
    { name: `${kind} ${locale}`, input: inputOf(kind, locale, null, null) },
    { name: `${kind} ${locale}, monthly`, input: inputOf(kind, locale, null, '2026-12') },
    ...(scheduled(kind) ? [{ name: `${kind} ${locale}, sent late`, input: inputOf(kind, locale, '2027-02-01', null) }] : []),
    ...(kind === 'kickoff' ? [{ name: `${kind} ${locale}, sent early`, input: inputOf(kind, locale, '2026-12-01', null) }] : []),
  ]),
);

function render(input: NoticeEmailInput) {
  return sharedTemplates().render(buildView(input, AREAS));
}

/** What a reader sees of the HTML part: tags, entities and the href values gone. */
function visible(html: string): string {
  return html
    .replace(/<(style|title)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Links may carry dates or parentheses; they are not prose. */
function prose(text: string): string {
  return text.replace(/https?:\/\/\S+/g, '<link>');
}

/** The deepest parenthesis nesting in `text`: 1 for "a (b) c", 2 for "a (b (c))". */
function parenDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === '(') max = Math.max(max, ++depth);
    if (ch === ')') depth = Math.max(0, depth - 1);
  }
  return max;
}

const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;

const dump = process.env.MAIL_DUMP;
if (dump) mkdirSync(dump, { recursive: true });

describe('every notice as a lead reads it', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s: a short subject, both parts, one date style, no nested parentheses', (_name, c) => {
    const mail = render(c.input);
    if (dump)
      writeFileSync(
        join(dump, `${_name.replace(/[ ,]+/g, '-')}.txt`),
        `Subject: ${mail.subject}\n\n${mail.text}\n---- HTML ----\n${visible(mail.html)
          .replace(/[ \t]+/g, ' ')
          .replace(/\n\s*\n+/g, '\n')}`,
      );

    expect(mail.subject.trim()).not.toBe('');
    expect([...mail.subject].length).toBeLessThanOrEqual(120);
    expect(mail.text.trim()).not.toBe('');
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    expect(visible(mail.html).trim()).not.toBe('');

    for (const part of [mail.subject, prose(mail.text), prose(visible(mail.html))]) {
      expect(part).not.toContain('((');
      expect(part).not.toMatch(ISO_DATE);
      expect(parenDepth(part)).toBeLessThanOrEqual(1);
      // A reason that ended in a period, inside a sentence the template ends.
      expect(part).not.toMatch(/[^.]\.\.(?!\.)/);
    }
  });

  test('a kickoff sent on its own start day, after its hour, gives the usual reason', () => {
    const kickoff = scheduled('kickoff')!;
    const es = render(
      notice({ activity: { ...notice().activity, start: START, due: DUE }, dueDate: DUE, reason: describeReasonSent(kickoff.reason, 'es', START) }),
    );
    expect(es.text).toContain('\nPor qué recibe este aviso hoy: inicio del periodo (jueves 3 de diciembre de 2026).\n');
    const en = render(
      notice({
        locale: 'en',
        activity: { ...notice().activity, start: START, due: DUE },
        dueDate: DUE,
        reason: describeReasonSent(kickoff.reason, 'en', START),
      }),
    );
    expect(en.text).toContain('\nWhy you are receiving this notice today: start of the period (Thursday 3 December 2026).\n');
  });

  test('a kickoff sent days after its start says which day it was for and when follow-up began', () => {
    const kickoff = scheduled('kickoff')!;
    const es = render(
      notice({ activity: { ...notice().activity, start: START, due: DUE }, dueDate: DUE, reason: describeReasonSent(kickoff.reason, 'es', '2026-12-07') }),
    );
    expect(es.text).toContain(
      '\nPor qué recibe este aviso hoy: estaba previsto para el jueves 3 de diciembre de 2026, pero el seguimiento de esta actividad empezó después, el lunes 7 de diciembre de 2026.\n',
    );
    const en = render(
      notice({
        locale: 'en',
        activity: { ...notice().activity, start: START, due: DUE },
        dueDate: DUE,
        reason: describeReasonSent(kickoff.reason, 'en', '2026-12-07'),
      }),
    );
    expect(en.text).toContain(
      '\nWhy you are receiving this notice today: it was planned for Thursday 3 December 2026, but follow-up of this activity began later, on Monday 7 December 2026.\n',
    );
  });

  test('a kickoff sent before its date, when the plan is started that weekend, says follow-up begins today', () => {
    const kickoff = scheduled('kickoff')!;
    expect(describeReasonSent(kickoff.reason, 'es', '2026-11-28')).toBe(
      'el seguimiento de esta actividad empieza hoy; el aviso estaba previsto para el jueves 3 de diciembre de 2026',
    );
    expect(describeReasonSent(kickoff.reason, 'en', '2026-11-28')).toBe(
      'follow-up of this activity begins today; the notice was planned for Thursday 3 December 2026',
    );
  });
});

describe('the title in a subject', () => {
  test('is cut at a whole word that fits, with an ellipsis', () => {
    expect(shortPhrase('Desarrollar ferias inmobiliarias virtuales o presenciales')).toBe('Desarrollar ferias inmobiliarias…');
    expect(shortPhrase('Socializar la Formulación del Plan Anticorrupción')).toBe('Socializar la Formulación del…');
    expect(shortPhrase('Atender al consumidor financiero')).toBe('Atender al consumidor financiero');
  });
});
