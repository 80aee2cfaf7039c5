/**
 * The workflow's clock. Inside Temporal's sandbox `Date` is the time of the current workflow task,
 * the same on every replay, so reading it here is deterministic; this file is the one place
 * workflow code touches `Date` (lint forbids it elsewhere in workflows/).
 *
 * `offsetMs` exists for `plazos plan simulate`: Temporal's time-skipping server starts its clock at
 * the present and cannot be set back, so a simulated year that began in the past runs with the
 * difference as an offset. It comes from the workflow input (recorded in history, replay-safe) and
 * is 0 in production.
 */
import { DateTime } from 'luxon';

export class WorkflowClock {
  constructor(
    readonly zone: string,
    readonly offsetMs = 0,
  ) {}

  /** Milliseconds since the epoch, in workflow time. */
  now(): number {
    // eslint-disable-next-line no-restricted-syntax -- the sandbox's deterministic clock
    return Date.now() + this.offsetMs;
  }

  /**
   * Workflow time as ISO with the zone's offset, to the second: `2023-06-16T08:00:00-05:00`. A timer
   * set for 08:00 fires a few milliseconds late; the record says 08:00:00, as the schedule does.
   */
  nowIso(): string {
    const seconds = Math.floor(this.now() / 1000) * 1000;
    return DateTime.fromMillis(seconds, { zone: this.zone }).toISO({ suppressMilliseconds: true }) as string;
  }

  /** Today's calendar date in the zone. */
  today(): string {
    return this.dateOf(this.now());
  }

  /** The date of an instant (epoch milliseconds) in the plan's zone. */
  dateOf(ms: number): string {
    return DateTime.fromMillis(ms, { zone: this.zone }).toISODate() as string;
  }

  /** Milliseconds from now until an ISO instant (negative when it has passed). */
  until(iso: string): number {
    return millisOf(iso) - this.now();
  }

  /** Milliseconds from now until the start of a local date in the zone. */
  untilDate(date: string): number {
    return millisOf(`${date}T00:00:00`, this.zone) - this.now();
  }
}

/** An ISO instant with offset, or a local date-time in `zone`, as epoch milliseconds. */
export function millisOf(iso: string, zone?: string): number {
  const d = zone ? DateTime.fromISO(iso, { zone }) : DateTime.fromISO(iso, { setZone: true });
  if (!d.isValid) throw new RangeError(`Not an ISO instant: ${iso}`);
  return d.toMillis();
}

/** Search attributes of type Datetime take a Date: the start of `date` in `zone`. */
export function dateAttribute(date: string, zone: string): Date {
  // eslint-disable-next-line no-restricted-syntax -- a value, not a clock read
  return new Date(millisOf(`${date}T00:00:00`, zone));
}

/** An ISO instant as the Date a Datetime search attribute takes. */
export function instantAttribute(iso: string): Date {
  // eslint-disable-next-line no-restricted-syntax -- a value, not a clock read
  return new Date(millisOf(iso));
}
