/**
 * The sent-ledger as the activities see it: the store's (test/store/records.contract.test.ts checks
 * the store itself on both engines), with a receipt it cannot read turned into a failure Temporal
 * does not retry, so a notice is never sent again on a guess.
 */
import { rmSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { sentLedger } from '../../../activities/email/sent-ledger';
import { openRecords, type Records } from '../../../store/records';
import { openSqlite } from '../../../store/records/sqlite';
import { join } from 'node:path';
import { tempDir } from './fixtures';

const KEY = 'participacion-ciudadana-2023/13/-/0/reminder-3';
const RECORD = { idempotencyKey: KEY, messageId: '<abc@entidad.gov.co>', accepted: ['ARACF'], rejected: [] };

let dir: string;
let records: Records;
beforeEach(async () => {
  dir = tempDir();
  records = await openRecords({ dataDir: dir });
});
afterEach(async () => {
  await records.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a recorded notice is found again after a restart (a new store on the same data directory)', async () => {
  await expect(sentLedger(records.sent).find(KEY)).resolves.toBeNull();
  await sentLedger(records.sent).record(RECORD);
  const reopened = await openRecords({ dataDir: dir });
  await expect(sentLedger(reopened.sent).find(KEY)).resolves.toEqual(RECORD);
  await reopened.close();
});

test('an unreadable receipt stops the notice with SentLedgerUnreadable instead of sending it again', async () => {
  await sentLedger(records.sent).record(RECORD);
  const db = openSqlite(join(dir, 'plazos.sqlite'));
  await db.updateTable('sent_ledger').set({ rejected: 'not json' }).execute();
  await db.destroy();
  const error = await sentLedger(records.sent)
    .find(KEY)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'SentLedgerUnreadable', nonRetryable: true, message: expect.stringContaining(KEY) });
});
