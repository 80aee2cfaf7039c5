/**
 * The kept cut reports: for each plan and cut, `snapshot.json` (the rows as read at the cut) and the
 * three files as they were mailed. The content goes to the blob store (by its sha256) and its name
 * to the records' cut index, where the first keep of a name wins: a retry or a second run of the
 * same cut finds it and keeps it, so the report for a past cut is the one Control Interno received,
 * whichever worker or web app asks.
 */
import { PLAN_ID_PATTERN } from '../../plans/rules';
import type { BlobStore } from '../../store/blobs';
import type { CutIndex } from '../../store/records';
import { cutFileName, type CutFormat } from './render';
import type { CutSnapshot } from './types';

/** A snapshot of a plan of 10,000 activities is about 10 MB of JSON; past this, the file is not one of ours. */
export const SNAPSHOT_MAX_BYTES = 64 * 1024 * 1024;

export interface CutStore {
  /** Keeps the file unless one is already kept; true when this call kept it. */
  keep(planId: string, cut: string, name: string, content: Buffer): Promise<boolean>;
  /** A kept file, or null. */
  read(planId: string, cut: string, name: string): Promise<Buffer | null>;
  snapshot(planId: string, cut: string): Promise<CutSnapshot | null>;
  keepSnapshot(snapshot: CutSnapshot): Promise<boolean>;
  file(snapshot: Pick<CutSnapshot, 'plan' | 'cut'>, format: CutFormat): Promise<Buffer | null>;
}

const CUT_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function checkNames(planId: string, cut: string): void {
  // Both come from plan files and URLs.
  if (!PLAN_ID_PATTERN.test(planId) || !CUT_PATTERN.test(cut)) throw new Error(`Plan o corte inválido: ${planId} ${cut}`);
}

/** The parts every store shares, over how it keeps and reads one named file. */
function cutStoreOver(keep: CutStore['keep'], read: CutStore['read']): CutStore {
  const store: CutStore = {
    keep: (planId, cut, name, content) => {
      checkNames(planId, cut);
      return keep(planId, cut, name, content);
    },
    read: (planId, cut, name) => {
      checkNames(planId, cut);
      return read(planId, cut, name);
    },
    async snapshot(planId, cut) {
      const bytes = await store.read(planId, cut, 'snapshot.json');
      return bytes ? (JSON.parse(bytes.toString('utf8')) as CutSnapshot) : null;
    },
    keepSnapshot: (snapshot) => store.keep(snapshot.plan.id, snapshot.cut, 'snapshot.json', Buffer.from(JSON.stringify(snapshot), 'utf8')),
    file: (snapshot, format) => store.read(snapshot.plan.id, snapshot.cut, cutFileName(snapshot, format)),
  };
  return store;
}

export function createCutStore(parts: { index: CutIndex; blobs: BlobStore }): CutStore {
  return cutStoreOver(
    async (planId, cut, name, content) => {
      const stored = await parts.blobs.put(content, { maxBytes: SNAPSHOT_MAX_BYTES });
      return parts.index.keep({ planId, cut, name, sha256: stored.sha256, size: stored.size });
    },
    async (planId, cut, name) => {
      const kept = await parts.index.find(planId, cut, name);
      if (!kept) return null;
      const bytes = await parts.blobs.read(kept.sha256, { maxBytes: SNAPSHOT_MAX_BYTES });
      if (!bytes) throw new Error(`El informe conservado ${name} del corte ${cut} no está en el almacén de archivos (${kept.sha256}).`);
      return bytes;
    },
  );
}

/** Kept for as long as the process runs: a test app, or an activity given no store. */
export function memoryCutStore(): CutStore {
  const files = new Map<string, Buffer>();
  const key = (planId: string, cut: string, name: string) => `${planId}\n${cut}\n${name}`;
  return cutStoreOver(
    (planId, cut, name, content) => {
      if (files.has(key(planId, cut, name))) return Promise.resolve(false);
      files.set(key(planId, cut, name), Buffer.from(content));
      return Promise.resolve(true);
    },
    (planId, cut, name) => Promise.resolve(files.get(key(planId, cut, name)) ?? null),
  );
}
