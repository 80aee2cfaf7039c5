/**
 * The weekly digest tells OAPLA about the mail itself: notices of its plan that still cannot go out
 * (why, what to change) and notices of the past week that left late. Sent through a real SMTP
 * server, with the list read from the worker's own store.
 */
import { rmSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { createDigestActivities } from '../../../activities/digest/activities';
import { loadDigestTemplates } from '../../../activities/digest/templates';
import type { SendDigestInput } from '../../../activities/digest/types';
import { sentLedger } from '../../../activities/email/sent-ledger';
import type { PlanList } from '../../../activities/plan-list';
import { BusinessCalendar } from '../../../calendar/business-calendar';
import { testRecords } from '../../helpers/records';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp';
import { AREAS, captureLogs, FROM, sharedTemplates, tempDir } from '../email/fixtures';

const PLAN = 'participacion-ciudadana-2023';
const HOUR = 3_600_000;

let server: TestSmtpServer;
let dir: string;
beforeAll(async () => {
  server = await startSmtpServer();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.reset();
  dir = tempDir();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function input(date: string): SendDigestInput {
  return {
    plan: { id: PLAN, title: 'Plan de Participación Ciudadana 2023', owner: 'OAPLA', timezone: 'America/Bogota' },
    locale: 'es',
    content: { date, horizon: date, overdue: [], dueSoon: [], inReview: [], missed: 0 },
  };
}

// Sending reads no list: the content comes in the input, as the digest workflow passes it.
const unlisted: PlanList = {
  deliverables: () => Promise.reject(new Error('not listed in this test')),
  running: () => Promise.reject(new Error('not listed in this test')),
  missed: () => Promise.reject(new Error('not listed in this test')),
};

async function sendDigest(date: string) {
  const records = testRecords(dir);
  const transport = nodemailer.createTransport(server.transportOptions);
  try {
    const activities = createDigestActivities({
      transport,
      templates: sharedTemplates(),
      ledger: sentLedger(records.sent),
      unsent: records.unsent,
      areas: AREAS,
      from: FROM,
      logger: captureLogs().logger,
      digestTemplates: loadDigestTemplates(),
      calendar: new BusinessCalendar(),
      planList: unlisted,
    });
    await activities.sendDigest(input(date));
    return server.messages.at(-1)!.parsed;
  } finally {
    transport.close();
  }
}

const unsentNotice = (n: number, planId = PLAN) => ({
  idempotencyKey: `${planId}/${n}/-/0/kickoff`,
  workflowId: `${planId}/${n}`,
  planId,
  kind: 'kickoff',
  code: 'auth-rejected',
  reason: 'El servidor SMTP rechazó el usuario o la clave.',
  fix: 'Usuario o clave rechazados: corrija el usuario y la clave en PLAZOS_SMTP_URL.',
});

test('without mail trouble the digest has no mail section', async () => {
  const mail = await sendDigest('2023-08-14');
  expect(mail.text).not.toContain('CORREO');
  expect(mail.html).not.toContain('<strong>Correo</strong>');
});

test('lists the plan’s notices still unsent with why and what to do, and those of the week that left late', async () => {
  const unsent = testRecords(dir).unsent;
  const now = Date.now();
  await unsent.failed(unsentNotice(1), now - 3 * HOUR);
  await unsent.failed(unsentNotice(2), now - 2 * HOUR);
  await unsent.failed(unsentNotice(3), now - 2 * HOUR);
  await unsent.cleared(`${PLAN}/3/-/0/kickoff`, 'sent', now - HOUR);
  // Another plan's trouble is not this plan's digest's.
  await unsent.failed(unsentNotice(9, 'otro-plan-2023'), now - HOUR);

  const mail = await sendDigest('2023-08-21');
  expect(mail.text).toContain('CORREO');
  expect(mail.text).toMatch(
    /- 2 avisos del plan siguen sin enviarse desde el \d+ \w+ \d{4}, \d\d:\d\d\. Motivo: El servidor SMTP rechazó el usuario o la clave\. Qué hacer: Usuario o clave rechazados/,
  );
  expect(mail.text).toMatch(/- 1 aviso salió con retraso esta semana: el correo no salió entre el .+ y el .+\./);
  expect(mail.html).toContain('<strong>2</strong> avisos del plan siguen sin enviarse');
  expect(mail.html).toContain('<strong>1</strong> aviso salió con retraso esta semana');
});
