import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplates } from '../../../activities/email/templates';
import { NOTICE_KINDS, type NoticeEmailInput, type NoticeKind } from '../../../activities/email/types';
import { buildView } from '../../../activities/email/view';
import { AREAS, TEMPLATES_DIR, notice, sharedTemplates, tempDir } from './fixtures';

const TITLE = 'Socializar la Formulación del Plan Anticorrupción y Atención al Ciudadano PAAC para la vigencia del 2023';
// Subjects carry the title cut at a word, so the action and the date still show on a phone.
const SHORT_TITLE = 'Socializar la Formulación del…';

/** One notice per kind, with the details that kind is about. */
function noticeOf(kind: NoticeKind, locale: 'es' | 'en'): NoticeEmailInput {
  return notice({
    kind,
    locale,
    idempotencyKey: `participacion-ciudadana-2023/3/-/0/${kind}`,
    reason:
      locale === 'es' ? '3 días hábiles antes del vencimiento (viernes 20 de enero de 2023)' : '3 business days before the due date (Friday 20 January 2023)',
    detail: {
      escalation: 2,
      maxEscalations: 3,
      checkMessage: 'El archivo PDF está vacío.',
      rejectReason: 'Falta el listado de asistencia.',
      newDue: '2023-02-03',
      evidenceUrl: 'https://plazos.entidad.gov.co/evidencias/participacion-ciudadana-2023/3/1',
      failedRecipients: ['ARCOM'],
    },
  });
}

// What a Spanish reader sees: the subject, and one sentence of the body that says what this notice is about.
const SPANISH: Record<NoticeKind, [subject: string, body: string]> = {
  kickoff: [
    `Inicia la actividad 3: ${SHORT_TITLE} · vence el viernes 20 de enero de 2023`,
    'Se espera el siguiente entregable: Registro de socialización en PAAC, a más tardar el viernes 20 de enero de 2023.',
  ],
  reminder: [
    'Recordatorio: la actividad 3 vence el viernes 20 de enero de 2023; registre la evidencia',
    'el caso se escalará a la dependencia que lidera el plan: Oficina Asesora de Planeación (OAPLA)',
  ],
  due: [`Hoy vence la actividad 3: registre hoy la evidencia · ${SHORT_TITLE}`, 'Por favor registre la evidencia hoy.'],
  escalation: ['Escalamiento 2 de 3 · OAPLA: entregable pendiente de la actividad 3', 'Este es el escalamiento 2 de 3.'],
  missed: [`Actividad 3 registrada como no cumplida: ${SHORT_TITLE}`, 'quedó registrada como NO CUMPLIDA'],
  'evidence-received': [
    'Recibimos la evidencia de la actividad 3',
    'Puede consultar la evidencia en: https://plazos.entidad.gov.co/evidencias/participacion-ciudadana-2023/3/1',
  ],
  'check-failed': ['Corrija la evidencia de la actividad 3 y regístrela de nuevo', 'El archivo PDF está vacío.'],
  'review-requested': ['Revise la evidencia que OAPLA registró para la actividad 3', 'Por favor revísela y apruébela, o devuélvala con sus observaciones'],
  approved: ['Evidencia aprobada: actividad 3', 'no se requiere ninguna acción adicional'],
  rejected: ['Evidencia devuelta: la actividad 3 necesita ajustes · nuevo vencimiento: viernes 3 de febrero de 2023', 'Falta el listado de asistencia.'],
  extended: ['Nuevo plazo para la actividad 3: viernes 3 de febrero de 2023', 'La nueva fecha de vencimiento es el viernes 3 de febrero de 2023.'],
  amended: [`Cambios en la actividad 3: ${SHORT_TITLE}`, 'Estos son los datos vigentes de la actividad:'],
  cancelled: [`Actividad 3 cancelada: ${SHORT_TITLE}`, 'ya no requiere entregable'],
  'delivery-failed': ['No se pudo entregar un aviso de la actividad 3', '- Área de Comunicaciones (ARCOM)'],
};

