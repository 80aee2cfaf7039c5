/**
 * The kept cut reports: `<dataDir>/follow-up/<plan>/<cut>/` holds `snapshot.json` (the rows as read at
 * the cut) and the three files as they were mailed. Written once: a retry or a second run of the same
 * cut finds them and keeps them, so the report for a past cut is the one Control Interno received.
 * Files are written to a temporary name and linked into place, so a half-written file never shows.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PLAN_ID_PATTERN } from '../../plans/rules';
import { cutFileName, type CutFormat } from './render';
import type { CutSnapshot } from './types';

/** A snapshot of a plan of 10,000 activities is about 10 MB of JSON; past this, the file is not one of ours. */
export const SNAPSHOT_MAX_BYTES = 64 * 1024 * 1024;

export interface CutStore {
  /** Keeps the file unless one is already kept; true when this call wrote it. */
  keep(planId: string, cut: string, name: string, content: Buffer): Promise<boolean>;
  /** A kept file, or null. */
  read(planId: string, cut: string, name: string): Promise<Buffer | null>;
  snapshot(planId: string, cut: string): Promise<CutSnapshot | null>;
  keepSnapshot(snapshot: CutSnapshot): Promise<boolean>;
  file(snapshot: Pick<CutSnapshot, 'plan' | 'cut'>, format: CutFormat): Promise<Buffer | null>;
}

const CUT_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** `dataDir` may be a function, called at the first use: a store nobody uses creates no folder. */
export function createCutStore(dataDir: string | (() => string)): CutStore {
  let root: string | null = typeof dataDir === 'string' ? dataDir : null;
  const dirOf = (planId: string, cut: string) => {
    root ??= (dataDir as () => string)();
    // Both come from plan files and URLs: a path must never climb out of the store.
    if (!PLAN_ID_PATTERN.test(planId) || !CUT_PATTERN.test(cut)) throw new Error(`Plan o corte inválido: ${planId} ${cut}`);
    return join(root, 'follow-up', planId, cut);
  };
  const store: CutStore = {
    async keep(planId, cut, name, content) {
      const dir = dirOf(planId, cut);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${name}.${randomUUID()}.tmp`);
      await writeFile(tmp, content);
      try {
        await link(tmp, join(dir, name));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      } finally {
        await rm(tmp, { force: true });
      }
    },
    async read(planId, cut, name) {
      try {
        return await readFile(join(dirOf(planId, cut), name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async snapshot(planId, cut) {
      const bytes = await store.read(planId, cut, 'snapshot.json');
      if (!bytes) return null;
      if (bytes.length > SNAPSHOT_MAX_BYTES) throw new Error(`El informe conservado del corte ${cut} pasa de ${SNAPSHOT_MAX_BYTES} bytes.`);
      return JSON.parse(bytes.toString('utf8')) as CutSnapshot;
    },
    keepSnapshot(snapshot) {
      return store.keep(snapshot.plan.id, snapshot.cut, 'snapshot.json', Buffer.from(JSON.stringify(snapshot), 'utf8'));
    },
    file(snapshot, format) {
      return store.read(snapshot.plan.id, snapshot.cut, cutFileName(snapshot, format));
    },
  };
  return store;
}
