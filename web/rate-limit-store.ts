/**
 * @fastify/rate-limit's store on plazos's throttle records, so every web app behind the proxy
 * counts the same requests (the plugin's default store counts per process). The plugin asks
 * `incr(key, callback, timeWindow, max)` and wants the count in the current window and the
 * milliseconds left of it; the store's fixed windows give both.
 */
import type { Throttle } from '../store/records';

/** Request counters of addresses seen once are forgotten a while after their window ended. */
const SWEEP_HORIZON_MS = 3_600_000;

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

export interface ThrottleStoreOptions {
  throttle: Throttle;
  now: () => number;
}

/** The class the plugin instantiates (`store` option), bound to our throttle. */
export function throttleStore({ throttle, now }: ThrottleStoreOptions) {
  let sweptAt = 0;
  return class ThrottleStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      const at = now();
      throttle
        .hit(`rate:${key}`, timeWindow, at)
        .then(async (current) => {
          // Addresses seen once go in time; at most one sweep an hour per process.
          if (at - sweptAt > 3_600_000) {
            sweptAt = at;
            await throttle.sweep('rate:', Math.max(SWEEP_HORIZON_MS, 2 * timeWindow), at);
          }
          callback(null, { current, ttl: timeWindow - (at % timeWindow) });
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    }

    child(): ThrottleStore {
      return new ThrottleStore();
    }
  };
}
