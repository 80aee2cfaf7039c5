/**
 * The notice schedule: what an activity sends, and when, if no evidence ever arrives.
 *
 * One pure function shared by the Temporal workflow (which sleeps until each notice), the preview
 * and the simulation, so that they cannot disagree. No clock, no I/O: the same inputs always give
 * the same list.
 */
import type { ScheduledNoticeKind } from '../domain/notice-kinds';
import { DateTime } from 'luxon';
import { effectivePolicy, missedAfterDue, type NoticePolicy, type NoticePolicyOverride, type ScheduledActivity } from './policy';
import type { BusinessCalendar } from './business-calendar';
import { activityPeriods, type Period } from './periods';
import { skippedBetween, type NoticeReason, type ReasonRule } from './reason';

/** The kinds of notice the schedule places; the one list of every kind is domain/notice-kinds.ts. */
export type NoticeKind = ScheduledNoticeKind;

export interface ScheduledNotice {
  /** Stable within activity and period: 'kickoff', 'reminder-10', 'due', 'escalation-1', 'missed'. */
  key: string;
  /** For an escalation, which one it is (1 to the policy's maxEscalations). */
  escalation?: number;
  activity: number;
  period: string | null;
  kind: NoticeKind;
  /** Local calendar date in the plan's timezone. */
  date: string;
  /** The instant, with the plan's offset: '2023-06-16T08:00:00-05:00'. */
  at: string;
  /** Area codes. */
  to: string[];
  cc: string[];
  reason: NoticeReason;
}

export interface ActivityNoticesArgs {
  activity: ScheduledActivity;
  period: Period;
  /** The plan's owner area, which receives escalations. */
  owner: string;
  policy: NoticePolicy;
  timezone: string;
  calendar: BusinessCalendar;
}

type Draft = Pick<ScheduledNotice, 'key' | 'kind' | 'date' | 'reason' | 'escalation'>;

interface ReasonInput {
  rule: ReasonRule;
  offset: number;
  anchor: string;
  base: string;
  date: string;
  capped?: boolean;
}

function reasonFor(calendar: BusinessCalendar, r: ReasonInput): NoticeReason {
  const counted = r.rule === 'before-due' || r.rule === 'after-due';
  return {
    rule: r.rule,
    offset: r.offset,
    anchor: r.anchor,
    anchorOff: calendar.nonWorkingReason(r.anchor),
    base: r.base,
    date: r.date,
    // A count passes over days between its base and the notice; a move, between anchor and notice.
    skipped: skippedBetween(calendar, counted ? r.base : r.anchor, r.date),
    capped: r.capped ?? false,
  };
}

/** The due notice goes out on the due date, or the business day before when that is a day off. */
function dueDraft(period: Period, calendar: BusinessCalendar): Draft {
  const date = calendar.previousBusinessDay(period.due, true);
  const reason = reasonFor(calendar, { rule: 'on-due', offset: 0, anchor: period.due, base: date, date });
  return { key: 'due', kind: 'due', date, reason };
}

/** The kickoff opens the period on its first business day, but never after the due notice. */
function kickoffDraft(period: Period, dueDate: string, calendar: BusinessCalendar): Draft {
  const next = calendar.nextBusinessDay(period.start, true);
  const capped = next > dueDate;
  const date = capped ? dueDate : next;
  const reason = reasonFor(calendar, { rule: 'period-start', offset: 0, anchor: period.start, base: next, date, capped });
  return { key: 'kickoff', kind: 'kickoff', date, reason };
}

/**
 * Reminders count back from the due notice's date, not from a due date that falls on a day off:
 * "3 business days before" then always leaves 3 business days until the due notice.
 */
function reminderDrafts(period: Period, due: Draft, kickoff: Draft, policy: NoticePolicy, calendar: BusinessCalendar): Draft[] {
  // A reminder n business days back lands after the kickoff only while n is below this count;
  // checking first also keeps the count from walking before the calendar data a workflow carries.
  const room = calendar.businessDaysBetween(kickoff.date, due.date);
  const seen = new Set<string>();
  const drafts: Draft[] = [];
  for (const n of [...policy.remindBusinessDaysBefore].sort((a, b) => b - a)) {
    if (n >= room) continue;
    const date = calendar.addBusinessDays(due.date, -n);
    if (seen.has(date)) continue;
    seen.add(date);
    const reason = reasonFor(calendar, { rule: 'before-due', offset: -n, anchor: period.due, base: due.date, date });
    drafts.push({ key: `reminder-${n}`, kind: 'reminder', date, reason });
  }
  return drafts;
}

