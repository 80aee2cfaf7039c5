/**
 * How long a notice that failed stays on the list of unsent notices (store/records `unsent`). A
 * notice is retried for two days (sendNotice's scheduleToClose in workflows/period-mail.ts); after that
 * Temporal gives up and the workflow itself reports the failure to OAPLA, so a failure older than
 * this window is history, not an outage.
 */
import { DateTime } from 'luxon';
import { PLAN_TIMEZONE } from '../../calendar/policy';

const DAY_MS = 24 * 3_600_000;

export const UNSENT_WINDOW_MS = 3 * DAY_MS;

/** The oldest last failure still listed at `nowMs`. */
export function unsentSince(nowMs: number): number {
  return nowMs - UNSENT_WINDOW_MS;
}

/** "7 dic 2026, 09:12", in the plan's zone: when a notice first failed, as people read it. */
export function unsentWhen(ms: number, locale: 'es' | 'en' = 'es', zone = PLAN_TIMEZONE): string {
  return DateTime.fromMillis(ms, { zone })
    .setLocale(locale === 'es' ? 'es-CO' : 'en')
    .toFormat('d LLL yyyy, HH:mm')
    .replace(/\.(?=\s)/, '');
}
