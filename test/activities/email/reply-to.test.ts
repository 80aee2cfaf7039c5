/**
 * The signed Reply-To of the notices an area may answer with its deliverable, as the SMTP server
 * receives them, and the registry record the reply mailbox reader will look up.
 */
import { rmSync } from 'node:fs';
import { createReplyRegistry } from '../../../activities/email/reply-registry';
import { testRecords } from '../../helpers/records';
import { noticeIdFromAddress, noticeIdOf, replyKey } from '../../../activities/email/reply-token';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp';
import { harness, notice, tempDir, type Harness } from './fixtures';

const MAILBOX = 'respuestas@entidad.gov.co';
const SECRET = Buffer.alloc(32, 8);
let server: TestSmtpServer;
let dir: string;
let h: Harness;

beforeAll(async () => {
  server = await startSmtpServer();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.reset();
  dir = tempDir();
  h = harness(server, dir, { replies: { mailbox: MAILBOX, secret: SECRET, registry: createReplyRegistry(testRecords(dir).replies) } });
});
afterEach(() => {
  h.transport.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('notices an area may answer', () => {
  test('a kickoff is answered at the mailbox with a tag naming it, and the registry says which workflow and area it is about', async () => {
    const receipt = await h.activities.sendNotice(notice());
    const replyTo = server.messages[0]!.parsed.replyTo?.value[0]?.address ?? '';
    const id = noticeIdFromAddress(replyTo, MAILBOX, replyKey(SECRET));
    expect(id).toBe(noticeIdOf(receipt.messageId, 'entidad.gov.co'));
    expect(await createReplyRegistry(testRecords(dir).replies).find(id!)).toMatchObject({
      workflowId: 'participacion-ciudadana-2023/3',
      area: 'OAPLA',
      owner: 'OAPLA',
      kind: 'kickoff',
      activity: { number: 3 },
    });
  });

  test('a rejection is answerable too; a receipt, an approval or a review request is not', async () => {
    await h.activities.sendNotice(notice({ kind: 'rejected', idempotencyKey: 'participacion-ciudadana-2023/3/-/0/review-1' }));
    for (const kind of ['evidence-received', 'approved', 'review-requested'] as const)
      await h.activities.sendNotice(notice({ kind, idempotencyKey: `participacion-ciudadana-2023/3/-/0/${kind}` }));
    expect(server.messages.map((m) => [m.parsed.headers.get('x-plazos-notice'), Boolean(m.parsed.replyTo)])).toEqual([
      ['rejected', true],
      ['evidence-received', false],
      ['approved', false],
      ['review-requested', false],
    ]);
  });
});

test('without a reply mailbox, no notice carries a Reply-To', async () => {
  const plain = harness(server, dir);
  await plain.activities.sendNotice(notice());
  expect(server.messages[0]!.parsed.replyTo).toBeUndefined();
  plain.transport.close();
});
