/**
 * The lifecycle of an activity period: every status it can be in, and which of them close it.
 * Plain values with no imports, so that workflows, clients, the web and the digest's pure code
 * (calendar/digest.ts) all read the one definition.
 */
export const PERIOD_STATUSES = [
  'scheduled',
  'active',
  'reminded',
  'due',
  'escalated',
  'checking',
  'in-review',
  'on-time',
  'late',
  'missed',
  'cancelled',
] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];
export type Outcome = Extract<PeriodStatus, 'on-time' | 'late' | 'missed' | 'cancelled'>;
export const OUTCOMES: readonly Outcome[] = ['on-time', 'late', 'missed', 'cancelled'];

/** A closed period: it sends nothing more and takes no more evidence. Any string is accepted, so index data can be asked too. */
export function isClosed(status: string): status is Outcome {
  return (OUTCOMES as readonly string[]).includes(status);
}
