/**
 * A flood of progress reports through one activity's link, on the Temporal CLI's dev server with the
 * production worker and a real SMTP server: the period's workflow hands over to a new run long before
 * Temporal's caps (2,000 updates, 51,200 events per run), OAPLA's extension sent in the middle of the
 * flood gets through, evidence is then taken, checked and approved, and no notice goes out twice. A
 * monthly activity's period does the same, and its parent still receives the period's outcome.
 *
 * `PLAZOS_RECORD_CONTINUE=v6 npx jest test/workflows/continue-as-new` also writes every run of these
 * workflows, with search attributes and the follow-up memo, for the replay tests
 * (test/replay/histories/v6/continued-as-new-listed/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { tryUpdate } from '../../client/operations';
import { startPlan } from '../../client/start-plan';
import type { EvidenceServer } from '../../simulation/evidence-server';
import type { MailCapture } from '../../simulation/mail-capture';
import { AREA_UPDATES_PER_RUN_MAX, UPDATES_PER_RUN_MAX } from '../../workflows/continue-as-new';
import { FOLLOW_UP_MEMO, PROGRESS_HISTORY_MAX } from '../../workflows/progress';
import {
  cancelSignal,
  amendUpdate,
  extendDeadlineUpdate,
  periodWorkflowId,
  reportProgressUpdate,
  reviewUpdate,
  SEARCH_ATTRIBUTES,
  statusQuery,
  submitEvidenceUpdate,
  type ActivityResult,
  type PeriodStatusView,
  type RecurringStatusView,
} from '../../workflows/shared';
import { eventually as poll } from '../helpers/eventually';
import { startProductionWorker, type ProductionWorkerStack } from '../helpers/production-worker';
import { seedPlan } from '../helpers/seed';
import { itWhen } from '../helpers/skip';

jest.setTimeout(120_000);

const eventually = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string) => poll(read, ok, what, { timeoutMs: 30_000 });

const calendar = new BusinessCalendar();
const today = DateTime.now().setZone('America/Bogota');
const yesterday = calendar.previousBusinessDay(today.toISODate()!);
const dueIn20 = calendar.addBusinessDays(today.toISODate()!, 20);
const monthStart = today.startOf('month').toISODate()!;
const nextMonthEnd = today.plus({ months: 1 }).endOf('month').toISODate()!;

const plan = seedPlan([
  { number: 1, title: 'Desarrollar ferias inmobiliarias', start: yesterday, due: dueIn20, responsible: ['ARVIV'], deliverable: 'Informe de ferias.' },
  {
    number: 2,
    title: 'Realizar seguimiento mensual a los contenidos del sitio WEB.',
    start: monthStart,
    due: nextMonthEnd,
    responsible: ['ARCOM'],
    deliverable: 'Informe mensual del sitio web.',
    recurrence: { frequency: 'monthly', due: { rule: 'end-of-period' } },
  },
  { number: 3, title: 'Divulgar trámites y servicios', start: yesterday, due: dueIn20, responsible: ['ASERA'], deliverable: 'Informe de divulgación.' },
]);

/** More than twice the per-run bound: at least two hand-overs. */
const REPORTS = 1_200;
/** Reports in flight at once: under the server's 10 in-flight updates, with room for OAPLA's. */
const BATCH = 8;

let stack: ProductionWorkerStack;
let env: TestWorkflowEnvironment;
let mail: MailCapture;
let evidence: EvidenceServer;

beforeAll(async () => {
  stack = await startProductionWorker('plazos-can-test');
  ({ env, mail, evidence } = stack);
  const outcomes = await startPlan(env.client, plan, calendar, { taskQueue: 'plazos-can-test', searchAttributes: true });
  expect(outcomes.map((o) => o.result)).toEqual(['started', 'started', 'started']);
}, 60_000);

afterAll(() => stack?.close());

const handle = (id: string) => env.client.workflow.getHandle(id);
const period = async (id: string) => (await handle(id).query(statusQuery)) as PeriodStatusView;

/** Sends `count` progress reports, `BATCH` at a time, each through tryUpdate as the web sends it. */
async function flood(h: WorkflowHandle, area: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - i) }, (_, k) => i + k);
    const outcomes = await Promise.all(
      batch.map((n) =>
        tryUpdate(() => h.executeUpdate(reportProgressUpdate, { args: [{ percent: n % 101, note: `Avance ${n}`, reportedBy: area, via: 'web' }] })),
      ),
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  }
}

