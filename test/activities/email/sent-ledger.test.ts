import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { createFileLedger } from '../../../activities/email/sent-ledger';
import { tempDir } from './fixtures';

const KEY = 'participacion-ciudadana-2023/13/-/0/reminder-3';
const RECORD = { idempotencyKey: KEY, messageId: '<abc@entidad.gov.co>', accepted: ['ARACF'], rejected: [] };
const fileOf = (key: string) => `${createHash('sha256').update(key).digest('hex')}.json`;

let dir: string;
beforeEach(() => {
  dir = join(tempDir(), 'sent');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

test('a notice never sent is not in the ledger, even before the data directory exists', async () => {
  await expect(createFileLedger(dir).find(KEY)).resolves.toBeNull();
});

test('a recorded notice is found by another ledger instance on the same directory, as after a restart', async () => {
  await createFileLedger(dir).record(RECORD);
  await expect(createFileLedger(dir).find(KEY)).resolves.toEqual(RECORD);
  await expect(createFileLedger(dir).find(`${KEY}-other`)).resolves.toBeNull();
});

test('each notice is one small JSON file named by the hash of its key, with no temporary file left behind', async () => {
  await createFileLedger(dir).record(RECORD);
  expect(readdirSync(dir)).toEqual([fileOf(KEY)]);
  expect(JSON.parse(readFileSync(join(dir, fileOf(KEY)), 'utf8'))).toEqual({ format: 1, ...RECORD });
});

test('a temporary file left by a crash before the rename does not count as sent', async () => {
  await createFileLedger(dir).record({ ...RECORD, idempotencyKey: 'another' });
  writeFileSync(join(dir, `.${fileOf(KEY)}.1234.abcdef.tmp`), '{"format":1,');
  await expect(createFileLedger(dir).find(KEY)).resolves.toBeNull();
});

test('an unreadable record stops the notice with SentLedgerUnreadable instead of sending it again', async () => {
  await createFileLedger(dir).record(RECORD);
  writeFileSync(join(dir, fileOf(KEY)), 'not json');
  const error = await createFileLedger(dir)
    .find(KEY)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'SentLedgerUnreadable', nonRetryable: true });
});

test('a record whose key does not match its file name is refused rather than trusted', async () => {
  await createFileLedger(dir).record(RECORD);
  writeFileSync(join(dir, fileOf(KEY)), JSON.stringify({ format: 1, ...RECORD, idempotencyKey: 'someone-else' }));
  await expect(createFileLedger(dir).find(KEY)).rejects.toMatchObject({
    type: 'SentLedgerUnreadable',
    message: expect.stringContaining('la clave no coincide'),
  });
});
