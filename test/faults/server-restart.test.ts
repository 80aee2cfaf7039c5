/**
 * The Temporal dev server stopped with SIGTERM and started again on the same SQLite file while the
 * worker process keeps running: what the workflows knew before (notices sent, evidence, status) is
 * all there after, and the next notices still go out.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { startPlan } from '../../client/start-plan';
import { startEvidenceServer, type EvidenceServer } from '../../simulation/evidence-server';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { extendDeadlineUpdate, reviewUpdate, submitEvidenceUpdate, type ActivityResult, type PeriodStatusView } from '../../workflows/shared';
import {
  buildWorker,
  calendar,
  countBy,
  eventually,
  killWorkers,
  periodStatus,
  planDueNow,
  startTemporal,
  startWorker,
  tempDir,
  type TemporalProcess,
  type WorkerProcess,
} from '../helpers/processes';

const plan = planDueNow({ id: 'fallas-reinicio', count: 3 });
const id = (n: number) => `${plan.id}/${n}`;

let dir: string;
let temporal: TemporalProcess;
let mail: MailCapture;
let evidence: EvidenceServer;
let worker: WorkerProcess;
let before: PeriodStatusView[];

const statuses = () => Promise.all(plan.activities.map((a) => periodStatus(temporal.client, id(a.number))));

beforeAll(async () => {
  buildWorker();
  dir = tempDir('restart');
  [temporal, mail, evidence] = await Promise.all([startTemporal(dir), startMailCapture(), startEvidenceServer()]);
  worker = await startWorker({ temporalAddress: temporal.address, smtpUrl: mail.url, dataDir: join(dir, 'data'), taskQueue: 'fallas-reinicio' });
  await startPlan(temporal.client, plan, calendar, { taskQueue: 'fallas-reinicio', searchAttributes: true });
  await mail.waitFor(3);
  // Activity 1 hands in its report, which is checked and waits for OAPLA's review when the server stops.
  await temporal.client.workflow.getHandle(id(1)).executeUpdate(submitEvidenceUpdate, {
    args: [{ evidence: { kind: 'url', url: evidence.url('ferias.pdf') }, note: 'Informe final', submittedBy: 'ARVIV' }],
  });
  await eventually(
    () => periodStatus(temporal.client, id(1)),
    (s) => s.status === 'in-review' && s.sent.length === 3 && s.sent.every((n) => n.messageId),
    'activity 1 in review, its mail sent',
  );
  before = await statuses();
  await temporal.stop();
  await temporal.start();
}, 240_000);

afterAll(async () => {
  await worker?.stop();
  await killWorkers();
  await Promise.all([temporal?.close(), mail?.close(), evidence?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a Temporal server restarted on the same SQLite file', () => {
  it('answers every status query as before: the notices sent, the evidence and where each activity stands', async () => {
    expect(before.map((s) => s.status)).toEqual(['in-review', 'active', 'active']);
    expect(before[0]?.evidence).toHaveLength(1);
    const after = await eventually(statuses, () => true, 'status queries after the restart');
    expect(after).toEqual(before);
  });

  it('keeps the worker process running through the outage', async () => {
    await eventually(statuses, () => true, 'the worker answers again');
    expect(worker.running()).toBe(true);
  });

  it('sends the approval when OAPLA approves the evidence handed in before the restart, and closes the activity on time', async () => {
    const handle = temporal.client.workflow.getHandle(id(1));
    await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'approve', reason: 'Cumple.' }] });
    const result = (await handle.result()) as ActivityResult;
    expect(result.status).toBe('on-time');
    // The workflow completes only after the approval's mail went out, so it is at the SMTP server already.
    const approved = result.sent.find((n) => n.kind === 'approved');
    const received = mail.messages.filter((m) => m.messageId === approved?.messageId);
    expect(received.map((m) => [m.subject, m.to])).toEqual([['Evidencia aprobada: actividad 1', ['vivienda@entidad.gov.co']]]);
  });

  it('sends the new due date when a deadline is extended after the restart', async () => {
    const newDue = calendar.addBusinessDays(before[1]!.due, 5);
    await temporal.client.workflow.getHandle(id(2)).executeUpdate(extendDeadlineUpdate, { args: [{ newDue, reason: 'Cambio de proveedor' }] });
    const status = await eventually(
      () => periodStatus(temporal.client, id(2)),
      (s) => s.sent.some((n) => n.kind === 'extended' && n.messageId),
      'extension mail',
    );
    const sent = status.sent.find((n) => n.kind === 'extended')!;
    const received = mail.messages.filter((m) => m.messageId === sent.messageId);
    const longDue = DateTime.fromISO(newDue).setLocale('es-CO').toFormat("d 'de' LLLL 'de' yyyy");
    expect(received).toHaveLength(1);
    expect(received[0]?.subject).toMatch(new RegExp(`^Nuevo plazo para la actividad 2: \\S+ ${longDue}$`));
    expect(received[0]?.to).toEqual(['comunicaciones@entidad.gov.co']);
  });

  it('never sends a notice twice across the restart', async () => {
    const after = await statuses();
    const receipts = after.flatMap((s) => s.sent.map((n) => n.messageId));
    const received = countBy(mail.messages.map((m) => m.messageId));
    expect([...received].filter(([, n]) => n > 1)).toEqual([]);
    expect([...received.keys()].sort()).toEqual(receipts.sort());
  });
});
