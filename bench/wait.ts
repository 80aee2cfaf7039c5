/**
 * How a benchmark fails, and how it waits for messages without failing only because the machine
 * is busy.
 *
 * A fixed deadline (the burst had 10 minutes) either fails a slow but healthy run or waits ten
 * minutes for a stuck one. `waitForArrivals` waits as long as messages keep coming: it fails only
 * when none has arrived for much longer than the gaps it has seen so far in this run.
 */
import type { MailCapture } from '../simulation/mail-capture';

/** A benchmark that cannot give its figure: `npm run bench` prints the message (no stack) and exits 1. */
export class BenchFailure extends Error {
  override name = 'BenchFailure';
}

/** No deadline shorter than this, however regular the arrivals were. */
export const STALL_FLOOR_MS = 60_000;
/** A stall is this many times the longest gap between two arrivals seen so far. */
export const STALL_FACTOR = 20;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ArrivalWait {
  /** What is awaited, for the message: "rafaga/2000 (plazos)". */
  what: string;
  /** When the messages are due to start (the burst's instant; default: now). Nothing is a stall before it. */
  from?: number;
  /** How long the first message may take after `from`; the caller scales it to what it has seen (e.g. how long the starts took). */
  firstWithinMs: number;
  /** Facts for the failure message (the worker's in-flight tasks, the task queue's backlog). */
  diagnose?: () => Promise<string>;
  /** Polling interval; tests shorten it. */
  pollMs?: number;
  floorMs?: number;
}

/**
 * The deadline for the next message: `firstWithinMs` before the first, then the larger of the floor
 * and STALL_FACTOR times the longest gap between two arrivals so far.
 */
export function stallDeadline(arrivals: number[], firstWithinMs: number, floorMs = STALL_FLOOR_MS): number {
  if (arrivals.length === 0) return firstWithinMs;
  let longest = 0;
  for (let i = 1; i < arrivals.length; i++) longest = Math.max(longest, (arrivals[i] ?? 0) - (arrivals[i - 1] ?? 0));
  return Math.max(floorMs, STALL_FACTOR * longest);
}

/** The diagnosis, or why there is none: a worker that died answers no status, and the failure must still be said. */
function withinSeconds(diagnosis: Promise<string>, seconds: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`el worker no respondió su estado en ${seconds} s`), seconds * 1000)));
  return Promise.race([diagnosis.catch((err: unknown) => `sin diagnóstico: ${err instanceof Error ? err.message : String(err)}`), late]).finally(() =>
    clearTimeout(timer),
  );
}

/** Resolves once `count` messages have arrived; rejects with a BenchFailure when they stop coming. */
export async function waitForArrivals(mail: MailCapture, count: number, opts: ArrivalWait): Promise<void> {
  const started = Math.max(Date.now(), opts.from ?? 0);
  const floor = opts.floorMs ?? STALL_FLOOR_MS;
  for (;;) {
    const received = mail.messages.length;
    if (received >= count) return;
    const arrivals = mail.messages.map((m) => m.receivedAt).sort((a, b) => a - b);
    const last = arrivals[arrivals.length - 1] ?? started;
    const allowed = stallDeadline(arrivals, opts.firstWithinMs, floor);
    if (Date.now() - last > allowed) {
      const facts = opts.diagnose ? await withinSeconds(opts.diagnose(), 5) : '';
      throw new BenchFailure(
        `${opts.what}: se esperaban ${count} mensajes y llegaron ${received}; ninguno en los últimos ${Math.round((Date.now() - last) / 1000)} s ` +
          `(el plazo era ${Math.round(allowed / 1000)} s, ${received === 0 ? 'para el primero' : `${STALL_FACTOR} veces el mayor intervalo visto entre dos llegadas`})` +
          (facts ? `. ${facts}` : '.'),
      );
    }
    await pause(opts.pollMs ?? 250);
  }
}
