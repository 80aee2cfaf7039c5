/**
 * A reply that reports only progress ("Avance: 45 %") reaches its workflow as the `reportProgress`
 * update, once however often the message is read. The workflow here is a double of the activity's
 * handler (progress-workflow.ts); everything else is the production path: Dovecot over TLS, the
 * mailbox reader, the reply registry, the dev server.
 */
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createReplyRegistry } from '../../activities/email/reply-registry';
import { messageIdFor } from '../../activities/email/message-id';
import { noticeIdOf, replyAddress, replyKey } from '../../activities/email/reply-token';
import { replyRegistryDir } from '../../workers/deps';
import { eventually } from '../helpers/processes';
import { progressDouble, reportsQuery } from './progress-workflow';
import { REPLY_MAILBOX, startMailboxStack, FOLDERS, type MailboxStack } from './stack';

jest.setTimeout(90_000);

const WORKFLOW_ID = 'participacion-ciudadana-2023/13';
let stack: MailboxStack;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  stack = await startMailboxStack('plazos-mailbox-progress');
  const worker = await Worker.create({
    connection: stack.env.nativeConnection,
    taskQueue: 'progress-double',
    workflowsPath: require.resolve('./progress-workflow'),
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
  };
  await stack.env.client.workflow.start(progressDouble, { taskQueue: 'progress-double', workflowId: WORKFLOW_ID });
}, 120_000);

afterAll(async () => {
  await stack?.env.client.workflow
    .getHandle(WORKFLOW_ID)
    .terminate('fin de la prueba')
    .catch(() => undefined);
  await stopWorker?.();
  await stack?.stop();
});

it('"Avance: 45 %" alone is reported as the activity\'s progress by its area, via e-mail, once even when read twice', async () => {
  // What the worker records when it sends a reminder with a Reply-To (activities/email/activities.ts).
  const noticeMessageId = messageIdFor('participacion-ciudadana-2023/13/-/0/reminder-3', 'entidad.test');
  const noticeId = noticeIdOf(noticeMessageId, 'entidad.test')!;
  await createReplyRegistry(replyRegistryDir(stack.dataDir)).remember({
    noticeId,
    kind: 'reminder',
    workflowId: WORKFLOW_ID,
    area: 'ARVIV',
    owner: 'OAPLA',
    locale: 'es',
    plan: { id: 'participacion-ciudadana-2023', title: 'Plan de Participación Ciudadana 2023' },
    activity: { number: 13, title: 'Desarrollar ferias inmobiliarias' },
    period: null,
  });
  const raw = [
    'From: Vivienda <vivienda@entidad.gov.co>',
    `To: ${replyAddress(REPLY_MAILBOX, noticeId, replyKey(stack.secret))}`,
    'Subject: RE: Recordatorio: la actividad 13 vence pronto',
    'Message-ID: <avance-1@entidad.gov.co>',
    `In-Reply-To: ${noticeMessageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Buenos días. Avance: 45 %. Las ferias de junio ya se hicieron.',
    '',
    '> Recordatorio: la actividad 13 vence el 30 de junio (Avance esperado: 100 %)',
    '',
  ].join('\r\n');
  const reader = stack.startReader();
  await stack.imap.deliver(raw);
  await reader.reader.drained();
  await stack.imap.deliver(raw);
  await reader.reader.drained();
  const reports = await stack.env.client.workflow.getHandle(WORKFLOW_ID).query(reportsQuery);
  expect(reports).toEqual([
    {
      percent: 45,
      note: 'Buenos días. Avance: 45 %. Las ferias de junio ya se hicieron.',
      reportedBy: 'ARVIV',
      via: 'email',
      sourceId: '<avance-1@entidad.gov.co>',
    },
  ]);
  expect(await stack.imap.list(FOLDERS.processed)).toEqual(['<avance-1@entidad.gov.co>', '<avance-1@entidad.gov.co>']);
});

it("TLS is verified: a reader that does not trust the server's certificate logs in nowhere, leaves the mail in the inbox and logs no password", async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const reader = stack.startReader(undefined, { env: { PLAZOS_IMAP_CA_FILE: undefined }, logger });
  await stack.imap.deliver(
    'From: vivienda@entidad.gov.co\r\nTo: respuestas@entidad.gov.co\r\nSubject: x\r\nMessage-ID: <tls-1@entidad.gov.co>\r\n\r\nAvance: 10 %\r\n',
  );
  const warned = () => lines.map((l) => JSON.parse(l) as { msg: string; code?: string }).filter((l) => l.msg === 'reply mailbox: will retry');
  await eventually(
    () => Promise.resolve(warned()),
    (w) => w.length >= 2,
    'the reader refused the certificate twice',
  );
  await reader.close();
  expect(warned()[0]!.code).toMatch(/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/);
  expect(await stack.imap.list('INBOX')).toContain('<tls-1@entidad.gov.co>');
  expect(lines.join('')).not.toContain(stack.imap.password);
});