function afterDueDrafts(period: Period, due: Draft, policy: NoticePolicy, calendar: BusinessCalendar): Draft[] {
  const draft = (key: string, kind: NoticeKind, offset: number, escalation?: number): Draft => {
    const date = calendar.addBusinessDays(due.date, offset);
    const reason = reasonFor(calendar, { rule: 'after-due', offset, anchor: period.due, base: due.date, date });
    return escalation === undefined ? { key, kind, date, reason } : { key, kind, date, reason, escalation };
  };
  const first = policy.escalateAfterBusinessDays;
  const every = policy.escalationEveryBusinessDays;
  const drafts: Draft[] = [];
  for (let k = 1; k <= policy.maxEscalations; k++) drafts.push(draft(`escalation-${k}`, 'escalation', first + (k - 1) * every, k));
  drafts.push(draft('missed', 'missed', missedAfterDue(policy)));
  return drafts;
}

function unique(codes: string[]): string[] {
  return [...new Set(codes)];
}

/** The lead area hears about its own work; the plan's owner hears once the deadline has passed. */
function recipients(kind: NoticeKind, responsible: string[], owner: string): { to: string[]; cc: string[] } {
  if (kind === 'escalation' || kind === 'missed') {
    return { to: [owner], cc: unique(responsible.filter((a) => a !== owner)) };
  }
  const [lead = owner, ...others] = responsible;
  return { to: [lead], cc: unique(others.filter((a) => a !== lead)) };
}

/**
 * Resolving a zone's offset goes through Intl and costs far more than the rest of the schedule, and
 * a plan asks for the same few hundred days again and again: remember them. The memo is a pure
 * function's cache, so workflow code stays deterministic.
 */
const instants = new Map<string, string>();

function instant(date: string, sendAt: string, timezone: string): string {
  const key = `${timezone} ${date} ${sendAt}`;
  let at = instants.get(key);
  if (at === undefined) {
    const local = DateTime.fromISO(`${date}T${sendAt}`, { zone: timezone });
    if (!local.isValid) throw new RangeError(`Zona horaria u hora de envío inválida: ${timezone} ${sendAt}`);
    at = local.toISO({ suppressMilliseconds: true });
    if (instants.size >= 20_000) instants.clear();
    instants.set(key, at);
  }
  return at;
}

export function activityNotices(args: ActivityNoticesArgs): ScheduledNotice[] {
  const { activity, period, owner, policy, timezone, calendar } = args;
  const due = dueDraft(period, calendar);
  const kickoff = kickoffDraft(period, due.date, calendar);
  const drafts = [kickoff, ...reminderDrafts(period, due, kickoff, policy, calendar), due, ...afterDueDrafts(period, due, policy, calendar)];
  return drafts.map((d) => ({
    key: d.key,
    activity: activity.number,
    period: period.key,
    kind: d.kind,
    date: d.date,
    at: instant(d.date, policy.sendAt, timezone),
    ...recipients(d.kind, activity.responsible, owner),
    reason: d.reason,
    ...(d.escalation !== undefined ? { escalation: d.escalation } : {}),
  }));
}

/** Plain code-unit order: locale collation has no say over 'YYYY-MM' keys. */
function comparePeriods(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `at` is always 'YYYY-MM-DDTHH:mm:ss±hh:mm', a form whose parsing ECMAScript fixes exactly. */
function millis(at: string): number {
  return Date.parse(at);
}

/**
 * Sorted by instant, then activity, then period (a plain activity's null first); the sort is
 * stable, so notices of one activity and period keep their schedule order (kickoff before due).
 */
export function sortNotices(notices: readonly ScheduledNotice[]): ScheduledNotice[] {
  const keyed = notices.map((n) => ({ n, ms: millis(n.at) }));
  keyed.sort((a, b) => a.ms - b.ms || a.n.activity - b.n.activity || comparePeriods(a.n.period, b.n.period));
  return keyed.map((k) => k.n);
}

/** Every notice of every period of every activity of the plan, in the order they go out. */
/** What the schedule needs of a plan (plans/model.ts's Plan has all of it). */
export interface SchedulePlan {
  owner: string;
  timezone: string;
  policy?: NoticePolicyOverride;
  activities: readonly ScheduledActivity[];
}

export function planNotices(plan: SchedulePlan, calendar: BusinessCalendar): ScheduledNotice[] {
  const notices: ScheduledNotice[] = [];
  for (const activity of plan.activities) {
    const policy = effectivePolicy(plan, activity);
    for (const period of activityPeriods(activity, calendar)) {
      notices.push(...activityNotices({ activity, period, owner: plan.owner, policy, timezone: plan.timezone, calendar }));
    }
  }
  return sortNotices(notices);
}
