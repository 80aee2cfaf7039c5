/**
 * What a notice that can be answered was about, by notice id (its Message-ID's hex): the workflow,
 * the area that may answer it, the plan's lead (copied on refusals) and the titles the replies
 * quote. The worker writes a record before it sends the notice; the mailbox reader (a separate
 * process sharing the data directory) reads it when an answer arrives. One small JSON file per
 * notice, written like the sent-ledger's (temp file, fsync, rename), so a reader sees none or all.
 *
 * Codes and plan text only: no address, no person's name.
 */
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, writeDurably } from './sent-ledger';
import type { NoticeKind, NoticeLocale } from './types';

export interface ReplyTarget {
  noticeId: string;
  kind: NoticeKind;
  workflowId: string;
  /** The area whose addresses may answer (the activity's lead area, as for the evidence link). */
  area: string;
  /** The plan's lead area (OAPLA), copied on every refusal. */
  owner: string;
  locale: NoticeLocale;
  plan: { id: string; title: string };
  activity: { number: number; title: string };
  period: string | null;
}

export interface ReplyRegistry {
  remember(target: ReplyTarget): Promise<void>;
  find(noticeId: string): Promise<ReplyTarget | null>;
}

const FORMAT = 1;

function isTarget(v: unknown, noticeId: string): v is ReplyTarget & { format: number } {
  const r = v as Partial<ReplyTarget & { format: number }> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.format === FORMAT &&
    r.noticeId === noticeId &&
    typeof r.workflowId === 'string' &&
    typeof r.area === 'string' &&
    typeof r.owner === 'string' &&
    typeof r.activity?.number === 'number'
  );
}

export function createReplyRegistry(dir: string): ReplyRegistry {
  const sync = () => fsyncDirectory(dir);
  return {
    async remember(target) {
      await fs.mkdir(dir, { recursive: true });
      await writeDurably(dir, `${target.noticeId}.json`, `${JSON.stringify({ format: FORMAT, ...target })}\n`, sync);
    },
    async find(noticeId) {
      if (!/^[0-9a-f]{32}$/.test(noticeId)) return null;
      let raw: string;
      try {
        raw = await fs.readFile(join(dir, `${noticeId}.json`), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      const parsed: unknown = JSON.parse(raw);
      if (!isTarget(parsed, noticeId)) throw new Error(`El registro de respuestas ${noticeId}.json no tiene el formato esperado.`);
      const { format: _format, ...target } = parsed;
      return target;
    },
  };
}
