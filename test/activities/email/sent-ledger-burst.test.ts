/**
 * The sent-ledger at the 08:00 burst: records written at the same moment share directory fsyncs
 * (group commit) and every one of them is still durable and found. `groupCommit` is checked with
 * a sync we finish by hand, so the order of events is the test's, not the disk's.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createFileLedger, groupCommit } from '../../../activities/email/sent-ledger';
import { tempDir } from './fixtures';

/** A stand-in for the directory fsync: each run waits until the test finishes it. */
function manualSync() {
  const runs: { finish(): void; fail(error: Error): void }[] = [];
  const task = () =>
    new Promise<void>((resolve, reject) => {
      runs.push({ finish: resolve, fail: reject });
    });
  return { runs, task };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function track(promise: Promise<void>) {
  const state = { done: false, error: null as unknown };
  promise.then(
    () => (state.done = true),
    (error: unknown) => (state.error = error),
  );
  return state;
}

describe('the sent-ledger during a burst', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tempDir(), 'sent');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  test('200 notices recorded at the same moment are each found afterwards, one file each, no temporary file left', async () => {
    const ledger = createFileLedger(dir);
    const keys = Array.from({ length: 200 }, (_, i) => `rafaga-2023/${i + 1}/-/0/kickoff`);
    await Promise.all(keys.map((key, i) => ledger.record({ idempotencyKey: key, messageId: `<m${i}@entidad.gov.co>`, accepted: ['OAPLA'], rejected: [] })));
    const reopened = createFileLedger(dir);
    const found = await Promise.all(keys.map((key) => reopened.find(key)));
    expect(found.map((r) => r?.messageId)).toEqual(keys.map((_, i) => `<m${i}@entidad.gov.co>`));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(200);
  });

  test('a ledger directory removed while the worker runs is created again by the next record', async () => {
    const ledger = createFileLedger(dir);
    await ledger.record({ idempotencyKey: 'first', messageId: '<a@entidad.gov.co>', accepted: ['OAPLA'], rejected: [] });
    rmSync(dir, { recursive: true, force: true });
    await ledger.record({ idempotencyKey: 'second', messageId: '<b@entidad.gov.co>', accepted: ['OAPLA'], rejected: [] });
    await expect(createFileLedger(dir).find('second')).resolves.toMatchObject({ messageId: '<b@entidad.gov.co>' });
  });
});

describe('groupCommit (the shared directory fsync)', () => {
  test('with nothing in progress, a caller starts a sync at once and is done when it finishes', async () => {
    const { runs, task } = manualSync();
    const sync = groupCommit(task);
    const first = track(sync());
    expect(runs).toHaveLength(1);
    await settle();
    expect(first.done).toBe(false);
    runs[0]?.finish();
    await settle();
    expect(first.done).toBe(true);
    const second = track(sync());
    expect(runs).toHaveLength(2);
    runs[1]?.finish();
    await settle();
    expect(second.done).toBe(true);
  });

  test('callers arriving while a sync runs do not count on it: they share the next one, which starts after it', async () => {
    const { runs, task } = manualSync();
    const sync = groupCommit(task);
    const first = track(sync());
    const late = [track(sync()), track(sync()), track(sync())];
    expect(runs).toHaveLength(1);
    runs[0]?.finish();
    await settle();
    expect(first.done).toBe(true);
    // The sync that covers the late callers has only now started; they wait for it.
    expect(runs).toHaveLength(2);
    expect(late.map((c) => c.done)).toEqual([false, false, false]);
    runs[1]?.finish();
    await settle();
    expect(late.map((c) => c.done)).toEqual([true, true, true]);
    expect(runs).toHaveLength(2);
  });

  test('a failed sync fails every caller that shared it, and the next caller starts a fresh one', async () => {
    const { runs, task } = manualSync();
    const sync = groupCommit(task);
    const first = track(sync());
    const shared = [track(sync()), track(sync())];
    runs[0]?.finish();
    await settle();
    runs[1]?.fail(new Error('EIO'));
    await settle();
    expect(first.done).toBe(true);
    expect(shared.map((c) => (c.error as Error | null)?.message)).toEqual(['EIO', 'EIO']);
    const after = track(sync());
    expect(runs).toHaveLength(3);
    runs[2]?.finish();
    await settle();
    expect(after.done).toBe(true);
  });
});
