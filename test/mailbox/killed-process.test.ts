/**
 * The production mailbox process (`node dist/workers/mailbox.js`) killed with SIGKILL in the middle
 * of a message: here while it waits on the SMTP server to take its answer to a reply, after it read
 * the message and before it recorded or moved anything. The next process answers once and files
 * the message; nothing is lost and nothing is sent twice. (replies.test.ts stops a reader right
 * after the workflow took the evidence, the other point where a crash could double a submission.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { startPlan } from '../../client/start-plan';
import { REPO_ROOT } from '../../config/paths';
import { statusQuery, type PeriodStatusView } from '../../workflows/shared';
import { buildWorker, eventually } from '../helpers/processes';
import { webTestPlan } from '../web/stack';
import { gmailReply, pdf } from './client-shapes';
import { FOLDERS, REPLY_MAILBOX, startMailboxStack, type MailboxStack } from './stack';

jest.setTimeout(120_000);

const { calendar, plan } = webTestPlan(1);
let stack: MailboxStack;
let hanging: Server;
const held: Socket[] = [];
let connections = 0;

beforeAll(async () => {
  buildWorker();
  stack = await startMailboxStack('plazos-mailbox-kill');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await stack.mail.waitFor(1, 30_000);
  // An SMTP server that accepts the connection and never greets: the sender waits there.
  hanging = createServer((socket) => {
    connections++;
    held.push(socket);
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
}, 180_000);

afterAll(async () => {
  held.forEach((s) => s.destroy());
  await new Promise((r) => hanging?.close(r));
  await stack?.env.client.workflow
    .getHandle(`${plan.id}/1`)
    .signal('cancel', { reason: 'fin de la prueba' })
    .catch(() => undefined);
  await stack?.stop();
});

function startProcess(smtpUrl: string): { child: ChildProcess; exited: Promise<number | null>; logs: string[] } {
  const caFile = join(stack.dataDir, 'imap-ca.pem');
  writeFileSync(caFile, stack.imap.ca);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PLAZOS_|TEMPORAL_)/.test(k)));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'workers', 'mailbox.js')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      TEMPORAL_ADDRESS: stack.env.address,
      PLAZOS_DATA_DIR: stack.dataDir,
      PLAZOS_MAIL_FROM: 'Plazos <plazos@entidad.test>',
      PLAZOS_SMTP_URL: smtpUrl,
      PLAZOS_REPLY_MAILBOX: REPLY_MAILBOX,
      PLAZOS_IMAP_URL: `imaps://${stack.imap.host}:${stack.imap.port}`,
      PLAZOS_IMAP_USER: stack.imap.user,
      PLAZOS_IMAP_PASSWORD: stack.imap.password,
      PLAZOS_IMAP_CA_FILE: caFile,
      PLAZOS_IMAP_POLL_SECONDS: '5',
      LOG_LEVEL: 'info',
    },
  });
  const logs: string[] = [];
  child.stdout.on('data', (d: Buffer) => logs.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => logs.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, logs };
}

it('a mailbox process killed while it sends its answer to a reply loses nothing: the next one answers once and files the message', async () => {
  const notice = stack.mail.messages.find((m) => m.headers.get('x-plazos-notice') === 'kickoff')!;
  const raw = gmailReply({
    notice,
    from: 'Pedro <pedro.externo@gmail.com>',
    body: 'Adjunto el informe.',
    attachments: [{ name: 'informe.pdf', type: 'application/pdf', content: pdf('ferias') }],
  });
  const id = /^Message-ID: (.+)$/m.exec(raw)![1]!.trim();
  await stack.imap.deliver(raw);

  const first = startProcess(`smtp://127.0.0.1:${(hanging.address() as { port: number }).port}`);
  await eventually(
    () => Promise.resolve(connections),
    (n) => n >= 1,
    'the first process connected to SMTP to send its answer',
  );
  first.child.kill('SIGKILL');
  expect(await first.exited).toBeNull();
  expect(await stack.imap.list('INBOX')).toEqual([id]);
  expect(stack.mail.messages.filter((m) => m.to.includes('pedro.externo@gmail.com'))).toEqual([]);

  const second = startProcess(stack.mail.url);
  await eventually(
    () => stack.imap.list(FOLDERS.refused),
    (ids) => ids.includes(id),
    'the second process filed the reply',
  );
  const answers = stack.mail.messages.filter((m) => m.to.includes('pedro.externo@gmail.com'));
  expect(answers).toHaveLength(1);
  expect(answers[0]!.subject).toBe('No se registró su mensaje');
  expect(((await stack.env.client.workflow.getHandle(`${plan.id}/1`).query(statusQuery)) as PeriodStatusView).evidence).toEqual([]);
  expect(await stack.imap.list('INBOX')).toEqual([]);
  // SIGTERM stops it cleanly; the password never reached its log.
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(second.logs.join('')).not.toContain(stack.imap.password);
  expect(second.logs.join('')).toContain('reply handled');
});
