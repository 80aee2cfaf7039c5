/**
 * Where a notice's time goes inside the e-mail activity, step by step, in this process: not a
 * ratio and not part of `npm run bench`, a breakdown to read next to the burst's figure
 * (`rafaga/N/frente-a-temporal`). CPU per notice (user + system of this process) for N notices:
 *
 *   node dist/bench/activity-path.js [N]
 *
 * Steps: the input schema, composing the message (templates, and the .ics for a kickoff), the
 * .ics alone, the sent-ledger (on tmpfs when there is one), nodemailer's pooled transport to a
 * local SMTP capture (the capture's parsing runs in this process too), and sendNotice whole.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { createEmailActivities } from '../activities/email/activities';
import { calendarEvent } from '../activities/email/calendar-event';
import { composeNotice } from '../activities/email/compose';
import { NoticeEmailInputSchema } from '../activities/email/input-schema';
import { resolveRecipients } from '../activities/email/recipients';
import { sentLedger } from '../activities/email/sent-ledger';
import { openRecords } from '../store/records';
import { loadTemplates } from '../activities/email/templates';
import type { NoticeEmailInput } from '../activities/email/types';
import { AreasDirectorySchema } from '../plans/areas';
import { startMailCapture } from '../simulation/mail-capture';
import { TEMPLATES_DIR } from '../workers/deps';

const FROM = 'Plazos <plazos@entidad.gov.co>';
const AREAS = AreasDirectorySchema.parse({
  OAPLA: { name: 'Oficina Asesora de Planeación', email: ['planeacion@entidad.gov.co'], cc: ['seguimiento.planeacion@entidad.gov.co'] },
  ARCOM: { name: 'Área de Comunicaciones', email: ['comunicaciones@entidad.gov.co'], cc: ['jefe.comunicaciones@entidad.gov.co'] },
});

/** A kickoff of the seed plan's activity 3, as the workflow sends it. */
function kickoff(i: number): NoticeEmailInput {
  return {
    idempotencyKey: `participacion-ciudadana-2023/${i}/-/0/kickoff`,
    kind: 'kickoff',
    locale: 'es',
    to: ['ARCOM'],
    cc: ['OAPLA'],
    plan: { id: 'participacion-ciudadana-2023', title: 'Plan de Participación Ciudadana 2023', year: 2023, entity: 'Caja Honor' },
    activity: {
      number: 3,
      title: 'Socializar la Formulación del Plan Anticorrupción y Atención al Ciudadano PAAC para la vigencia del 2023.',
      deliverable: 'Registro de socialización en PAAC.',
      start: '2023-01-04',
      due: '2023-01-20',
      responsible: ['ARCOM'],
    },
    period: null,
    dueDate: '2023-01-20',
    links: { evidence: 'https://plazos.entidad.gov.co/evidencias/participacion-ciudadana-2023/3' },
  };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function step(label: string, n: number, one: (i: number) => unknown): Promise<void> {
  const before = cpuMs();
  await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  process.stdout.write(`${label.padEnd(44)} ${((cpuMs() - before) / n).toFixed(3)} ms CPU por aviso\n`);
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  const templates = loadTemplates(TEMPLATES_DIR);
  const recipients = resolveRecipients(['ARCOM'], ['OAPLA'], AREAS);
  const ctx = { templates, areas: AREAS, from: FROM, domain: 'entidad.gov.co' };
  // Warm-up: the burst's worker has compiled all of this by the time the 08:00 notices go out.
  for (let i = 0; i < 100; i++) composeNotice(NoticeEmailInputSchema.parse(kickoff(i)), recipients, `<w${i}@x>`, ctx);
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dirs = [mkdtempSync(join(base, 'plazos-path-')), mkdtempSync(join(base, 'plazos-path-'))];
  const mail = await startMailCapture();
  const transport = nodemailer.createTransport(`${mail.url}?pool=true`);
  const opened = await Promise.all(dirs.map((dir) => openRecords({ dataDir: dir })));
  try {
    await step('esquema de entrada (zod)', n, (i) => NoticeEmailInputSchema.parse(kickoff(i)));
    await step('componer el mensaje (plantillas + .ics)', n, (i) => composeNotice(kickoff(i), recipients, `<c${i}@x>`, ctx));
    await step('componer sin .ics (aviso de vencimiento)', n, (i) => composeNotice({ ...kickoff(i), kind: 'due' }, recipients, `<d${i}@x>`, ctx));
    await step('solo el .ics', n, (i) =>
      calendarEvent({
        uid: `${i}@entidad.gov.co`,
        dueDate: '2023-01-20',
        title: 'Fecha límite: actividad 3',
        description: 'Entregable',
        url: 'https://x.gov.co/e',
      }),
    );
    const ledger = sentLedger(opened[0]!.sent);
    await step('registro de envíos: buscar (no está)', n, (i) => ledger.find(`k${i}`));
    await step('registro de envíos: anotar', n, (i) => ledger.record({ idempotencyKey: `k${i}`, messageId: '<m@x>', accepted: ['ARCOM'], rejected: [] }));
    const messages = Array.from({ length: n }, (_, i) => composeNotice(kickoff(i), recipients, `<s${i}@x>`, ctx));
    await step('nodemailer (pool) + captura SMTP', n, (i) => transport.sendMail(messages[i] ?? {}));
    const activities = createEmailActivities({
      transport,
      templates,
      ledger: sentLedger(opened[1]!.sent),
      areas: AREAS,
      from: FROM,
      logger: pino({ level: 'silent' }),
    });
    await step('sendNotice completo + captura SMTP', n, (i) => activities.sendNotice(kickoff(n + i)));
  } finally {
    transport.close();
    await mail.close();
    await Promise.all(opened.map((r) => r.close()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
