/**
 * The demonstration `plazos up --demo` (`npm start`) runs: the example plan placed so that today
 * falls in the middle of its year, started through the real workflows, and a few activities moved
 * on through the same updates an area and OAPLA send (evidence, approval, rejection), so that a
 * newcomer sees within a minute or two every state plazos is for and the mail behind each.
 *
 * Idempotent like `plan start`: run again on the same server, it starts nothing and repeats no
 * update (an activity that already has evidence is left as it is).
 */
import type { Client } from '@temporalio/client';
import type { EvidenceStore } from '../activities/evidence';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { DEFAULT_FOLLOW_UP_CUTS } from '../calendar/cuts';
import { addDays, daysBetween } from '../calendar/days';
import { DEFAULT_NOTICE_POLICY, missedAfterDue } from '../calendar/policy';
import type { Plan } from '../plans/model';
import { rolloverPlan } from '../plans/rollover';
import { reportProgressUpdate, reviewUpdate, statusQuery, submitEvidenceUpdate, type ActivityStatus, type PeriodStatusView } from '../workflows/shared';

/** Business days from a due date to its missed notice, by the default policy. */
const MISSED_AFTER_DUE = missedAfterDue(DEFAULT_NOTICE_POLICY);

/** What a newcomer must find in the plan today: activities missed, overdue (escalated), and under way. */
function showsEveryState(plan: Plan, today: string, calendar: BusinessCalendar): boolean {
  const single = plan.activities.filter((a) => !a.recurrence);
  const missed = single.filter((a) => calendar.addBusinessDays(a.due, MISSED_AFTER_DUE) < today).length;
  const overdue = single.filter((a) => a.due < calendar.previousBusinessDay(today) && calendar.addBusinessDays(a.due, MISSED_AFTER_DUE) > today).length;
  const underWay = single.filter((a) => a.start <= today && a.due > today).length;
  // One overdue is approved late and one stays escalated; three under way go to review, approval, rejection.
  return missed >= 1 && overdue >= 2 && underWay >= 4;
}

/**
 * The example plan moved in days so that the middle of its year (2 July) lands on today, or within
 * a few weeks of it, wherever the plan then shows every state: some activities over, some overdue,
 * some under way, some to come. The new plan is of today's year, named and titled for it, with an
 * id of its own so a real run of the same plan never meets it. In the first two weeks of January
 * no plan of the new year has anything overdue yet: the year wins, and the demo shows fewer states.
 */
export function demoPlan(example: Plan, today: string, calendar: BusinessCalendar): Plan {
  const earliest = example.activities.reduce((min, a) => (a.start < min ? a.start : min), example.activities[0]?.start ?? today);
  const mid = daysBetween(`${example.year}-07-02`, today);
  const roll = (shift: number) => rolloverPlan(example, { startOn: addDays(earliest, shift) }, calendar).plan;
  const offsets = [0];
  for (let d = 1; d <= 45; d++) offsets.push(-d, d);
  const thisYear = Number(today.slice(0, 4));
  const chosen =
    offsets
      .map((d) => mid + d)
      .map(roll)
      .find((p) => p.year === thisYear && showsEveryState(p, today, calendar)) ?? roll(mid);
  // Today is a cut of the demo plan too, beside the PAAC's three: the demo keeps a cut report (as at
  // the real cuts) that a newcomer can download from the plan's page the same day.
  const todayCut = today.slice(5);
  const followUpCuts = [...new Set([...DEFAULT_FOLLOW_UP_CUTS, todayCut])].sort();
  return { ...chosen, id: `demo-${chosen.id}`, followUpCuts };
}

export interface DemoDeps {
  client: Client;
  store: EvidenceStore;
  /** Today in the plan's zone. */
  today: string;
  calendar: BusinessCalendar;
  /** How long to wait for the worker to bring each activity where the demo needs it. */
  timeoutMs?: number;
}

/** What the demo did to one activity, for the lines `plazos up` prints. */
export interface DemoStep {
  workflowId: string;
  action: 'in-review' | 'approved-on-time' | 'approved-late' | 'rejected' | 'progress';
}

const OPEN_BEFORE_DUE = new Set(['active', 'reminded', 'due']);

async function statusOf(client: Client, workflowId: string): Promise<ActivityStatus> {
  return client.workflow.getHandle(workflowId).query(statusQuery);
}

