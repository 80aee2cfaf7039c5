/**
 * The upgrade from the file stores: a data directory written by the version before the stores
 * (test/fixtures/data-dir-v0: three sent notices, two answerable notices, two mailbox messages, a
 * kept cut report, two evidence files) is copied into the records and the blob store, on SQLite
 * and on PostgreSQL, by `plazos data migrate` and at the first start alike.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createReplyRegistry } from '../../activities/email/reply-registry';
import { createCutStore } from '../../activities/follow-up/store';
import { REPO_ROOT } from '../../config/paths';
import { openStores, type Stores } from '../../store/open';
import { UPGRADE_MARKER, upgradeDataDir } from '../../store/upgrade';
import { plazosJson } from '../cli/helpers';
import { ENGINES, startEngine, type EngineUnderTest } from '../helpers/records';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'data-dir-v0');
const PLAN = 'plan-2023-participacion';
const silent = pino({ level: 'silent' });

async function copyOfFixture(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-upgrade-'));
  await cp(FIXTURE, dataDir, { recursive: true });
  return dataDir;
}

describe.each(ENGINES)('upgrading a data directory of the file stores onto %s', (engineName) => {
  let engine: EngineUnderTest;
  const open: Stores[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    engine = await startEngine(engineName);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => engine?.close());

  /** Settings for a fresh store over a copy of the fixture as the data directory. */
  async function settings(): Promise<{ env: Record<string, string>; dataDir: string }> {
    const dataDir = await copyOfFixture();
    dirs.push(dataDir);
    const fresh = engine.fresh();
    const env: Record<string, string> = { PLAZOS_DATA_DIR: dataDir };
    if (fresh.url) env.PLAZOS_DATABASE_URL = fresh.url;
    if (fresh.passwordFile) env.PLAZOS_DATABASE_PASSWORD_FILE = fresh.passwordFile;
    return { env, dataDir };
  }

  const storeEnv = (env: Record<string, string>) => ({
    dataDir: env.PLAZOS_DATA_DIR!,
    PLAZOS_DATABASE_URL: env.PLAZOS_DATABASE_URL,
    PLAZOS_DATABASE_PASSWORD_FILE: env.PLAZOS_DATABASE_PASSWORD_FILE,
    PLAZOS_S3_REGION: 'us-east-1',
    PLAZOS_S3_FORCE_PATH_STYLE: false,
  });

  test('plazos data migrate copies every record and file, says how many, and leaves the old files', async () => {
    const { env, dataDir } = await settings();
    const before = readdirSync(join(dataDir, 'sent')).sort();
    const run = plazosJson<Record<string, { copied: number; present: number; refused: number }>>(['data', 'migrate', '--json'], env);
    expect(run.status).toBe(0);
    expect(run.json).toEqual({
      sent: { copied: 3, present: 0, refused: 0 },
      replies: { copied: 2, present: 0, refused: 0 },
      mailbox: { copied: 2, present: 0, refused: 0 },
      cuts: { copied: 2, present: 0, refused: 0 },
      evidence: { copied: 2, present: 0, refused: 0 },
    });
    expect(readdirSync(join(dataDir, 'sent')).sort()).toEqual(before);
    expect(existsSync(join(dataDir, UPGRADE_MARKER))).toBe(true);

    // What each process then finds, through the same code the worker, the reader and the web use.
    const stores = await openStores(storeEnv(env), silent);
    open.push(stores);
    await expect(stores.records.sent.find(`${PLAN}/3/kickoff/2023-01-04`)).resolves.toEqual({
      idempotencyKey: `${PLAN}/3/kickoff/2023-01-04`,
      messageId: '<k3.0123456789abcdef@plazos.entidad.gov.co>',
      accepted: ['ARCOM'],
      rejected: ['ASERA'],
    });
    const registry = createReplyRegistry(stores.records.replies);
    await expect(registry.find('fedcba9876543210fedcba9876543210')).resolves.toMatchObject({ workflowId: `${PLAN}/13`, area: 'ASERA', period: '2023-02' });
    await expect(stores.records.processed.find('<spam-1@otro.example>')).resolves.toEqual({
      key: '<spam-1@otro.example>',
      folder: 'refused',
      outcome: 'refused-sender',
    });
    const cuts = createCutStore({ index: stores.records.cuts, blobs: stores.blobs });
    await expect(cuts.snapshot(PLAN, '2023-06-30')).resolves.toMatchObject({ cut: '2023-06-30' });
    const csv = 'seguimiento-plan-2023-participacion-2023-06-30.csv';
    expect(await cuts.read(PLAN, '2023-06-30', csv)).toEqual(await readFile(join(FIXTURE, 'follow-up', PLAN, '2023-06-30', csv)));
    for (const shard of readdirSync(join(FIXTURE, 'evidence')))
      for (const rest of readdirSync(join(FIXTURE, 'evidence', shard)))
        await expect(stores.blobs.verify(shard + rest)).resolves.toMatchObject({ matches: true });

    // Again: nothing new, nothing lost.
    const again = plazosJson<Record<string, { copied: number; present: number }>>(['data', 'migrate', '--json'], env);
    expect(Object.values(again.json).map((c) => c.copied)).toEqual([0, 0, 0, 0, 0]);
    expect(again.json.sent!.present).toBe(3);
  });

  test('the first start of a process does the same by itself; a damaged file is skipped, named in the log and tried again later', async () => {
    const { env, dataDir } = await settings();
    await writeFile(join(dataDir, 'sent', `${'f'.repeat(64)}.json`), '{"format":1,"idempotencyKey":');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const stores = await openStores(storeEnv(env), logger);
    open.push(stores);
    await expect(stores.records.sent.find(`${PLAN}/1/kickoff/2023-01-04`)).resolves.toMatchObject({ accepted: ['ARCOM'] });
    const skipped = lines.map((l) => JSON.parse(l) as { msg: string; file?: string }).filter((l) => l.msg.includes('not copied'));
    expect(skipped.map((l) => l.file)).toEqual([join(dataDir, 'sent', `${'f'.repeat(64)}.json`)]);
    // Not marked done while a file was refused: the next start reads the folders again.
    expect(existsSync(join(dataDir, UPGRADE_MARKER))).toBe(false);
    const count = await upgradeDataDir(dataDir, stores, silent);
    expect(count.sent).toEqual({ copied: 0, present: 3, refused: 1 });
  });
});
