/**
 * The bound on what people outside the planning office write into an activity's workflow: progress
 * reports and evidence, by link or by e-mail reply. Each write is counted twice, per sender (a link,
 * an address) and per activity, in plazos's store, so every web app and the mailbox reader count
 * the same writes. OAPLA's own actions (review, extend, amend, cancel, calendar apply) never pass
 * through here: they must get through whatever a link holder does.
 *
 * Why the edge and not only the workflow: the workflow bounds itself (it continues as new long
 * before Temporal's per-run update cap), but every write accepted still costs history, and every
 * evidence check that fails mails the area and OAPLA. A person reporting progress sends a few a
 * week; the bounds are far above that and far below what wears anything out.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Throttle } from '../store/records';

export type WriteKind = 'progress' | 'evidence';

export interface WriteBound {
  max: number;
  windowMs: number;
}

export interface WriteBounds {
  sender: WriteBound;
  activity: WriteBound;
}

const HOUR = 3_600_000;

/**
 * Per hour. Evidence is tighter than progress: each submission is fetched or read and checked, and
 * a failed check mails the area with OAPLA in copy.
 */
export const WRITE_BOUNDS: Readonly<Record<WriteKind, WriteBounds>> = {
  progress: { sender: { max: 20, windowMs: HOUR }, activity: { max: 30, windowMs: HOUR } },
  evidence: { sender: { max: 5, windowMs: HOUR }, activity: { max: 8, windowMs: HOUR } },
};

/**
 * Who writes: the link (its token), the address of an e-mail reply, or the account a person signed
 * in with. Only a hash is stored.
 */
export type Sender = { link: string } | { address: string } | { account: string };

export type Admission =
  | { ok: true }
  | {
      ok: false;
      /** Which bound refused: this sender's, or the activity's (many senders together). */
      scope: 'sender' | 'activity';
      kind: WriteKind;
      retryAfterMs: number;
    };

export interface WriteGate {
  admit(write: { kind: WriteKind; sender: Sender; workflowId: string }): Promise<Admission>;
}

export interface WriteGateOptions {
  now: () => number;
  bounds?: Readonly<Record<WriteKind, WriteBounds>>;
  /** Told when the store cannot count: the write is let through (the workflow bounds itself). */
  onStoreError?: (err: unknown) => void;
}

/** The key a sender is counted under: a hash, so the store holds no address and no link. */
export function senderKey(sender: Sender): string {
  const raw =
    'link' in sender ? `link:${sender.link}` : 'address' in sender ? `mail:${sender.address.trim().toLowerCase()}` : `account:${sender.account.toLowerCase()}`;
  return createHash('sha256').update(raw).digest('base64url').slice(0, 32);
}

function untilWindowEnds(bound: WriteBound, nowMs: number): number {
  return bound.windowMs - (nowMs % bound.windowMs);
}

export function createWriteGate(throttle: Throttle, opts: WriteGateOptions): WriteGate {
  const bounds = opts.bounds ?? WRITE_BOUNDS;
  return {
    async admit({ kind, sender, workflowId }) {
      const bound = bounds[kind];
      const now = opts.now();
      try {
        // The sender first: one noisy link is refused without using up the activity's allowance,
        // so the area's real submission from another link still gets in.
        if ((await throttle.hit(`write:${kind}:sender:${senderKey(sender)}`, bound.sender.windowMs, now)) > bound.sender.max)
          return { ok: false, scope: 'sender', kind, retryAfterMs: untilWindowEnds(bound.sender, now) };
        if ((await throttle.hit(`write:${kind}:activity:${workflowId}`, bound.activity.windowMs, now)) > bound.activity.max)
          return { ok: false, scope: 'activity', kind, retryAfterMs: untilWindowEnds(bound.activity, now) };
        // Counters of senders seen once go once their window is over.
        await throttle.sweep(`write:${kind}:`, 2 * Math.max(bound.sender.windowMs, bound.activity.windowMs), now);
      } catch (err) {
        opts.onStoreError?.(err);
      }
      return { ok: true };
    },
  };
}

/** The refusal as the person reads it, with the hour to try again in the plan's time zone. */
export function describeRefusal(refusal: Extract<Admission, { ok: false }>, nowMs: number, timezone: string): { es: string; en: string; retryAt: string } {
  const at = DateTime.fromMillis(nowMs + refusal.retryAfterMs, { zone: timezone });
  const hour = at.toFormat('HH:mm');
  // Spanish agrees in gender: "demasiados reportes", "demasiadas evidencias".
  const what =
    refusal.kind === 'progress' ? { es: 'demasiados reportes de avance', en: 'progress reports' } : { es: 'demasiadas evidencias', en: 'evidence submissions' };
  const who = refusal.scope === 'sender' ? { es: 'desde este remitente', en: 'from this sender' } : { es: 'para esta actividad', en: 'for this activity' };
  return {
    es: `Se recibieron ${what.es} ${who.es} en la última hora. Intente de nuevo después de las ${hour} (hora de Colombia).`,
    en: `Too many ${what.en} ${who.en} in the last hour. Try again after ${hour} (Colombia time).`,
    retryAt: at.toISO() ?? '',
  };
}
