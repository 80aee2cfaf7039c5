import { rmSync } from 'node:fs';
import type { SentLedger } from '../../../activities/email/sent-ledger';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp';
import { harness, notice, tempDir, type Harness } from './fixtures';

let server: TestSmtpServer;
let dir: string;
const opened: Harness[] = [];

/** A fresh worker: its own transport, logger and ledger instance, on the shared data directory. */
function worker(ledger?: SentLedger): Harness {
  const h = harness(server, dir, ledger ? { ledger } : {});
  opened.push(h);
  return h;
}

beforeAll(async () => {
  server = await startSmtpServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.reset();
  dir = tempDir();
});
afterEach(() => {
  opened.splice(0).forEach((h) => h.transport.close());
  rmSync(dir, { recursive: true, force: true });
});

test('sending the same notice twice delivers one message; the second call says it was a duplicate', async () => {
  const { activities } = worker();
  const first = await activities.sendNotice(notice());
  const second = await activities.sendNotice(notice());
  expect(server.messages).toHaveLength(1);
  expect(first.duplicate).toBe(false);
  expect(second).toEqual({ ...first, duplicate: true });
});

test('after a worker restart (a new ledger on the same data directory) the notice is not sent again', async () => {
  const before = await worker().activities.sendNotice(notice());
  const after = await worker().activities.sendNotice(notice());
  expect(server.messages).toHaveLength(1);
  expect(after).toEqual({ ...before, duplicate: true });
});

test('two attempts of the same notice running at once deliver one message', async () => {
  const { activities } = worker();
  const receipts = await Promise.all([activities.sendNotice(notice()), activities.sendNotice(notice())]);
  expect(server.messages).toHaveLength(1);
  expect(receipts.map((r) => r.duplicate).sort()).toEqual([false, true]);
});

test('different notices of the same activity are each delivered, with different Message-IDs', async () => {
  const { activities } = worker();
  const kickoff = await activities.sendNotice(notice());
  const reminder = await activities.sendNotice(notice({ kind: 'reminder', idempotencyKey: 'participacion-ciudadana-2023/3/-/0/reminder-3' }));
  expect(server.messages).toHaveLength(2);
  expect(kickoff.messageId).not.toBe(reminder.messageId);
  expect(server.messages.map((m) => m.parsed.messageId)).toEqual([kickoff.messageId, reminder.messageId]);
});

test('a notice that went out is reported sent even when the ledger cannot record it, and the failure is logged', async () => {
  const brokenLedger: SentLedger = {
    find: () => Promise.resolve(null),
    record: () => Promise.reject(new Error('ENOSPC: no space left on device')),
  };
  const h = worker(brokenLedger);
  const receipt = await h.activities.sendNotice(notice());
  expect(server.messages).toHaveLength(1);
  expect(receipt.duplicate).toBe(false);
  expect(h.logs.entries().some((e) => e.level === 50 && String(e.msg).includes('not recorded in the sent-ledger'))).toBe(true);
});
