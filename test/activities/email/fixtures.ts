/**
 * Shared pieces for the e-mail activity tests: an areas directory, a notice from the 2023 Citizen
 * Participation Plan (activity 3, due Friday 20 January 2023), a logger that keeps its lines, and
 * the activities wired to a real SMTP server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pino, { type Logger } from 'pino';
import { AreasDirectorySchema, type AreasDirectory } from '../../../plans/areas';
import { createEmailActivities, type EmailDeps } from '../../../activities/email/activities';
import { sentLedger, type SentLedger } from '../../../activities/email/sent-ledger';
import { testRecords } from '../../helpers/records';
import { loadTemplates, type Templates } from '../../../activities/email/templates';
import type { NoticeEmailInput } from '../../../activities/email/types';
import type { TestSmtpServer } from '../../helpers/smtp';

export const TEMPLATES_DIR = join(__dirname, '../../../activities/email/templates');

export const FROM = 'Plazos Caja Honor <plazos@entidad.gov.co>';

export const AREAS: AreasDirectory = AreasDirectorySchema.parse({
  OAPLA: { name: 'Oficina Asesora de Planeación', email: ['planeacion@entidad.gov.co'], cc: ['seguimiento.planeacion@entidad.gov.co'] },
  ARCOM: { name: 'Área de Comunicaciones', email: ['comunicaciones@entidad.gov.co'], cc: ['jefe.comunicaciones@entidad.gov.co'] },
  ASERA: { name: 'Área de Servicio al Afiliado', email: ['servicio.afiliado@entidad.gov.co'], cc: [] },
});

/** Every address in AREAS: logs and failures must contain none of them. */
export const ALL_ADDRESSES = Object.values(AREAS).flatMap((area) => [...area.email, ...area.cc]);

export function notice(overrides: Partial<NoticeEmailInput> = {}): NoticeEmailInput {
  return {
    idempotencyKey: 'participacion-ciudadana-2023/3/-/0/kickoff',
    kind: 'kickoff',
    locale: 'es',
    to: ['OAPLA'],
    cc: ['ARCOM'],
    plan: { id: 'participacion-ciudadana-2023', title: 'Plan de Participación Ciudadana 2023', year: 2023, entity: 'Caja Honor' },
    activity: {
      number: 3,
      title: 'Socializar la Formulación del Plan Anticorrupción y Atención al Ciudadano PAAC para la vigencia del 2023.',
      deliverable: 'Registro de socialización en PAAC.',
      start: '2023-01-04',
      due: '2023-01-20',
      responsible: ['OAPLA'],
    },
    period: null,
    dueDate: '2023-01-20',
    links: { evidence: 'https://plazos.entidad.gov.co/evidencias/participacion-ciudadana-2023/3' },
    ...overrides,
  };
}

export interface LogCapture {
  logger: Logger;
  /** Everything logged so far, as written (JSON lines). */
  text(): string;
  entries(): Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return {
    logger,
    text: () => lines.join(''),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'plazos-email-'));
}

let templates: Templates | undefined;
export function sharedTemplates(): Templates {
  templates ??= loadTemplates(TEMPLATES_DIR);
  return templates;
}

export interface Harness {
  activities: ReturnType<typeof createEmailActivities>;
  transport: ReturnType<typeof nodemailer.createTransport>;
  logs: LogCapture;
  ledger: SentLedger;
}

/** The activities as the worker builds them, pointed at the test SMTP server and a ledger in `ledgerDir`. */
export function harness(server: Pick<TestSmtpServer, 'transportOptions'>, ledgerDir: string, deps: Partial<EmailDeps> = {}): Harness {
  const transport = nodemailer.createTransport(server.transportOptions);
  const logs = captureLogs();
  const ledger = deps.ledger ?? sentLedger(testRecords(ledgerDir).sent);
  const activities = createEmailActivities({
    transport,
    templates: sharedTemplates(),
    ledger,
    areas: AREAS,
    from: FROM,
    logger: logs.logger,
    ...deps,
  });
  return { activities, transport, logs, ledger };
}
