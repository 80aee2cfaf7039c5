/**
 * Sign-in attempts, bounded without letting anyone lock a user out. Failures are counted in
 * plazos's store (every web app behind the proxy counts the same attempts) under three keys, and
 * each count past its free allowance makes that key wait, doubling with each further failure up to
 * a cap. A waiting key is refused with "try again in N s" before the password is even looked at;
 * nobody sleeps.
 *
 * - user and address together: someone guessing one user's password from one place. Only this
 *   pair waits: the same user from any other address is not slowed at all.
 * - address: one place guessing many users' passwords. Only that address waits.
 * - user, from any address: guessing spread over many addresses. This bound could lock the real
 *   user out if it applied to everyone, so it applies only to browsers that have never signed in
 *   as that user: a successful sign-in leaves a signed device cookie naming the user (the "device
 *   cookie" defence OWASP describes), and with it the user-wide wait is skipped. It also grows
 *   slower and stops sooner than the others, so a person on a new computer during such an attack
 *   waits a minute, not a quarter of an hour.
 *
 * Counts are per fixed window (an hour); a success clears the pair and the user's counts.
 */
import { createHash } from 'node:crypto';
import type { Throttle } from '../store/records';

export interface Backoff {
  /** Failures in a window before any wait. */
  free: number;
  /** The first wait; each further failure doubles it. */
  firstMs: number;
  capMs: number;
}

export interface SignInBounds {
  windowMs: number;
  pair: Backoff;
  address: Backoff;
  user: Backoff;
}

export const SIGN_IN_BOUNDS: SignInBounds = {
  windowMs: 60 * 60_000,
  pair: { free: 3, firstMs: 1_000, capMs: 5 * 60_000 },
  address: { free: 20, firstMs: 1_000, capMs: 15 * 60_000 },
  user: { free: 10, firstMs: 1_000, capMs: 60_000 },
};

export interface Attempt {
  user: string;
  address: string;
  /** The browser holds this user's device cookie (it signed in as them before). */
  knownDevice: boolean;
}

export interface SignInThrottle {
  /** Milliseconds to wait before this attempt may be checked, or 0. */
  waitFor(attempt: Attempt): Promise<number>;
  /** Counts a failure; returns the wait it imposes on the same attempt (0 if none yet). */
  failed(attempt: Attempt): Promise<number>;
  succeeded(attempt: Attempt): Promise<void>;
}

export function backoffMs(failures: number, b: Backoff): number {
  if (failures < b.free) return 0;
  return Math.min(b.capMs, b.firstMs * 2 ** Math.min(failures - b.free, 40));
}

function keys(a: Attempt) {
  const pair = createHash('sha256').update(`${a.user}\0${a.address}`).digest('base64url').slice(0, 32);
  return { pair: `signin:pair:${pair}`, address: `signin:addr:${a.address}`, user: `signin:user:${a.user}` };
}

export function createSignInThrottle(throttle: Throttle, opts: { now: () => number; bounds?: SignInBounds }): SignInThrottle {
  const bounds = opts.bounds ?? SIGN_IN_BOUNDS;
  // A wait lives under its own key: block() resets the count of the key it is set on, and the
  // count must keep growing for the next wait to be longer.
  const waitKeys = (a: Attempt) => {
    const k = keys(a);
    return a.knownDevice ? [`${k.pair}:wait`, `${k.address}:wait`] : [`${k.pair}:wait`, `${k.address}:wait`, `${k.user}:wait`];
  };
  return {
    waitFor: (a) => throttle.blockedFor(waitKeys(a), opts.now()),
    async failed(a) {
      const now = opts.now();
      const k = keys(a);
      let longest = 0;
      for (const [key, backoff] of [
        [k.pair, bounds.pair],
        [k.address, bounds.address],
        [k.user, bounds.user],
      ] as const) {
        const wait = backoffMs(await throttle.hit(key, bounds.windowMs, now), backoff);
        if (wait > 0) await throttle.block(`${key}:wait`, now + wait, now);
        if (key !== k.user || !a.knownDevice) longest = Math.max(longest, wait);
      }
      // Counters of names tried once and never again go once their window is over.
      await throttle.sweep('signin:', 2 * bounds.windowMs, now);
      return longest;
    },
    async succeeded(a) {
      const k = keys(a);
      await throttle.clear(k.pair);
      await throttle.clear(k.user);
    },
  };
}