/** The runs of one workflow id, first to last, following each run's continued-as-new event. */
async function runsFrom(workflowId: string, firstRunId: string): Promise<{ runId: string; accepted: number; events: number }[]> {
  const runs: { runId: string; accepted: number; events: number }[] = [];
  for (let runId: string | undefined = firstRunId; runId;) {
    const events: temporal.api.history.v1.IHistoryEvent[] = (await env.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    runs.push({ runId, accepted: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length, events: events.length });
    runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

const firstRuns = new Map<string, string>();

/** Every mail the SMTP server received went out once: a Message-ID is a hash of the notice's idempotency key. */
function expectNoMailTwice(status: PeriodStatusView): void {
  const ids = mail.messages.map((m) => m.messageId);
  expect(new Set(ids).size).toBe(ids.length);
  const keys = status.sent.map((s) => s.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  for (const s of status.sent) expect(mail.messages.filter((m) => m.messageId === s.messageId)).toHaveLength(1);
}

async function submitAndApprove(id: string, area: string): Promise<void> {
  const submitted = await tryUpdate(() =>
    handle(id).executeUpdate(submitEvidenceUpdate, {
      args: [{ evidence: { kind: 'url', url: evidence.url('informe.pdf') }, note: 'Informe final', submittedBy: area }],
    }),
  );
  expect(submitted).toMatchObject({ ok: true, value: { evidenceId: 'E1', status: 'checking' } });
  await eventually(
    () => period(id),
    (s) => s.status === 'in-review',
    `${id} in review`,
  );
  await expect(tryUpdate(() => handle(id).executeUpdate(reviewUpdate, { args: [{ decision: 'approve', reason: 'Completo.' }] }))).resolves.toMatchObject({
    ok: true,
    value: { status: 'on-time' },
  });
}

describe('a period flooded with progress reports', () => {
  const id = `${plan.id}/1`;

  it('continues as new before any cap, takes OAPLA’s extension mid-flood, then evidence and its approval, and mails nothing twice', async () => {
    await mail.waitFor(1, 30_000);
    const firstRunId = (await handle(id).describe()).runId;
    firstRuns.set(id, firstRunId);
    const newDue = calendar.addBusinessDays(dueIn20, 5);

    // OAPLA extends the deadline while the reports pour in, as it would during a real flood.
    const half = Math.floor(REPORTS / 2);
    await flood(handle(id), 'ARVIV', half);
    const extending = tryUpdate(() => handle(id).executeUpdate(extendDeadlineUpdate, { args: [{ newDue, reason: 'Prórroga solicitada por el área.' }] }));
    await flood(handle(id), 'ARVIV', REPORTS - half);
    await expect(extending).resolves.toEqual({ ok: true, value: { status: 'active', due: newDue } });

    const runs = await runsFrom(id, firstRunId);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs[runs.length - 1]?.runId).toBe((await handle(id).describe()).runId);
    for (const run of runs) {
      // One workflow task can accept the updates in flight (at most 10) before the loop reaches a quiet point.
      expect(run.accepted).toBeLessThanOrEqual(UPDATES_PER_RUN_MAX + 10);
    }

    const flooded = await eventually(
      () => period(id),
      (s) => s.sent.some((n) => n.kind === 'extended'),
      'the extension mailed',
    );
    expect(flooded.due).toBe(newDue);
    expect(flooded.revision).toBe(1);
    expect(flooded.progress).toHaveLength(PROGRESS_HISTORY_MAX);
    expect(flooded.progress?.every((p) => /^Avance \d+$/.test(p.note ?? ''))).toBe(true);
    expect(flooded.sent.map((s) => s.kind)).toEqual(['kickoff', 'extended']);

    await submitAndApprove(id, 'ARVIV');
    await expect(handle(id).result()).resolves.toMatchObject({ status: 'on-time' });

    const closed = await period(id);
    expect(closed.status).toBe('on-time');
    expect(closed.evidence).toHaveLength(1);
    expect(closed.evidence[0]).toMatchObject({ id: 'E1', check: { ok: true }, review: { decision: 'approve' } });
    expect(closed.progress).toHaveLength(PROGRESS_HISTORY_MAX);
    expect(closed.sent.map((s) => s.kind)).toEqual(['kickoff', 'extended', 'evidence-received', 'review-requested', 'approved']);
    expectNoMailTwice(closed);
    expect(mail.messages.filter((m) => m.subject.startsWith('Inicia la actividad') && m.to.includes('vivienda@entidad.gov.co'))).toHaveLength(1);

    // The last run lists the activity and keeps the follow-up memo as the first one wrote them.
    const described = await handle(id).describe();
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.plan)).toBe(plan.id);
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status)).toBe('on-time');
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.evidence)).toBe(1);
    const memo = described.memo?.[FOLLOW_UP_MEMO] as { progress: unknown[]; evidence: { id: string }[] } | undefined;
    expect(memo?.progress.length).toBeGreaterThan(0);
    expect(memo?.evidence.map((e) => e.id)).toEqual(['E1']);
  });
});

