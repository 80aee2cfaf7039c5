/**
 * How many refusals the reader mails, counted in plazos's store (shared by every reader).
 *
 * Why: a refusal goes to whatever address the `From` of a message says, and anyone who holds one
 * reply tag (every notice carries one) can write any `From`. Unbounded, the reader would mail any
 * address as often as someone asks it to. So each address gets a few refusals a day, and refusals to
 * senders who are not the area's are bounded all together too, so many forged addresses cannot
 * turn the mailbox into a sender of mail to third parties. Past a bound the message is filed with
 * no answer and the log says so.
 */
import { senderKey } from '../client/write-gate';
import type { Throttle } from '../store/records';

export interface RefusalBound {
  max: number;
  windowMs: number;
  /** Once past `max`, no refusal for this long. */
  quietMs: number;
}

export interface RefusalBounds {
  /** Refusals of any kind to one address. */
  perAddress: RefusalBound;
  /** Refusals to senders who are not one of the area's addresses, whoever they are. */
  strangers: RefusalBound;
}

const HOUR = 3_600_000;

/** A colleague writing from a personal address learns why after the first try; a few more cover retries. */
export const REFUSAL_BOUNDS: Readonly<RefusalBounds> = {
  perAddress: { max: 3, windowMs: HOUR, quietMs: 24 * HOUR },
  strangers: { max: 30, windowMs: HOUR, quietMs: HOUR },
};

export type RefusalAdmission = { ok: true } | { ok: false; scope: 'address' | 'strangers' };

/**
 * Counts one refusal against `key` and says whether it may go out. Past the bound the key is
 * blocked for `quietMs`, longer than the window: an address that drew the bound gets no answer for
 * a day, not again at the next hour.
 */
async function within(throttle: Throttle, key: string, bound: RefusalBound, nowMs: number): Promise<boolean> {
  if ((await throttle.blockedFor([key], nowMs)) > 0) return false;
  if ((await throttle.hit(key, bound.windowMs, nowMs)) <= bound.max) return true;
  await throttle.block(key, nowMs + bound.quietMs, nowMs);
  return false;
}

export async function mayRefuse(
  throttle: Throttle,
  bounds: Readonly<RefusalBounds>,
  to: { address: string; stranger: boolean },
  nowMs: number,
): Promise<RefusalAdmission> {
  if (!(await within(throttle, `mailbox:refusal:address:${senderKey({ address: to.address })}`, bounds.perAddress, nowMs)))
    return { ok: false, scope: 'address' };
  if (to.stranger && !(await within(throttle, 'mailbox:refusal:strangers', bounds.strangers, nowMs))) return { ok: false, scope: 'strangers' };
  // One row per forged address would otherwise stay in the store for good.
  await throttle.sweep('mailbox:refusal:', 2 * Math.max(bounds.perAddress.windowMs, bounds.strangers.windowMs), nowMs);
  return { ok: true };
}
