/**
 * `plazos plan simulate`: a plan's whole year on the real workflows and activities, on Temporal's
 * time-skipping server, with a real SMTP server receiving the mail and a local web server
 * publishing the evidence the simulated areas hand in. Administrators use it as a dry run before
 * they start a plan; tests use it to check the engine against the preview.
 */
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { AreasDirectory } from '../plans/areas';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { activityPeriods } from '../calendar/periods';
import { activityInput } from '../client/inputs';
import type { NoticeLocale } from '../activities/email/types';
import type { Plan, PlanActivity } from '../plans/model';
import { planActivity } from '../workflows';
import {
  activityWorkflowId,
  periodWorkflowId,
  reviewUpdate,
  statusQuery,
  submitEvidenceUpdate,
  type ActivityResult,
  type Outcome,
  type SentNoticeRecord,
} from '../workflows/shared';
import { startEngine, type Engine } from './engine';
import { PLAN_TIMEZONE } from '../calendar/policy';

/** Evidence for an activity on a date; the review the next business day approves it unless a rejection is queued. */
export interface SimulationInput {
  plan: Plan;
  areas: AreasDirectory;
  calendar: BusinessCalendar;
  /** activity number → dates the area hands in evidence, in order. */
  submit: Map<number, string[]>;
  /** activity number → new due dates OAPLA sets when it rejects, consumed by the submissions in order. */
  reject: Map<number, string[]>;
  locale?: NoticeLocale;
  logger?: Logger;
}

export interface SimulatedNotification {
  activity: number;
  period: string | null;
  kind: SentNoticeRecord['kind'];
  /** Workflow time the mail went out. */
  at: string;
  /** The instant the schedule set for it (null for mails that answer an event: evidence, review...). */
  scheduledAt: string | null;
  to: string[];
  cc: string[];
  subject: string;
}

export interface SimulatedOutcome {
  activity: number;
  period: string | null;
  status: Outcome;
  closedAt: string;
}

export interface SimulationReport {
  notifications: SimulatedNotification[];
  outcomes: SimulatedOutcome[];
  /** What the simulated people did that the workflow refused, or could not do (e.g. review a link that failed its check). */
  notes: string[];
  /** Seconds of wall-clock time the simulation took. */
  seconds: number;
}

const ZONE = PLAN_TIMEZONE;

interface Action {
  at: number;
  activity: number;
  run(engine: Engine): Promise<void>;
}

/** Recurring activities take evidence per period: the period whose span holds the date, else the last one begun. */
function targetWorkflow(plan: Plan, activity: PlanActivity, date: string, calendar: BusinessCalendar): string {
  if (!activity.recurrence) return activityWorkflowId(plan.id, activity.number);
  const periods = activityPeriods(activity, calendar);
  const period = periods.find((p) => p.start <= date && date <= p.due) ?? [...periods].reverse().find((p) => p.start <= date) ?? periods[0];
  return periodWorkflowId(plan.id, activity.number, period?.key ?? '');
}

function localMillis(date: string, time: string): number {
  return DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toMillis();
}

function planActions(input: SimulationInput, notes: string[]): Action[] {
  const { plan, calendar } = input;
  const actions: Action[] = [];
  for (const [number, dates] of input.submit) {
    const activity = plan.activities.find((a) => a.number === number);
    if (!activity) {
      notes.push(`La actividad ${number} no está en el plan: se ignora --submit ${number}.`);
      continue;
    }
    const rejections = [...(input.reject.get(number) ?? [])];
    dates.forEach((date, i) => {
      const workflowId = targetWorkflow(plan, activity, date, calendar);
      const newDue = rejections.shift();
      const reviewDay = calendar.nextBusinessDay(date);
      actions.push({
        at: localMillis(date, '10:00'),
        activity: number,
        run: async (engine) => {
          const url = engine.evidence.url(`actividad-${number}-${date}-${i + 1}.pdf`);
          await engine.env.client.workflow.getHandle(workflowId).executeUpdate(submitEvidenceUpdate, {
            args: [{ evidence: { kind: 'url', url }, note: 'Evidencia simulada', submittedBy: activity.responsible[0] ?? plan.owner }],
          });
        },
      });
      actions.push({
        at: localMillis(reviewDay, '09:00'),
        activity: number,
        run: async (engine) => {
          const handle = engine.env.client.workflow.getHandle(workflowId);
          const status = await handle.query(statusQuery);
          if (status.status !== 'in-review') {
            notes.push(`Actividad ${number}: la evidencia del ${date} no quedó en revisión (estado ${status.status}); no se revisa.`);
            return;
          }
          const review = newDue
            ? { decision: 'reject' as const, reason: 'Simulación: se pide completar la evidencia.', newDue }
            : { decision: 'approve' as const };
          await handle.executeUpdate(reviewUpdate, { args: [review] });
        },
      });
    });
  }
  return actions.sort((a, b) => a.at - b.at);
}