describe("a monthly activity's period flooded with progress reports", () => {
  const parentId = `${plan.id}/2`;

  it('continues as new under the same workflow id, and the parent still receives its outcome', async () => {
    const parent = await eventually(
      async () => (await handle(parentId).query(statusQuery)) as RecurringStatusView,
      (s) => s.periods[0]?.status === 'active',
      'the first period started',
    );
    const first = parent.periods[0]!;
    expect(first.workflowId).toBe(periodWorkflowId(plan.id, 2, first.key));
    const childId = first.workflowId;
    const firstRunId = (await handle(childId).describe()).runId;
    firstRuns.set(childId, firstRunId);
    firstRuns.set(parentId, (await handle(parentId).describe()).runId);

    await flood(handle(childId), 'ARCOM', UPDATES_PER_RUN_MAX + 20);
    expect((await runsFrom(childId, firstRunId)).length).toBeGreaterThanOrEqual(2);

    await submitAndApprove(childId, 'ARCOM');
    await eventually(
      async () => (await handle(parentId).query(statusQuery)) as RecurringStatusView,
      (s) => s.periods[0]?.status === 'on-time',
      "the parent holding the period's outcome",
    );
    await handle(parentId).signal(cancelSignal, { reason: 'Fin de la prueba.' });
    const result = (await handle(parentId).result()) as ActivityResult;
    expect(result.periods?.find((p) => p.period === first.key)).toMatchObject({ status: 'on-time' });
    expectNoMailTwice(await period(childId));
  });
});

describe('a period that cannot hand over yet, its mail being retried', () => {
  const id = `${plan.id}/3`;
  const report = (n: number) => () => handle(id).executeUpdate(reportProgressUpdate, { args: [{ percent: n, reportedBy: 'ASERA', via: 'web' as const }] });

  it("refuses the areas' reports past its bound, in Spanish, still takes OAPLA's extension, and hands over once the mail is out", async () => {
    await eventually(
      () => period(id),
      (s) => s.sent.some((n) => n.kind === 'kickoff' && n.messageId),
      'the kickoff of activity 3 sent',
    );
    const firstRunId = (await handle(id).describe()).runId;
    // The area's mailbox and OAPLA's (in copy) answer 4xx: the amendment's mail is retried, and the loop waits on it.
    mail.refuse('servicio.afiliado@entidad.gov.co', 450);
    mail.refuse('planeacion@entidad.gov.co', 450);
    await expect(
      tryUpdate(() =>
        handle(id).executeUpdate(amendUpdate, { args: [{ deliverable: 'Informe de divulgación y piezas gráficas.', reason: 'Se amplía el alcance.' }] }),
      ),
    ).resolves.toMatchObject({ ok: true });

    await flood(handle(id), 'ASERA', AREA_UPDATES_PER_RUN_MAX);
    await expect(tryUpdate(report(1))).resolves.toEqual({
      ok: false,
      message: 'La actividad está recibiendo demasiados reportes en este momento; intente de nuevo en unos minutos.',
    });
    const newDue = calendar.addBusinessDays(dueIn20, 3);
    await expect(tryUpdate(() => handle(id).executeUpdate(extendDeadlineUpdate, { args: [{ newDue, reason: 'Cambio de proveedor.' }] }))).resolves.toEqual({
      ok: true,
      value: { status: 'active', due: newDue },
    });
    expect(await runsFrom(id, firstRunId)).toHaveLength(1);

    mail.clearRefusals();
    await eventually(
      () => runsFrom(id, firstRunId),
      (runs) => runs.length >= 2,
      'the run handed over once its mail went out',
    );
    await expect(tryUpdate(report(2))).resolves.toMatchObject({ ok: true, value: { percent: 2 } });
    const status = await eventually(
      () => period(id),
      (s) => s.sent.some((n) => n.kind === 'extended'),
      'the extension mailed',
    );
    expect(status.sent.map((n) => n.kind)).toEqual(['kickoff', 'amended', 'extended']);
    expect(status.activity.deliverable).toBe('Informe de divulgación y piezas gráficas.');
    expect(status.due).toBe(newDue);
    expectNoMailTwice(status);
    await handle(id).signal(cancelSignal, { reason: 'Fin de la prueba.' });
    await expect(handle(id).result()).resolves.toMatchObject({ status: 'cancelled' });
  });
});

const RECORD = process.env.PLAZOS_RECORD_CONTINUE;

itWhen(Boolean(RECORD), 'grabar historias de reproducción solo se hace a pedido: PLAZOS_RECORD_CONTINUE=v6 npx jest test/workflows/continue-as-new')(
  'records every run of these workflows (PLAZOS_RECORD_CONTINUE)',
  async () => {
    const dir = join(__dirname, '..', 'replay', 'histories', RECORD ?? '', 'continued-as-new-listed');
    mkdirSync(dir, { recursive: true });
    for (const [workflowId, firstRunId] of firstRuns) {
      const runs = await runsFrom(workflowId, firstRunId);
      for (const [i, run] of runs.entries()) {
        const history = await env.client.workflow.getHandle(workflowId, run.runId).fetchHistory();
        const name = `${workflowId.replace(/\//g, '_')}${i === 0 ? '' : `_run${i + 1}`}.binpb`;
        writeFileSync(join(dir, name), temporal.api.history.v1.History.encode(history).finish());
      }
    }
  },
);
