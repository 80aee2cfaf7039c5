/**
 * A plan's cut reports for the CLI and the web: which cuts the plan has, and the report of one of
 * them (the kept one, or one rebuilt now and marked as such).
 *
 * The plan's title, owner and cuts come from its cut Schedule (client/cut-schedule.ts), whose action
 * carries them: the CLI and the web need no plan file. A plan started before the cuts existed has no
 * Schedule; its reports are rebuilt with the default cuts and the plan id as its title.
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { followUpCuts, type FollowUpCut } from '../calendar/cuts';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { readCutSnapshot } from '../activities/follow-up/collect';
import type { CutStore } from '../activities/follow-up/store';
import type { CutPlanRef, CutSnapshot, CutWorkflowInput } from '../activities/follow-up/types';
import { cutScheduleId } from './cut-schedule';
import { planListOf } from './plan-list';

export async function cutPlanOf(client: Client, planId: string, year: number): Promise<{ plan: CutPlanRef; scheduled: boolean }> {
  try {
    const described = await client.schedule.getHandle(cutScheduleId(planId)).describe();
    const input = described.action.type === 'startWorkflow' ? (described.action.args?.[0] as CutWorkflowInput | undefined) : undefined;
    if (input?.plan?.id === planId) return { plan: input.plan, scheduled: true };
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  return { plan: { id: planId, title: planId, year, owner: 'OAPLA', timezone: PLAN_TIMEZONE }, scheduled: false };
}

export type CutReport = { snapshot: CutSnapshot; kept: true } | { snapshot: CutSnapshot; kept: false };

/**
 * The report of a cut as the CLI and the web give it: the kept snapshot when the cut's run kept one,
 * otherwise one rebuilt now and marked as such in the report itself (and not kept: it is not what was
 * read at the cut, and keeping it would pass it off as that).
 */
export async function cutReport(client: Client, store: CutStore, calendar: BusinessCalendar, plan: CutPlanRef, cut: string, now: Date): Promise<CutReport> {
  const kept = await store.snapshot(plan.id, cut);
  if (kept) return { snapshot: kept, kept: true };
  const rebuilt = await readCutSnapshot(
    planListOf(() => client),
    calendar,
    plan,
    cut,
    now.toISOString(),
    'reconstructed',
  );
  return { snapshot: rebuilt, kept: false };
}

export type CutRefusal = { ok: false; reason: 'not-a-cut'; cuts: FollowUpCut[] } | { ok: false; reason: 'future'; today: string };

/** The cut if it is one of the plan's and has passed (a report of a day still to come would be a guess). */
export function checkCut(plan: CutPlanRef, cut: string, today: string, calendar: BusinessCalendar): { ok: true; cut: FollowUpCut } | CutRefusal {
  const cuts = followUpCuts(Number(cut.slice(0, 4)), plan.followUpCuts, calendar);
  const found = cuts.find((c) => c.cut === cut);
  if (!found) return { ok: false, reason: 'not-a-cut', cuts };
  if (cut > today) return { ok: false, reason: 'future', today };
  return { ok: true, cut: found };
}

export async function planCutReport(
  client: Client,
  store: CutStore,
  calendar: BusinessCalendar,
  planId: string,
  cut: string,
  now: Date,
  today: string,
): Promise<CutReport | CutRefusal> {
  const { plan } = await cutPlanOf(client, planId, Number(cut.slice(0, 4)));
  const checked = checkCut(plan, cut, today, calendar);
  if (!checked.ok) return checked;
  return cutReport(client, store, calendar, plan, cut, now);
}