function flatten(result: ActivityResult): ActivityResult[] {
  return result.periods ? result.periods : [result];
}

export async function simulatePlan(input: SimulationInput): Promise<SimulationReport> {
  const started = Date.now();
  const { plan, calendar } = input;
  const notes: string[] = [];
  const actions = planActions(input, notes);
  const engine = await startEngine({ areas: input.areas, logger: input.logger });
  try {
    // Plan time begins at midnight of the earliest start date, so every kickoff lies ahead.
    const earliest = plan.activities.map((a) => a.start).sort()[0];
    if (!earliest) return { notifications: [], outcomes: [], notes, seconds: 0 };
    const planStart = localMillis(earliest, '00:00');
    const clockOffsetMs = planStart - (await engine.serverNow());
    const handles = await Promise.all(
      plan.activities.map((activity) =>
        engine.env.client.workflow.start(planActivity, {
          taskQueue: engine.taskQueue,
          workflowId: activityWorkflowId(plan.id, activity.number),
          args: [activityInput(plan, activity, calendar, { clockOffsetMs, locale: input.locale })],
        }),
      ),
    );
    for (const action of actions) {
      const planNow = (await engine.serverNow()) + clockOffsetMs;
      if (action.at > planNow) await engine.advance(action.at - planNow);
      try {
        await action.run(engine);
      } catch (err) {
        const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
        notes.push(`Actividad ${action.activity}: ${cause}`);
      }
    }
    // One at a time: each wait unlocks the test server's time skipping and locks it again after,
    // and concurrent waits would unlock it more times than it was locked.
    const results: ActivityResult[] = [];
    for (const handle of handles) results.push(await handle.result());
    return report(results, engine, notes, started);
  } finally {
    await engine.close();
  }
}

function report(results: ActivityResult[], engine: Engine, notes: string[], started: number): SimulationReport {
  const byMessageId = new Map(engine.mail.messages.map((m) => [m.messageId, m]));
  const notifications: SimulatedNotification[] = [];
  const outcomes: SimulatedOutcome[] = [];
  for (const result of results) {
    for (const r of flatten(result)) {
      outcomes.push({ activity: r.activity, period: r.period, status: r.status, closedAt: r.closedAt });
      for (const sent of r.sent) {
        const mail = sent.messageId ? byMessageId.get(sent.messageId) : undefined;
        notifications.push({
          activity: r.activity,
          period: r.period,
          kind: sent.kind,
          at: sent.at,
          scheduledAt: sent.scheduledAt ?? null,
          to: mail?.to ?? [],
          cc: mail?.cc ?? [],
          subject: mail?.subject ?? '',
        });
      }
    }
  }
  // In the order the preview lists them: by the instant each was due, then activity and period.
  const due = (n: SimulatedNotification) => n.scheduledAt ?? n.at;
  notifications.sort(
    (a, b) => due(a).localeCompare(due(b)) || a.activity - b.activity || (a.period ?? '').localeCompare(b.period ?? '') || a.at.localeCompare(b.at),
  );
  outcomes.sort((a, b) => a.activity - b.activity || (a.period ?? '').localeCompare(b.period ?? ''));
  return { notifications, outcomes, notes, seconds: (Date.now() - started) / 1000 };
}