const ENGLISH_SUBJECT: Record<NoticeKind, string> = {
  kickoff: 'Activity 3 starts',
  reminder: 'Reminder: activity 3 is due on Friday 20 January 2023',
  due: 'Due today: submit the evidence for activity 3',
  escalation: 'Escalation 2 of 3 · OAPLA: activity 3 is overdue',
  missed: 'Activity 3 recorded as missed',
  'evidence-received': 'Evidence received for activity 3',
  'check-failed': 'Correct the evidence for activity 3 and submit it again',
  'review-requested': 'Review the evidence OAPLA submitted for activity 3',
  approved: 'Evidence approved: activity 3',
  rejected: 'Evidence returned: activity 3 needs changes',
  extended: 'New due date for activity 3: Friday 3 February 2023',
  amended: 'Changes to activity 3',
  cancelled: 'Activity 3 cancelled',
  'delivery-failed': 'A notice about activity 3 could not be delivered',
};

const HTML_TAGS = /<\/?(p|strong|table|tr|td|a|ul|li|br|blockquote|html)\b/i;

function render(input: NoticeEmailInput) {
  return sharedTemplates().render(buildView(input, AREAS));
}

describe('notice templates', () => {
  test.each(NOTICE_KINDS.map((kind) => [kind, SPANISH[kind][0]]))('the %s notice reads "%s" in Spanish, with an HTML and a text part', (kind) => {
    const [subject, sentence] = SPANISH[kind];
    const mail = render(noticeOf(kind, 'es'));
    expect(mail.subject).toBe(subject);
    expect(mail.html).toMatch(/^<!DOCTYPE html>\s*<html lang="es-CO">/);
    expect(mail.html).toContain('Cordial saludo:');
    expect(mail.text).toContain('Cordial saludo:');
    expect(mail.text).toContain(sentence);
    expect(mail.text).toContain('Plan de Participación Ciudadana 2023');
    expect(mail.text).not.toMatch(HTML_TAGS);
  });

  test.each(NOTICE_KINDS.map((kind) => [kind, ENGLISH_SUBJECT[kind]]))('the %s notice reads "%s…" in English, with an HTML and a text part', (kind) => {
    const mail = render(noticeOf(kind, 'en'));
    expect(mail.subject.startsWith(ENGLISH_SUBJECT[kind])).toBe(true);
    expect(mail.html).toMatch(/^<!DOCTYPE html>\s*<html lang="en">/);
    expect(mail.html).toContain('Kind regards,');
    expect(mail.text).toContain('Kind regards,');
    expect(mail.text).not.toMatch(HTML_TAGS);
    expect(mail.text).not.toMatch(/Cordial saludo|Atentamente|actividad 3/);
  });

  test('dates read "viernes 20 de enero de 2023" in Spanish and "Friday 20 January 2023" in English', () => {
    expect(render(noticeOf('reminder', 'es')).text).toContain('Vencimiento: viernes 20 de enero de 2023');
    expect(render(noticeOf('reminder', 'es')).text).toContain('Inicio: miércoles 4 de enero de 2023');
    expect(render(noticeOf('reminder', 'en')).text).toContain('Due date: Friday 20 January 2023');
  });

  test('a monthly period reads "marzo de 2023" next to the activity number', () => {
    const mail = render(notice({ kind: 'reminder', period: '2023-03', dueDate: '2023-04-05' }));
    expect(mail.subject).toBe('Recordatorio: la actividad 3 (marzo de 2023) vence el miércoles 5 de abril de 2023; registre la evidencia');
    expect(mail.text).toContain('Periodo: marzo de 2023');
  });

  test('the kickoff says the whole title, what is expected, by when, what happens next and where to submit the evidence', () => {
    const { text, html } = render(notice());
    expect(text).toContain(`Actividad: 3. ${TITLE}`);
    expect(text).toContain('Se espera el siguiente entregable: Registro de socialización en PAAC, a más tardar el viernes 20 de enero de 2023.');
    expect(text).toContain('el caso se escalará a la dependencia que lidera el plan: Oficina Asesora de Planeación (OAPLA)');
    expect(text).toContain('Registre la evidencia en: https://plazos.entidad.gov.co/evidencias/participacion-ciudadana-2023/3');
    expect(html).toContain('<a href="https://plazos.entidad.gov.co/evidencias/participacion-ciudadana-2023/3"');
  });

  test('the last escalation warns that the activity will be recorded as missed; an earlier one says more will follow', () => {
    const last = render(notice({ kind: 'escalation', detail: { escalation: 3, maxEscalations: 3 } })).text;
    const earlier = render(notice({ kind: 'escalation', detail: { escalation: 1, maxEscalations: 3 } })).text;
    expect(last).toContain('Es el último escalamiento');
    expect(last).not.toContain('enviaremos nuevos escalamientos');
    expect(earlier).toContain('enviaremos nuevos escalamientos');
    expect(earlier).not.toContain('Es el último escalamiento');
  });

  test('a notice without an evidence link has no link button and no empty link', () => {
    const { html, text } = render(notice({ links: undefined }));
    expect(html).not.toContain('<a href');
    expect(text).not.toContain('Registre la evidencia en:');
  });
});

