/**
 * The order in which a plan's notices go out, without holding the notices. A notice object with
 * its reason weighs about half a kilobyte; 400,000 of them, sorted and then rendered into one
 * string, took a preview past a gigabyte. Here each notice is computed once and handed to the
 * caller as it is computed (who renders it and keeps only the text, wherever it likes), and the
 * order is kept in typed arrays, a few bytes per notice. Pure: the order is `planNotices`'s.
 */
import type { BusinessCalendar } from './business-calendar';
import { activityPeriods, type Period } from './periods';
import { effectivePolicy } from './policy';
import { activityNotices, type SchedulePlan, type ScheduledNotice } from './schedule';

/** `order[k]` is the index, in the order they were handed out, of the k-th notice to go out. */
export interface NoticeOrder {
  readonly count: number;
  readonly order: Uint32Array;
}

/** A plan that gives more notices than the limit: the index of the activity at which it was passed. */
export interface NoticesOverLimit {
  overAt: number;
}

/** A typed array that doubles as it fills, so a plan of 19 activities does not allocate for 400,000 notices. */
class Column<T extends Float64Array | Uint32Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i] as number;
  }
}

const floats = (n: number) => new Column(new Float64Array(n), (m) => new Float64Array(m));
const ints = (n: number) => new Column(new Uint32Array(n), (m) => new Uint32Array(m));

/** Each period's rank among the activity's periods by key, as `sortNotices` compares them (null first). */
function periodRanks(periods: readonly Period[]): number[] {
  const byKey = periods.map((p, i) => ({ key: p.key ?? '', i }));
  byKey.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  const ranks: number[] = new Array<number>(periods.length);
  byKey.forEach(({ i }, rank) => (ranks[i] = rank));
  return ranks;
}

/**
 * The sending order of every notice of the plan: by instant, then activity number, then period,
 * then as scheduled (the order `sortNotices` gives the whole list). Each notice is passed to
 * `visit` with its index as it is computed, activity by activity; past `limit` notices it stops.
 */
export function orderNotices(
  plan: SchedulePlan,
  calendar: BusinessCalendar,
  limit = Infinity,
  visit: (notice: ScheduledNotice, index: number) => void = () => {},
): NoticeOrder | NoticesOverLimit {
  const start = Math.min(1024, limit + 1);
  const ms = floats(start);
  const number = ints(start);
  const rank = ints(start);
  for (let ai = 0; ai < plan.activities.length; ai++) {
    const activity = plan.activities[ai];
    if (!activity) continue;
    const policy = effectivePolicy(plan, activity);
    const periods = activityPeriods(activity, calendar);
    const ranks = periodRanks(periods);
    for (let pi = 0; pi < periods.length; pi++) {
      const period = periods[pi] as Period;
      for (const notice of activityNotices({ activity, period, owner: plan.owner, policy, timezone: plan.timezone, calendar })) {
        visit(notice, ms.length);
        ms.push(Date.parse(notice.at));
        number.push(activity.number);
        rank.push(ranks[pi] as number);
      }
      if (ms.length > limit) return { overAt: ai };
    }
  }
  const count = ms.length;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  // The index breaks the last tie, as the stable sort of the whole list keeps the schedule's order.
  order.sort((x, y) => ms.get(x) - ms.get(y) || number.get(x) - number.get(y) || rank.get(x) - rank.get(y) || x - y);
  return { count, order };
}
