/**
 * The upgrade from the file stores of earlier versions: what they kept in the data directory is
 * copied into the records and the blob store on the first start of this version (or by
 * `plazos data migrate`). Idempotent: a record already there is kept, so a second run, or two
 * processes at once, change nothing. The old files are left for the operator to remove.
 *
 *   sent/<sha256>.json              → the sent-ledger
 *   replies/<notice>.json           → the reply registry
 *   mailbox/<sha256>.json           → the mailbox's processed-ledger
 *   follow-up/<plan>/<cut>/<file>   → the blob store and the cut index
 *   evidence/ab/cdef…               → the blob store
 *
 * A file that does not parse is counted, logged with its path and skipped: nothing else is lost.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobLogger, BlobStore } from './blobs';
import { importDirectory } from './blobs/import';
import type { Records } from './records';

/** Written once every part went through, so later starts do not read the old folders again. */
export const UPGRADE_MARKER = '.almacenes-migrados';

/** A ledger or registry file is a few hundred bytes; a cut report file is bounded as the cut store bounds it. */
const RECORD_FILE_MAX_BYTES = 1024 * 1024;
const CUT_FILE_MAX_BYTES = 64 * 1024 * 1024;

export interface PartCount {
  copied: number;
  /** Already in the store. */
  present: number;
  /** Unreadable or malformed: left where they are, logged. */
  refused: number;
}

export interface UpgradeCount {
  sent: PartCount;
  replies: PartCount;
  mailbox: PartCount;
  cuts: PartCount;
  evidence: PartCount;
}

const zero = (): PartCount => ({ copied: 0, present: 0, refused: 0 });
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

async function names(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((n) => SAFE_NAME.test(n) && !n.endsWith('.tmp')).sort();
}

async function readJson(path: string): Promise<unknown> {
  const info = await stat(path);
  if (!info.isFile() || info.size > RECORD_FILE_MAX_BYTES) throw new Error(`no es un archivo de registro (${info.size} bytes)`);
  return JSON.parse(await readFile(path, 'utf8'));
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Each JSON file of a folder through `copy`, which says whether it was new; a failure counts as refused. */
async function eachJson(dir: string, logger: BlobLogger, copy: (value: unknown, file: string) => Promise<boolean>): Promise<PartCount> {
  const count = zero();
  for (const name of (await names(dir)).filter((n) => n.endsWith('.json'))) {
    const file = join(dir, name);
    try {
      if (await copy(await readJson(file), file)) count.copied++;
      else count.present++;
    } catch (error) {
      count.refused++;
      logger.warn({ file, reason: (error as Error).message }, 'file of an earlier version not copied into the stores');
    }
  }
  return count;
}

function malformed(what: string): never {
  throw new Error(`no tiene la forma de ${what}`);
}

export async function upgradeDataDir(dataDir: string, stores: { records: Records; blobs: BlobStore }, logger: BlobLogger): Promise<UpgradeCount> {
  const { records, blobs } = stores;

  const sent = await eachJson(join(dataDir, 'sent'), logger, async (v) => {
    const r = v as { format?: unknown; idempotencyKey?: unknown; messageId?: unknown; accepted?: unknown; rejected?: unknown };
    if (r?.format !== 1 || typeof r.idempotencyKey !== 'string' || typeof r.messageId !== 'string' || !isStrings(r.accepted) || !isStrings(r.rejected))
      malformed('un envío');
    if (await records.sent.find(r.idempotencyKey)) return false;
    await records.sent.record({ idempotencyKey: r.idempotencyKey, messageId: r.messageId, accepted: r.accepted, rejected: r.rejected });
    return true;
  });

  const replies = await eachJson(join(dataDir, 'replies'), logger, async (v, file) => {
    const r = v as { format?: unknown; noticeId?: unknown; workflowId?: unknown };
    if (r?.format !== 1 || typeof r.noticeId !== 'string' || !file.endsWith(`${r.noticeId}.json`) || typeof r.workflowId !== 'string')
      malformed('un aviso que se puede responder');
    if ((await records.replies.find(r.noticeId)) !== null) return false;
    await records.replies.remember(r.noticeId, r.workflowId, r);
    return true;
  });

  const mailbox = await eachJson(join(dataDir, 'mailbox'), logger, async (v) => {
    const r = v as { key?: unknown; folder?: unknown; outcome?: unknown };
    if (typeof r?.key !== 'string' || (r.folder !== 'processed' && r.folder !== 'refused') || typeof r.outcome !== 'string') malformed('un mensaje procesado');
    if (await records.processed.find(r.key)) return false;
    await records.processed.record({ key: r.key, folder: r.folder, outcome: r.outcome });
    return true;
  });

  const cuts = zero();
  const cutsDir = join(dataDir, 'follow-up');
  for (const planId of await names(cutsDir)) {
    for (const cut of (await names(join(cutsDir, planId))).filter((c) => /^\d{4}-\d{2}-\d{2}$/.test(c))) {
      for (const name of await names(join(cutsDir, planId, cut))) {
        const file = join(cutsDir, planId, cut, name);
        try {
          if (await records.cuts.find(planId, cut, name)) {
            cuts.present++;
            continue;
          }
          const info = await stat(file);
          if (!info.isFile() || info.size > CUT_FILE_MAX_BYTES) throw new Error(`no es un archivo de informe (${info.size} bytes)`);
          const stored = await blobs.put(await readFile(file), { maxBytes: CUT_FILE_MAX_BYTES });
          if (await records.cuts.keep({ planId, cut, name, sha256: stored.sha256, size: stored.size })) cuts.copied++;
          else cuts.present++;
        } catch (error) {
          cuts.refused++;
          logger.warn({ file, reason: (error as Error).message }, 'file of an earlier version not copied into the stores');
        }
      }
    }
  }

  const imported = await importDirectory(join(dataDir, 'evidence'), blobs, logger);
  const evidence = { copied: imported.imported, present: imported.present, refused: imported.refused };
  return { sent, replies, mailbox, cuts, evidence };
}

/** True when the data directory holds nothing of the file stores, or they were copied already. */
export async function upgradeDone(dataDir: string): Promise<boolean> {
  if (
    await stat(join(dataDir, UPGRADE_MARKER)).then(
      () => true,
      () => false,
    )
  )
    return true;
  for (const part of ['sent', 'replies', 'mailbox', 'follow-up', 'evidence']) {
    if ((await names(join(dataDir, part))).length > 0) return false;
  }
  return true;
}

/** Marks the upgrade done when nothing was refused (a refused file is tried again at the next start). */
export async function markUpgraded(dataDir: string, count: UpgradeCount): Promise<boolean> {
  if (Object.values(count).some((c: PartCount) => c.refused > 0)) return false;
  await writeFile(join(dataDir, UPGRADE_MARKER), `${JSON.stringify({ at: new Date().toISOString(), ...count })}\n`, { mode: 0o600 });
  return true;
}
