import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer, startTimeSkippingServer } from '../helpers/temporal';
import { hello, helloAfterAWeek } from './fixtures/hello-workflow';

function helloWorker(env: TestWorkflowEnvironment, taskQueue: string): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/hello-workflow'),
    activities: { greet: async (name: string) => Promise.resolve(`hola, ${name}`) },
  });
}

describe('the real Temporal servers, started from the binaries unpacked by setup', () => {
  it('the time-skipping test server runs a workflow that sleeps a week, in moments', async () => {
    const env = await startTimeSkippingServer();
    try {
      const worker = await helloWorker(env, 'smoke-time-skipping');
      const before = await env.currentTimeMs();
      const result = await worker.runUntil(
        env.client.workflow.execute(helloAfterAWeek, { args: ['OAPLA'], taskQueue: 'smoke-time-skipping', workflowId: 'smoke-ts' }),
      );
      expect(result).toBe('hola, OAPLA');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
    } finally {
      await env.teardown();
    }
  });

  it('the dev server runs a workflow to completion and keeps its history', async () => {
    const env = await startDevServer();
    try {
      const worker = await helloWorker(env, 'smoke-dev');
      const handle = await env.client.workflow.start(hello, { args: ['ARCOM'], taskQueue: 'smoke-dev', workflowId: 'smoke-dev' });
      await expect(worker.runUntil(handle.result())).resolves.toBe('hola, ARCOM');
      const history = await handle.fetchHistory();
      expect(history.events?.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    } finally {
      await env.teardown();
    }
  });
});
