import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { createEmailActivities } from '../../../activities/email/activities';
import { sentLedger } from '../../../activities/email/sent-ledger';
import { testRecords } from '../../helpers/records';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp';
import { ALL_ADDRESSES, AREAS, FROM, harness, notice, sharedTemplates, tempDir, captureLogs, type Harness } from './fixtures';

const KEY = 'participacion-ciudadana-2023/3/-/0/kickoff';
// The spec: <first 32 hex digits of sha256(key)@domain of the sender>.
const EXPECTED_MESSAGE_ID = `<${createHash('sha256').update(KEY).digest('hex').slice(0, 32)}@entidad.gov.co>`;

let server: TestSmtpServer;
let dir: string;
let h: Harness;

beforeAll(async () => {
  server = await startSmtpServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.reset();
  dir = tempDir();
  h = harness(server, dir);
});
afterEach(() => {
  h.transport.close();
  rmSync(dir, { recursive: true, force: true });
});

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

describe('a kickoff notice at the SMTP server', () => {
  test('arrives once with a text part, an HTML part, the deterministic Message-ID and the sender', async () => {
    const receipt = await h.activities.sendNotice(notice());
    const { parsed } = only(server.messages);
    expect(receipt).toEqual({ messageId: EXPECTED_MESSAGE_ID, idempotencyKey: KEY, accepted: ['OAPLA', 'ARCOM'], rejected: [], duplicate: false });
    expect(parsed.messageId).toBe(EXPECTED_MESSAGE_ID);
    expect(parsed.from?.value).toEqual([{ address: 'plazos@entidad.gov.co', name: 'Plazos Caja Honor' }]);
    expect(parsed.text).toContain('Se espera el siguiente entregable: Registro de socialización en PAAC, a más tardar el viernes 20 de enero de 2023.');
    expect(parsed.html).toContain('<strong>viernes 20 de enero de 2023</strong>');
    expect(parsed.subject).toBe('Inicia la actividad 3: Socializar la Formulación del… · vence el viernes 20 de enero de 2023');
  });

  test("goes To the area's mailbox and copies its cc and the copied area's mailboxes, from the areas directory", async () => {
    await h.activities.sendNotice(notice({ to: ['OAPLA'], cc: ['ARCOM'] }));
    const { parsed, envelope } = only(server.messages);
    const addresses = (field: typeof parsed.to) => (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address));
    expect(addresses(parsed.to)).toEqual(['planeacion@entidad.gov.co']);
    expect(addresses(parsed.cc)).toEqual(['seguimiento.planeacion@entidad.gov.co', 'comunicaciones@entidad.gov.co', 'jefe.comunicaciones@entidad.gov.co']);
    expect(envelope.to.sort()).toEqual(
      ['planeacion@entidad.gov.co', 'seguimiento.planeacion@entidad.gov.co', 'comunicaciones@entidad.gov.co', 'jefe.comunicaciones@entidad.gov.co'].sort(),
    );
    expect(envelope.from).toBe('plazos@entidad.gov.co');
  });

  test('carries the due date as an all-day calendar event (METHOD:PUBLISH) with a stable UID', async () => {
    await h.activities.sendNotice(notice());
    const { parsed } = only(server.messages);
    const ics = only(parsed.attachments.filter((a) => a.contentType === 'text/calendar'));
    const content = ics.content.toString('utf8');
    expect(ics.filename).toBe('fecha-limite-actividad-3.ics');
    expect(content).toContain('METHOD:PUBLISH');
    expect(content).toContain('DTSTART;VALUE=DATE:20230120');
    expect(content).toContain('DTEND;VALUE=DATE:20230121');
    expect(content).toMatch(/SUMMARY:Fecha límite: Registro de socialización en PAAC \(actividad 3\)/);
    const uid = /UID:(\S+)/.exec(content)?.[1];
    expect(uid).toMatch(/^[0-9a-f]{32}@entidad\.gov\.co$/);

    // A reminder about the same deliverable updates the same calendar entry instead of adding another.
    await h.activities.sendNotice(notice({ kind: 'reminder', idempotencyKey: 'participacion-ciudadana-2023/3/-/0/reminder-10' }));
    const reminder = server.messages[1]?.parsed.attachments.find((a) => a.contentType === 'text/calendar');
    expect(reminder?.content.toString('utf8')).toContain(`UID:${uid}`);
  });

  test('is marked as automatic and in Spanish (Colombia), so out-of-office replies stay quiet', async () => {
    await h.activities.sendNotice(notice());
    const { parsed } = only(server.messages);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('content-language')).toBe('es-CO');
  });
});

