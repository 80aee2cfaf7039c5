/**
 * What the weekly digest tells OAPLA about the mail itself: notices that still cannot go out (a
 * digest may leave while some do not: a refused login on one worker, a deferred recipient) and the
 * ones of the past week that left late, so nobody wonders why an area got its kickoff days after
 * the start. Read from plazos's store; a store that cannot say leaves the section out.
 */
import type { Logger } from 'pino';
import type { UnsentNotices } from '../../store/records';
import { unsentSince, unsentWhen } from '../email/unsent';
import type { DigestMailView } from './view';

const WEEK_MS = 7 * 24 * 3_600_000;

export async function digestMailState(unsent: UnsentNotices | undefined, planId: string, locale: 'es' | 'en', log: Logger): Promise<DigestMailView | null> {
  if (!unsent) return null;
  const now = Date.now();
  try {
    const [stuck, late] = await Promise.all([unsent.summary({ sinceMs: unsentSince(now), planId }), unsent.late({ sinceMs: now - WEEK_MS, planId })]);
    if (stuck.count === 0 && late.count === 0) return null;
    const when = (ms: number | null) => (ms === null ? null : unsentWhen(ms, locale));
    return {
      unsent: stuck.count,
      unsentOne: stuck.count === 1,
      lateOne: late.count === 1,
      unsentSince: when(stuck.since),
      reason: stuck.latest?.reason ?? null,
      fix: stuck.latest?.fix ?? null,
      late: late.count,
      lateFrom: when(late.from),
      lateUntil: when(late.until),
    };
  } catch (err) {
    log.warn({ err }, 'the digest goes out without the mail section: unsent notices could not be read');
    return null;
  }
}
