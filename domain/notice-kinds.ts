/**
 * Every kind of notice plazos sends, in one list. The schedule's kinds, the templates each needs
 * (activities/email/templates.ts checks every kind has its four at start), the labels people read
 * (domain/labels.ts, typed by this list so a kind without a label does not compile) and the
 * status a notice moves a period to all derive from it. A new kind is one entry here plus its
 * templates; the compiler names each table still missing it.
 */
export const NOTICE_KINDS = [
  'kickoff',
  'reminder',
  'due',
  'escalation',
  'missed',
  'evidence-received',
  'check-failed',
  'review-requested',
  'approved',
  'rejected',
  'extended',
  'amended',
  'cancelled',
  'delivery-failed',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The kinds the schedule places on dates of its own (calendar/schedule.ts); the rest answer events. */
export type ScheduledNoticeKind = Extract<NoticeKind, 'kickoff' | 'reminder' | 'due' | 'escalation' | 'missed'>;
