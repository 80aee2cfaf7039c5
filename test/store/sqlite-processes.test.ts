/**
 * SQLite as the embedded default is shared by separate processes (the worker, the web app, the
 * mailbox reader): three real processes opening a new file at once apply each migration once, and
 * their writes all land, through WAL and the IMMEDIATE transactions' lock rather than luck.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../config/paths';
import { openRecords } from '../../store/records';
import { MIGRATIONS } from '../../store/records/migrations';
import { openSqlite } from '../../store/records/sqlite';

const OPEN = join(REPO_ROOT, 'dist', 'store', 'records', 'open.js');

/** One process: opens the store (migrating it if need be), records `count` notices, exits. */
function writer(dataDir: string, name: string, count: number): Promise<number | null> {
  const code = `
    const { openRecords } = require(${JSON.stringify(OPEN)});
    (async () => {
      const records = await openRecords({ dataDir: ${JSON.stringify(dataDir)} });
      for (let i = 0; i < ${count}; i++)
        await records.sent.record({ idempotencyKey: '${name}/' + i, messageId: '<${name}.' + i + '@entidad.gov.co>', accepted: ['OAPLA'], rejected: [] });
      await records.close();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.once('exit', (status) => resolve(status)));
}

test('three processes opening a new SQLite store at once migrate it once and each write is kept', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-sqlite-procesos-'));
  try {
    const exits = await Promise.all(['trabajador', 'web', 'buzon'].map((name) => writer(dataDir, name, 200)));
    expect(exits).toEqual([0, 0, 0]);
    const db = openSqlite(join(dataDir, 'plazos.sqlite'));
    const applied = await db
      .selectFrom('plazos_migrations' as never)
      .select('name' as never)
      .execute();
    const rows = await db.selectFrom('sent_ledger').select('idempotency_key').execute();
    await db.destroy();
    expect((applied as { name: string }[]).map((r) => r.name).sort()).toEqual(Object.keys(MIGRATIONS));
    expect(rows).toHaveLength(600);
    const records = await openRecords({ dataDir });
    await expect(records.sent.find('buzon/199')).resolves.toMatchObject({ messageId: '<buzon.199@entidad.gov.co>' });
    await records.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
