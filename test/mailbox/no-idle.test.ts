/**
 * A mail server without IDLE: the reader falls back to polling and still finds each reply without
 * being told. Dovecot is started with IDLE left out of its capabilities.
 */
import pino from 'pino';
import { startPlan } from '../../client/start-plan';
import { statusQuery, type PeriodStatusView } from '../../workflows/shared';
import { eventually } from '../helpers/processes';
import { webTestPlan } from '../web/stack';
import { pdf, thunderbirdReply } from './client-shapes';
import { FOLDERS, startMailboxStack, type MailboxStack } from './stack';

jest.setTimeout(90_000);

const { calendar, plan } = webTestPlan(1);
let stack: MailboxStack;

beforeAll(async () => {
  stack = await startMailboxStack('plazos-mailbox-no-idle', { idle: false });
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await stack.mail.waitFor(1, 30_000);
}, 120_000);

afterAll(async () => {
  await stack?.env.client.workflow
    .getHandle(`${plan.id}/1`)
    .signal('cancel', { reason: 'fin de la prueba' })
    .catch(() => undefined);
  await stack?.stop();
});

it('without IDLE the reader polls, and a reply put in the mailbox is handed in without anyone waking the reader', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  stack.startReader(undefined, { logger });
  await eventually(
    () => Promise.resolve(lines.map((l) => JSON.parse(l) as { msg: string; idle?: boolean }).find((l) => l.msg === 'reading the reply mailbox')),
    (l) => l !== undefined,
    'the reader logged in',
  );
  expect(lines.map((l) => JSON.parse(l) as { msg: string; idle?: boolean }).find((l) => l.msg === 'reading the reply mailbox')?.idle).toBe(false);
  const notice = stack.mail.messages.find((m) => m.headers.get('x-plazos-notice') === 'kickoff')!;
  const raw = thunderbirdReply({
    notice,
    from: 'Vivienda <vivienda@entidad.gov.co>',
    body: 'Adjunto el informe.',
    attachments: [{ name: 'informe.pdf', type: 'application/pdf', content: pdf('ferias') }],
  });
  await stack.imap.deliver(raw);
  const s = await eventually(
    async () => (await stack.env.client.workflow.getHandle(`${plan.id}/1`).query(statusQuery)) as PeriodStatusView,
    (v) => v.evidence.length === 1,
    'the evidence handed in by polling',
  );
  expect(s.evidence[0]!.evidence).toMatchObject({ kind: 'file', name: 'informe.pdf' });
  expect(await stack.imap.list(FOLDERS.processed)).toEqual([/^Message-ID: (.+)$/m.exec(raw)![1]!.trim()]);
});
