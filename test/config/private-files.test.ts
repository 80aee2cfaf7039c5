/**
 * What plazos leaves in its data directory is the plazos user's alone: the real stores (SQLite
 * records, the local blob store with an evidence file and a kept cut report, the link secret) are
 * opened on a fresh directory under the usual umask 022, and every folder and file under it is
 * stat-ed. The Temporal database and maildev's mail are checked by test/cli/up.test.ts, which runs
 * `plazos up` itself.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createCutStore } from '../../activities/follow-up/store';
import { loadOrCreateSecret, secretFilePath } from '../../activities/email/link-secret';
import { makePrivateDir } from '../../config/private-files';
import { parseEnv } from '../../config/schema';
import { openStores } from '../../store/open';
import { makeTempFolder, removeFolder } from '../cli/helpers';
import { modesUnder, openToOthers } from '../helpers/modes';

let dir: string;
let umask: number;
beforeAll(() => {
  dir = makeTempFolder();
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
  removeFolder(dir);
});

describe('the data directory', () => {
  it('is created 0700 with its parents, and an existing 0755 one is tightened', () => {
    const fresh = join(dir, 'nuevo', 'datos');
    makePrivateDir(fresh);
    expect([statSync(fresh).mode & 0o777, statSync(join(dir, 'nuevo')).mode & 0o777]).toEqual([0o700, 0o700]);
    const old = join(dir, 'viejo');
    mkdirSync(old, { mode: 0o755 });
    chmodSync(old, 0o755);
    makePrivateDir(old);
    expect(statSync(old).mode & 0o777).toBe(0o700);
  });

  it('holds no folder or file open to group or others after records, evidence, a cut report and the link secret are written', async () => {
    const dataDir = join(dir, 'datos');
    makePrivateDir(dataDir);
    const config = parseEnv({ PLAZOS_DATA_DIR: dataDir });
    const stores = await openStores(config, pino({ level: 'silent' }));
    try {
      await stores.blobs.put(Buffer.from('%PDF-1.4\nacta firmada\n%%EOF\n'), { maxBytes: 1024 });
      const cuts = createCutStore({ index: stores.records.cuts, blobs: stores.blobs });
      expect(await cuts.keep('plan-2023', '2023-04-30', 'seguimiento-plan-2023-2023-04-30.csv', Buffer.from('\ufeffActividad,Estado\r\n1,entregada\r\n'))).toBe(
        true,
      );
      loadOrCreateSecret(secretFilePath(config));
    } finally {
      await stores.close();
    }
    const written = modesUnder(dataDir).map((e) => e.path);
    expect(written.some((p) => p.includes(`${join('datos', 'blobs')}/`) && !p.endsWith('tmp'))).toBe(true);
    expect(openToOthers(dataDir)).toEqual([]);
  });
});
