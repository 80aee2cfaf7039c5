/**
 * `plazos up` on a `.data/temporal.db` created by an older plazos: the dev server registers
 * `--search-attribute` only when it creates its database, so the attributes added since (the list
 * pages' title, start, evidence, notices) are added at start. Without them a workflow that upserts
 * one fails its workflow task.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../../simulation/ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from '../../config/tools';
import { startDevServer } from '../../workers/dev-server';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';

const dir = mkdtempSync(join(tmpdir(), 'plazos-dev-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function registered(address: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    return Object.keys(customAttributes ?? {})
      .filter((n) => n.startsWith('Plazos'))
      .sort();
  } finally {
    await connection.close();
  }
}

it('registers on an older database the search attributes it lacks, and on the next start none', async () => {
  const dbFile = join(dir, 'temporal.db');
  const port = await freePort();
  // The database as an older plazos left it: only the first attribute.
  const older = spawn(
    temporalCliPath(),
    [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--db-filename',
      dbFile,
      '--log-level',
      'error',
      '--search-attribute',
      'PlazosPlan=Keyword',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => older.once('exit', resolve));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await registered(`127.0.0.1:${port}`)).includes('PlazosPlan')) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await registered(`127.0.0.1:${port}`)).toEqual(['PlazosPlan']);
  older.kill('SIGTERM');
  await exited;

  const all = Object.values(SEARCH_ATTRIBUTES)
    .map((k) => k.name)
    .sort();
  const first = await startDevServer({ host: '127.0.0.1', port, dbFile });
  try {
    expect([...first.addedSearchAttributes].sort()).toEqual(all.filter((n) => n !== 'PlazosPlan'));
    expect(await registered(first.address)).toEqual(all);
  } finally {
    await first.stop();
  }
  const second = await startDevServer({ host: '127.0.0.1', port, dbFile });
  try {
    expect(second.addedSearchAttributes).toEqual([]);
  } finally {
    await second.stop();
  }
}, 120_000);
