/**
 * Bounded sign-in attempts: after `maxFailures` failures within `windowMs` for one key (a user or
 * an IP address), that key is locked for `lockMs`. In memory: one web process; a restart forgets.
 * Pure apart from the injected clock.
 */
export interface LockoutOptions {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  now: () => number;
}

export interface Lockout {
  /** Milliseconds left of a lock on any of the keys, or 0. */
  lockedFor(keys: string[]): number;
  fail(keys: string[]): void;
  succeed(keys: string[]): void;
}

export function createLockout(opts: LockoutOptions): Lockout {
  const failures = new Map<string, number[]>();
  const lockedUntil = new Map<string, number>();
  return {
    lockedFor(keys) {
      const now = opts.now();
      return Math.max(0, ...keys.map((k) => (lockedUntil.get(k) ?? 0) - now));
    },
    fail(keys) {
      const now = opts.now();
      for (const key of keys) {
        const recent = (failures.get(key) ?? []).filter((t) => now - t < opts.windowMs);
        recent.push(now);
        failures.set(key, recent);
        if (recent.length >= opts.maxFailures) {
          lockedUntil.set(key, now + opts.lockMs);
          failures.delete(key);
        }
      }
    },
    succeed(keys) {
      for (const key of keys) failures.delete(key);
    },
  };
}