describe('plan text in the templates', () => {
  const hostile = 'Informe <script>alert(1)</script> de "Ríos & Cía" \'2023\'\r\nBcc: victima@example.com';
  const mail = () =>
    render(
      notice({
        kind: 'rejected',
        activity: { ...notice().activity, title: hostile, deliverable: hostile },
        detail: { rejectReason: `Primera línea <b>negrita</b> & más\r\nSegunda línea "citada"` },
      }),
    );

  test('is escaped in the HTML part: a <script> shows as text and never runs', () => {
    const { html } = mail();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>negrita</b>');
    expect(html).toContain('Informe &lt;script&gt;alert(1)&lt;/script&gt; de &quot;Ríos &amp; Cía&quot; &#x27;2023&#x27; Bcc: victima@example.com');
    expect(html).toContain('Primera línea &lt;b&gt;negrita&lt;/b&gt; &amp; más<br>\nSegunda línea &quot;citada&quot;');
  });

  test('reads as written in the text part, without HTML entities', () => {
    const { text } = mail();
    expect(text).toContain('Actividad: 3. Informe <script>alert(1)</script> de "Ríos & Cía" \'2023\' Bcc: victima@example.com');
    expect(text).toContain('Primera línea <b>negrita</b> & más\nSegunda línea "citada"');
    expect(text).not.toMatch(/&amp;|&lt;|&quot;|&#x27;/);
  });

  test('cannot break the subject into a second header line', () => {
    // Short enough that the subject carries all of it.
    const { subject } = render(notice({ activity: { ...notice().activity, title: '"Ríos & Cía"\r\nBcc: v@x.co' } }));
    expect(subject).not.toMatch(/\p{Cc}/u);
    expect(subject).toContain('"Ríos & Cía" Bcc: v@x.co');
  });

  test('a very long title is cut at a word in the subject, with an ellipsis, and the due date still shows', () => {
    const { subject } = render(notice({ activity: { ...notice().activity, title: 'Palabra '.repeat(60) } }));
    expect(subject).toBe('Inicia la actividad 3: Palabra Palabra Palabra Palabra… · vence el viernes 20 de enero de 2023');
  });
});

describe('loading the templates', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tempDir(), 'templates');
    cpSync(TEMPLATES_DIR, dir, { recursive: true });
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  test('stops at start, naming the file, when a template is missing', () => {
    rmSync(join(dir, 'reminder', 'subject.en.hbs'));
    expect(() => loadTemplates(dir)).toThrow(/Falta la plantilla de correo .*reminder.*subject\.en\.hbs/);
  });

  test('stops at start when a template names a field a notice does not have', () => {
    writeFileSync(join(dir, 'approved', 'text.es.hbs'), 'Actividad {{activty.number}}\n');
    expect(() => loadTemplates(dir)).toThrow(/"approved" \(es\)/);
  });

  test('stops at start when a template has a syntax error', () => {
    writeFileSync(join(dir, 'due', 'html.en.hbs'), '<p>{{#if reason}}unclosed</p>\n');
    expect(() => loadTemplates(dir)).toThrow(/html\.en\.hbs tiene un error de sintaxis/);
  });
});
