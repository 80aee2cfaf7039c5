/**
 * Bounded sign-in attempts: after `maxFailures` failures within `windowMs` for one key (a user or
 * an address), that key is blocked for `lockMs`. The counts live in plazos's store, so every web
 * app behind the proxy counts the same attempts.
 */
import type { Throttle } from '../store/records';

export interface LockoutOptions {
  /** The prefix of this lockout's keys, which its sweep forgets once their window is over. */
  prefix: string;
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  now: () => number;
}

export interface Lockout {
  /** Milliseconds left of a block on the key, or 0. */
  lockedFor(key: string): Promise<number>;
  fail(key: string): Promise<void>;
  succeed(key: string): Promise<void>;
}

export function createLockout(throttle: Throttle, opts: LockoutOptions): Lockout {
  return {
    lockedFor: (key) => throttle.blockedFor([key], opts.now()),
    async fail(key) {
      const now = opts.now();
      if ((await throttle.hit(key, opts.windowMs, now)) >= opts.maxFailures) await throttle.block(key, now + opts.lockMs, now);
      // Counters of names tried once and never again go once their window is over.
      await throttle.sweep(opts.prefix, 2 * opts.windowMs, now);
    },
    succeed: (key) => throttle.clear(key),
  };
}
