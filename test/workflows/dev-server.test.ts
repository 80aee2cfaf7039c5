/**
 * The production worker (workers/main.ts's createWorker) on the Temporal CLI's dev server, with a
 * real SMTP server: updates refused before they enter the history, the status query, and listing
 * an area's activities by search attributes.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { startPlan } from '../../client/start-plan';
import type { EvidenceServer } from '../../simulation/evidence-server';
import type { MailCapture } from '../../simulation/mail-capture';
import { amendUpdate, extendDeadlineUpdate, reviewUpdate, statusQuery, submitEvidenceUpdate } from '../../workflows/shared';
import { startProductionWorker, type ProductionWorkerStack } from '../helpers/production-worker';
import { seedPlan } from '../helpers/seed';
import { eventually as poll } from '../helpers/eventually';
import { judge, lastPollOf, type PollerSeen } from '../../workers/liveness';

const eventually = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string) => poll(read, ok, what, { timeoutMs: 10_000 });

const calendar = new BusinessCalendar();
const today = DateTime.now().setZone('America/Bogota').toISODate()!;
// The last business day before today: its 08:00 kickoff has passed whatever day the tests run.
const yesterday = calendar.previousBusinessDay(today);
const dueIn20 = calendar.addBusinessDays(today, 20);

// Activities that began on the last business day: started now, each announces itself at once and goes on from its next notice.
const plan = seedPlan([
  { number: 1, title: 'Desarrollar ferias inmobiliarias', start: yesterday, due: dueIn20, responsible: ['ARVIV'], deliverable: 'Informe de ferias.' },
  {
    number: 2,
    title: 'Divulgar trámites y servicios',
    start: yesterday,
    due: dueIn20,
    responsible: ['ASERA', 'ARCOM'],
    deliverable: 'Informe de divulgación.',
  },
  { number: 3, title: 'Seguimiento al sitio web', start: yesterday, due: dueIn20, responsible: ['ARCOM'], deliverable: 'Informe del sitio web.' },
]);

let stack: ProductionWorkerStack;
let env: TestWorkflowEnvironment;
let mail: MailCapture;
let evidence: EvidenceServer;
let workerSeen: () => Promise<{ identity: string; pollers: PollerSeen[] }>;

beforeAll(async () => {
  stack = await startProductionWorker('plazos-dev-test');
  ({ env, mail, evidence } = stack);
  const { created } = stack;
  workerSeen = () =>
    created.connection.workflowService
      .describeTaskQueue({ namespace: 'default', taskQueue: { name: 'plazos-dev-test' }, taskQueueType: 1 })
      .then((res) => ({ identity: created.identity, pollers: res.pollers }));
  const outcomes = await startPlan(env.client, plan, calendar, { taskQueue: 'plazos-dev-test', searchAttributes: true });
  expect(outcomes.map((o) => o.result)).toEqual(['started', 'started', 'started']);
  await mail.waitFor(3);
});

afterAll(() => stack?.close());

const handle = (n: number) => env.client.workflow.getHandle(`${plan.id}/${n}`);

describe('a plan started on the dev server', () => {
  it('announces each activity that already began at once, to its lead area, with text and HTML parts', () => {
    const kickoffs = mail.messages.filter((m) => m.subject.startsWith('Inicia la actividad'));
    expect(kickoffs).toHaveLength(3);
    expect(kickoffs.map((m) => m.to[0]).sort()).toEqual(['comunicaciones@entidad.gov.co', 'servicio.afiliado@entidad.gov.co', 'vivienda@entidad.gov.co']);
    for (const m of kickoffs) {
      expect(m.text.length).toBeGreaterThan(50);
      expect(m.html).toContain('<html');
    }
  });

  it('is listed by the server as a workflow poller under the identity its liveness watch looks for', async () => {
    const seen = await workerSeen();
    const lastPoll = lastPollOf(seen.pollers, seen.identity);
    expect(lastPoll).toBeDefined();
    // A long poll lasts up to about 70 s: the server's record of this worker is never older than that.
    expect(Date.now() - lastPoll!).toBeLessThan(90_000);
    expect(judge({ healthySince: 0 }, seen.pollers, seen.identity, Date.now(), 300_000)).toEqual({ kind: 'polling' });
  });

  it('starting the same plan again starts nothing and sends nothing', async () => {
    const before = mail.messages.length;
    const outcomes = await startPlan(env.client, plan, calendar, { taskQueue: 'plazos-dev-test', searchAttributes: true });
    expect(outcomes.map((o) => o.result)).toEqual(['already-started', 'already-started', 'already-started']);
    await new Promise((r) => setTimeout(r, 500));
    expect(mail.messages.length).toBe(before);
  });

  it('answers the status query with the next notice and why it falls on that date', async () => {
    const status = await handle(1).query(statusQuery);
    if (status.kind !== 'period') throw new Error('expected a plain activity');
    expect(status.status).toBe('active');
    expect(status.sent.map((s) => s.kind)).toEqual(['kickoff']);
    expect(status.next?.kind).toBe('reminder');
    expect(status.next?.why.es).toMatch(/10 días hábiles antes del vencimiento/);
    expect(status.next?.at).toBe(`${calendar.addBusinessDays(calendar.previousBusinessDay(dueIn20, true), -10)}T08:00:00-05:00`);
  });

  it('refuses bad updates in the validator, so nothing of them enters the history', async () => {
    const before = (await handle(1).fetchHistory()).events?.length;
    await expect(
      handle(1).executeUpdate(submitEvidenceUpdate, { args: [{ evidence: { kind: 'url', url: 'ftp://x/informe.pdf' }, submittedBy: 'ARVIV' }] }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringContaining('http:// o https://') },
    });
    await expect(handle(1).executeUpdate(reviewUpdate, { args: [{ decision: 'approve' }] })).rejects.toMatchObject({
      cause: { message: 'No hay evidencia en revisión para esta actividad.' },
    });
    await expect(handle(1).executeUpdate(extendDeadlineUpdate, { args: [{ newDue: '2020-01-01', reason: 'x' }] })).rejects.toMatchObject({
      cause: { message: expect.stringContaining('ya pasó') },
    });
    await expect(handle(1).executeUpdate(amendUpdate, { args: [{ reason: 'nada' }] })).rejects.toMatchObject({
      cause: { message: expect.stringContaining('Indique al menos un cambio') },
    });
    expect((await handle(1).fetchHistory()).events?.length).toBe(before);
  });

  it('takes evidence, checks it, and lists the activity by plan, area and status through search attributes', async () => {
    const receipt = await handle(2).executeUpdate(submitEvidenceUpdate, {
      args: [{ evidence: { kind: 'url', url: evidence.url('divulgacion.pdf') }, note: 'Informe del semestre', submittedBy: 'ASERA' }],
    });
    expect(receipt).toMatchObject({ evidenceId: 'E1', status: 'checking' });
    await eventually(
      () => handle(2).query(statusQuery),
      (s) => s.status === 'in-review',
      'activity 2 in review',
    );

    const query = `PlazosPlan = "${plan.id}" AND PlazosAreas = "ARCOM" AND PlazosStatus = "in-review"`;
    const listed = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.length > 0,
      'visibility to catch up',
    );
    expect(listed).toEqual([`${plan.id}/2`]);

    const byArea: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `PlazosPlan = "${plan.id}" AND PlazosAreas = "ARCOM"` })) byArea.push(wf.workflowId);
    expect(byArea.sort()).toEqual([`${plan.id}/2`, `${plan.id}/3`]);

    await handle(2).executeUpdate(reviewUpdate, { args: [{ decision: 'approve' }] });
    await expect(handle(2).result()).resolves.toMatchObject({ status: 'on-time' });
  });

  it('extends a deadline and amends the deliverable, telling the area each time', async () => {
    const newDue = calendar.addBusinessDays(dueIn20, 5);
    await expect(handle(3).executeUpdate(extendDeadlineUpdate, { args: [{ newDue, reason: 'Cambio de proveedor' }] })).resolves.toEqual({
      status: 'active',
      due: newDue,
    });
    await handle(3).executeUpdate(amendUpdate, {
      args: [{ deliverable: 'Informe del sitio web y del portal de transparencia.', reason: 'Se amplía el alcance.' }],
    });
    const status = await eventually(
      () => handle(3).query(statusQuery),
      (s) => s.kind === 'period' && s.sent.length >= 3,
      'mails of the changes',
    );
    if (status.kind !== 'period') throw new Error('expected a plain activity');
    expect(status.sent.map((s) => s.kind)).toEqual(['kickoff', 'extended', 'amended']);
    expect(status.activity.deliverable).toBe('Informe del sitio web y del portal de transparencia.');
    expect(status.due).toBe(newDue);
    await handle(3).signal('cancel', { reason: 'fin de la prueba' });
    await expect(handle(3).result()).resolves.toMatchObject({ status: 'cancelled' });
    await handle(1).signal('cancel', { reason: 'fin de la prueba' });
  });
});