test('a notice that is not a kickoff or reminder has no calendar attachment', async () => {
  await h.activities.sendNotice(
    notice({ kind: 'escalation', idempotencyKey: 'participacion-ciudadana-2023/3/-/0/escalation-1', detail: { escalation: 1, maxEscalations: 3 } }),
  );
  const { parsed } = only(server.messages);
  expect(parsed.attachments).toEqual([]);
  expect(parsed.subject).toBe('Escalamiento 1 de 3 · OAPLA: entregable pendiente de la actividad 3');
});

test('an English notice arrives in English with an English calendar file name', async () => {
  await h.activities.sendNotice(notice({ locale: 'en', kind: 'reminder' }));
  const { parsed } = only(server.messages);
  expect(parsed.subject).toBe('Reminder: activity 3 is due on Friday 20 January 2023; please submit the evidence');
  expect(parsed.headers.get('content-language')).toBe('en');
  expect(parsed.attachments.map((a) => a.filename)).toEqual(['due-date-activity-3.ics']);
});

describe('hostile plan text sent through SMTP', () => {
  const hostile = 'Informe <script>alert(1)</script> & "citas"\r\nBcc: victima@example.com\r\nX-Injected: 1';
  // Subjects carry a title cut to 32 characters: this one fits whole, header lines and all.
  const hostileTitle = '"c"\r\nBcc: v@x.co\r\nX-Injected: 1';

  test('is escaped in HTML, readable in text, and adds no header or recipient', async () => {
    await h.activities.sendNotice(notice({ activity: { ...notice().activity, title: hostileTitle, deliverable: hostile } }));
    const { parsed, envelope } = only(server.messages);
    expect(parsed.subject).toContain('"c" Bcc: v@x.co X-Injected: 1');
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.headers.has('x-injected')).toBe(false);
    expect(envelope.to).not.toContain('victima@example.com');
    expect(envelope.to).not.toContain('v@x.co');
    expect(parsed.html).not.toContain('<script>');
    expect(parsed.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;citas&quot;');
    expect(parsed.text).toContain('Entregable: Informe <script>alert(1)</script> & "citas" Bcc: victima@example.com X-Injected: 1');
  });
});

test('the logs name the key, the kind and the Message-ID but no address and no area name', async () => {
  await h.activities.sendNotice(notice());
  const sent = h.logs.entries().find((e) => e.msg === 'Notice sent');
  expect(sent).toMatchObject({ idempotencyKey: KEY, kind: 'kickoff', messageId: EXPECTED_MESSAGE_ID, accepted: ['OAPLA', 'ARCOM'] });
  const text = h.logs.text();
  for (const address of ALL_ADDRESSES) expect(text).not.toContain(address);
  expect(text).not.toContain('Oficina Asesora de Planeación');
});

test('a pooled SMTP transport, as in production, delivers the notice the same way', async () => {
  const pooled = nodemailer.createTransport({ ...server.transportOptions, pool: true, maxConnections: 2 });
  const activities = createEmailActivities({
    transport: pooled,
    templates: sharedTemplates(),
    ledger: sentLedger(testRecords(dir).sent),
    areas: AREAS,
    from: FROM,
    logger: captureLogs().logger,
  });
  try {
    const receipt = await activities.sendNotice(notice());
    expect(receipt.duplicate).toBe(false);
    expect(only(server.messages).parsed.messageId).toBe(EXPECTED_MESSAGE_ID);
  } finally {
    pooled.close();
  }
});

test('a sender without a domain is refused when the activities are built, not at the first send', () => {
  expect(() =>
    createEmailActivities({ transport: h.transport, templates: sharedTemplates(), ledger: h.ledger, areas: AREAS, from: 'Plazos', logger: h.logs.logger }),
  ).toThrow(/El remitente debe ser una sola dirección de correo/);
});
