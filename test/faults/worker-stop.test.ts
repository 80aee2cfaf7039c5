/**
 * The worker as a real process stopped with SIGTERM (a deploy, a service manager) in the middle of
 * a burst of notices, then started again: it exits cleanly, and nothing is lost or sent twice.
 */
import { startPlan } from '../../client/start-plan';
import type { MailCapture } from '../../simulation/mail-capture';
import { cancelSignal, type ActivityResult } from '../../workflows/shared';
import {
  calendar,
  countBy,
  interruptBurst,
  kickoffReceipts,
  planDueNow,
  recordedInLedger,
  startWorker,
  startWorkerStack,
  type TemporalProcess,
  type WorkerEnv,
  type WorkerStack,
} from '../helpers/processes';

let temporal: TemporalProcess;
let mail: MailCapture;
let env: WorkerEnv;
let stack: WorkerStack | undefined;

beforeAll(async () => {
  stack = await startWorkerStack('stop', 'fallas-sigterm');
  ({ temporal, mail, env } = stack);
});

afterAll(async () => {
  await stack?.close();
});

describe('a worker process stopped with SIGTERM', () => {
  it('stopped after the 10th of 50 kickoffs: it finishes what it was sending, exits with code 0, and a restarted worker sends the rest, each exactly once', async () => {
    const plan = planDueNow({ id: 'fallas-sigterm', count: 50 });
    const first = await startWorker(env);
    const exit = await interruptBurst({ client: temporal.client, plan, taskQueue: env.taskQueue, mail, after: 10, worker: first, how: 'stop' });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(first.logs.map((l) => l.msg)).toContain('worker stopped');
    expect(mail.messages.length).toBeLessThan(50);
    // A clean stop leaves nothing the SMTP server accepted unrecorded in the sent-ledger.
    expect(await recordedInLedger(env)).toEqual(new Set(mail.messages.map((m) => m.messageId)));

    await startWorker(env);
    const receipts = await kickoffReceipts(temporal.client, plan);

    const received = countBy(mail.messages.map((m) => m.messageId));
    expect([...received].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(receipts).size).toBe(50);
    expect([...received.keys()].sort()).toEqual([...receipts].sort());
  }, 180_000);

  it('a cancellation signalled while no worker runs is mailed to the area once a worker is back', async () => {
    const small = planDueNow({ id: 'fallas-sigterm-cancel', count: 1 });
    const running = await startWorker(env);
    await startPlan(temporal.client, small, calendar, { taskQueue: env.taskQueue, searchAttributes: true });
    await kickoffReceipts(temporal.client, small);
    expect(await running.stop()).toEqual({ code: 0, signal: null });
    const handle = temporal.client.workflow.getHandle(`${small.id}/1`);
    await handle.signal(cancelSignal, { reason: 'La actividad se retira del plan.' });

    await startWorker(env);
    const result = (await handle.result()) as ActivityResult;
    expect(result.status).toBe('cancelled');
    // The workflow completes only after the cancellation's mail went out.
    const cancelled = result.sent.find((n) => n.kind === 'cancelled');
    const received = mail.messages.filter((m) => m.messageId === cancelled?.messageId);
    expect(received).toHaveLength(1);
    expect(received[0]?.to).toEqual(['vivienda@entidad.gov.co']);
    expect(received[0]?.cc).toEqual(['planeacion@entidad.gov.co']);
    expect(received[0]?.text).toContain('La actividad se retira del plan.');
  }, 180_000);
});