async function until(client: Client, workflowId: string, ok: (s: PeriodStatusView) => boolean, timeoutMs: number): Promise<PeriodStatusView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await statusOf(client, workflowId);
    if (s.kind === 'period' && ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`${workflowId} did not reach the state the demo waits for (it is ${s.status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A one-page PDF the demo hands in as a deliverable: stored where the evidence check finds it. */
function demoPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, ' ').slice(0, 80);
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

async function handIn(deps: DemoDeps, s: PeriodStatusView): Promise<void> {
  const pdf = demoPdf(s.activity.title);
  const stored = await deps.store.put(pdf, { maxBytes: pdf.length });
  const name = `entregable-actividad-${s.activity.number}.pdf`;
  await deps.client.workflow.getHandle(s.workflowId).executeUpdate(submitEvidenceUpdate, {
    args: [
      {
        evidence: { kind: 'file', sha256: stored.sha256, size: stored.size, mediaType: 'application/pdf', name },
        note: 'Entregable de la demostración.',
        submittedBy: s.activity.responsible[0] ?? 'OAPLA',
        progress: 100,
      },
    ],
  });
}

/**
 * Moves activities of a started demo plan into the states a newcomer should see: one waiting for
 * OAPLA's review, one approved on time, one rejected with a new due date, one approved late. The
 * others stay as the calendar left them: escalated to OAPLA, missed, under way, to come.
 */
export async function driveDemo(plan: Plan, deps: DemoDeps): Promise<DemoStep[]> {
  const timeoutMs = deps.timeoutMs ?? 60_000;
  const ids = plan.activities.filter((a) => !a.recurrence).map((a) => ({ id: `${plan.id}/${a.number}`, activity: a }));
  // Each begun activity first catches up (kickoff, and for an overdue one its escalation).
  const settled: PeriodStatusView[] = [];
  for (const { id, activity } of ids) {
    const begun = activity.start <= deps.today;
    settled.push(await until(deps.client, id, (s) => !begun || s.status !== 'scheduled', timeoutMs));
  }
  // Run before on this server: the states are there already (some may have moved on since).
  if (settled.some((s) => s.evidence.length > 0)) return [];
  const untouched = settled;
  const open = untouched.filter((s) => OPEN_BEFORE_DUE.has(s.status) && s.due >= deps.today);
  const escalated = untouched.filter((s) => s.status === 'escalated');
  const plan4: { s: PeriodStatusView | undefined; action: DemoStep['action'] }[] = [
    { s: open[0], action: 'in-review' },
    { s: open[1], action: 'approved-on-time' },
    { s: open[2], action: 'rejected' },
    // Keep at least one escalated activity as it is: the demo shows that state too.
    { s: escalated.length > 1 ? escalated[0] : undefined, action: 'approved-late' },
  ];
  const steps: DemoStep[] = [];
  for (const { s, action } of plan4) {
    if (!s) continue;
    await handIn(deps, s);
    await until(deps.client, s.workflowId, (v) => v.status === 'in-review', timeoutMs);
    const handle = deps.client.workflow.getHandle(s.workflowId);
    if (action === 'approved-on-time' || action === 'approved-late') {
      await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'approve', reason: 'Revisado en la demostración.' }] });
    } else if (action === 'rejected') {
      const newDue = deps.calendar.addBusinessDays(deps.today, 10);
      await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reason: 'Falta la firma del jefe del área.', newDue }] });
    }
    steps.push({ workflowId: s.workflowId, action });
  }
  // Two activities under way report progress without a deliverable, as an area does from the evidence page or a reply.
  const reports = [
    { s: open[3], percent: 40, note: 'Se realizó la primera de tres jornadas.' },
    { s: open[4], percent: 75, note: 'Informe en borrador, falta la revisión del área jurídica.' },
  ];
  for (const { s, percent, note } of reports) {
    if (!s) continue;
    await deps.client.workflow.getHandle(s.workflowId).executeUpdate(reportProgressUpdate, {
      args: [{ percent, note, reportedBy: s.activity.responsible[0] ?? 'OAPLA', via: 'web' }],
    });
    steps.push({ workflowId: s.workflowId, action: 'progress' });
  }
  return steps;
}

/** How many activities of the plan are in each state, as the worker reports them. */
export async function demoCounts(client: Client, plan: Plan): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const a of plan.activities) {
    const s = await statusOf(client, `${plan.id}/${a.number}`);
    counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  }
  return counts;
}
