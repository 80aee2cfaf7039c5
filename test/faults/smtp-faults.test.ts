/**
 * The SMTP server misbehaving under the real worker process: down for a while (nothing listens on
 * its port, then a new server comes up on the same port), and a recipient refused for good (550).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { messageIdFor } from '../../activities/email/message-id';
import { startPlan } from '../../client/start-plan';
import type { Plan } from '../../plans/model';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import type { PeriodStatusView } from '../../workflows/shared';
import {
  buildWorker,
  calendar,
  countBy,
  eventually,
  killWorkers,
  MAIL_DOMAIN,
  periodStatus,
  planDueNow,
  startTemporal,
  startWorker,
  tempDir,
  type TemporalProcess,
  type WorkerProcess,
} from '../helpers/processes';

const TASK_QUEUE = 'fallas-smtp';

let dir: string;
let temporal: TemporalProcess;
let worker: WorkerProcess;
let smtpPort: number;
let restored: Promise<MailCapture> | undefined;

/** The SMTP server back on its port (started once, by whichever test needs it first). */
const smtpBack = () => (restored ??= startMailCapture({ port: smtpPort }));

beforeAll(async () => {
  buildWorker();
  dir = tempDir('smtp');
  // The worker is pointed at a port where an SMTP server listened and no longer does.
  const gone = await startMailCapture();
  smtpPort = gone.port;
  await gone.close();
  temporal = await startTemporal(dir);
  worker = await startWorker({ temporalAddress: temporal.address, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, dataDir: join(dir, 'data'), taskQueue: TASK_QUEUE });
});

afterAll(async () => {
  await worker?.stop();
  await killWorkers();
  await Promise.all([temporal?.close(), restored?.then((m) => m.close())]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const statusesOf = (client: Client, plan: Plan) => Promise.all(plan.activities.map((a) => periodStatus(client, `${plan.id}/${a.number}`)));

/** Waits until every activity of the plan satisfies `done`. */
function statusesWhen(plan: Plan, done: (s: PeriodStatusView) => boolean, what: string): Promise<PeriodStatusView[]> {
  return eventually(
    () => statusesOf(temporal.client, plan),
    (all) => all.every(done),
    `${plan.id}: ${what}`,
  );
}

/** The sendNotice attempt the workflow is waiting on, as the server describes it. */
async function pendingSend(workflowId: string) {
  const { raw } = await temporal.client.workflow.getHandle(workflowId).describe();
  return raw.pendingActivities?.find((a) => a.activityType?.name === 'sendNotice');
}

describe('the SMTP server down, then back', () => {
  it('delivers the kickoffs owed during the outage once the server is back, each exactly once and with no delivery failure reported', async () => {
    const plan = planDueNow({ id: 'fallas-smtp-caido', count: 5 });
    await startPlan(temporal.client, plan, calendar, { taskQueue: TASK_QUEUE, searchAttributes: true });
    // Every kickoff has been tried and refused at the door before the server comes back.
    for (const a of plan.activities) {
      const pending = await eventually(
        () => pendingSend(`${plan.id}/${a.number}`),
        (p) => (p?.attempt ?? 0) >= 2,
        `activity ${a.number} retrying`,
      );
      expect(pending?.lastFailure?.message).toMatch(/No se pudo entregar el aviso kickoff .* al servidor de correo \(ECONNREFUSED\); se reintentará\./);
    }

    const mail = await smtpBack();
    const statuses = await statusesWhen(plan, (s) => s.sent.some((n) => n.kind === 'kickoff' && (n.messageId || n.failed)), 'every kickoff settled');

    const receipts = statuses.flatMap((s) => s.sent.map((n) => n.messageId ?? `failed: ${n.failed?.join(',')}`));
    const received = countBy(mail.messages.map((m) => m.messageId).filter((id) => receipts.includes(id)));
    expect(statuses.map((s) => s.sent.map((n) => n.kind))).toEqual(plan.activities.map(() => ['kickoff']));
    expect([...received.keys()].sort()).toEqual([...receipts].sort());
    expect([...received.values()]).toEqual(plan.activities.map(() => 1));
  }, 180_000);
});

describe('a recipient the SMTP server refuses for good (550)', () => {
  it("records the delivery failure and tells OAPLA's mailbox which area did not get the notice", async () => {
    const plan = planDueNow({ id: 'fallas-smtp-550', count: 2, responsible: [['ARVIV'], ['ARCOM', 'ARVIV']] });
    const mail = await smtpBack();
    mail.refuse('vivienda@entidad.gov.co', 550);
    try {
      await startPlan(temporal.client, plan, calendar, { taskQueue: TASK_QUEUE, searchAttributes: true });
      // The workflow lists a delivery-failed report once its mail has gone out.
      const statuses = await statusesWhen(plan, (s) => s.sent.some((n) => n.kind === 'delivery-failed'), 'every failure reported');

      for (const status of statuses) {
        const kickoff = status.sent.find((n) => n.kind === 'kickoff')!;
        const report = status.sent.find((n) => n.kind === 'delivery-failed')!;
        expect(kickoff.failed).toEqual(['ARVIV']);
        expect(report.to).toEqual(['OAPLA']);
        const reports = mail.messages.filter((m) => m.messageId === messageIdFor(report.idempotencyKey, MAIL_DOMAIN));
        expect(reports).toHaveLength(1);
        expect(reports[0]?.envelopeTo).toEqual(['planeacion@entidad.gov.co']);
        expect(reports[0]?.subject).toBe(`No se pudo entregar un aviso de la actividad ${status.activity.number}`);
        expect(reports[0]?.text).toContain('Área de Vivienda (ARVIV)');
      }
      // Activity 2's kickoff still reached ARCOM, the area the server accepted; ARVIV got nothing.
      const planMail = mail.messages.filter((m) => statuses.some((s) => s.sent.some((n) => messageIdFor(n.idempotencyKey, MAIL_DOMAIN) === m.messageId)));
      expect(planMail.filter((m) => m.subject.startsWith('Inicia la actividad 2')).map((m) => m.envelopeTo)).toEqual([['comunicaciones@entidad.gov.co']]);
      expect(planMail.flatMap((m) => m.envelopeTo)).not.toContain('vivienda@entidad.gov.co');
    } finally {
      mail.clearRefusals();
    }
  }, 180_000);
});
