/**
 * What the status-with-a-deadline tests share (test/client, test/web, test/cli): the Temporal dev
 * server with plazos's search attributes, a real SMTP capture, and the production workflows and
 * activities in a worker that a test can stop, so the same workflows are read first with a worker
 * and then without one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { workflowCode } from '../../workers/workflow-code';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { eventually as poll } from '../helpers/eventually';
import { startDevServer } from '../helpers/temporal';
import { testWorkerDeps } from '../helpers/worker-deps';

export interface StatusStack {
  env: TestWorkflowEnvironment;
  mail: MailCapture;
  taskQueue: string;
  dataDir: string;
  /** Shuts the worker down and waits until it has stopped polling; the workflows stay open on the server. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStatusStack(taskQueue: string): Promise<StatusStack> {
  const env = await startDevServer({ searchAttributes: Object.values(SEARCH_ATTRIBUTES) });
  const mail = await startMailCapture();
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-status-'));
  const deps = testWorkerDeps(mail.url, dataDir);
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, ...workflowCode(), activities: createActivities(deps) });
  let running: Promise<void> | null = worker.run();
  const stopWorker = async () => {
    if (!running) return;
    worker.shutdown();
    await running;
    running = null;
  };
  return {
    env,
    mail,
    taskQueue,
    dataDir,
    stopWorker,
    async stop() {
      await stopWorker();
      deps.close();
      await Promise.all([env.teardown(), mail.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The workflow is past its kickoff (a status other than "scheduled" in its search attributes) and
 * sleeps: no workflow task and no activity in flight, so stopping the worker leaves its state, and
 * its index, as they are. Returns that status.
 */
/** Polls every 100 ms, at most 30 s, until `read()` gives what `ok` accepts; asserts nothing about time. */
export function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  return poll(read, ok, what, { timeoutMs: 30_000 });
}

export async function settled(client: Client, workflowId: string): Promise<string> {
  const d = await eventually(
    () => client.workflow.getHandle(workflowId).describe(),
    (d) => {
      const status = d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status);
      return !!status && status !== 'scheduled' && !d.raw.pendingWorkflowTask && (d.raw.pendingActivities?.length ?? 0) === 0;
    },
    `${workflowId} at rest past its kickoff`,
  );
  return d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status) as string;
}
