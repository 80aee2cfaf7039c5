/**
 * The dev server (the CLI's, with plazos's search attributes), a real SMTP capture, an evidence
 * server, and the production worker (workers/main.ts's createWorker, from the environment as
 * production reads it) in this process: the stack of tests that check what a deployed worker does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import { parseEnv } from '../../config/schema';
import { startEvidenceServer, type EvidenceServer } from '../../simulation/evidence-server';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { createWorker } from '../../workers/main';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { startDevServer } from './temporal';

export interface ProductionWorkerStack {
  env: TestWorkflowEnvironment;
  mail: MailCapture;
  evidence: EvidenceServer;
  worker: Worker;
  /** What createWorker returned, for its connection and identity. */
  created: Awaited<ReturnType<typeof createWorker>>;
  dataDir: string;
  taskQueue: string;
  /** Stops the worker and every server, and removes the data directory. */
  close(): Promise<void>;
}

export async function startProductionWorker(taskQueue: string): Promise<ProductionWorkerStack> {
  const [env, mail, evidence] = await Promise.all([
    startDevServer({ searchAttributes: Object.values(SEARCH_ATTRIBUTES) }),
    startMailCapture(),
    startEvidenceServer(),
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), `${taskQueue}-`));
  const config = parseEnv({
    TEMPORAL_ADDRESS: env.address,
    PLAZOS_SMTP_URL: mail.url,
    PLAZOS_DATA_DIR: dataDir,
    PLAZOS_TASK_QUEUE: taskQueue,
    PLAZOS_EVIDENCE_ALLOW_PRIVATE: 'true',
  });
  const created = await createWorker(config, pino({ level: 'silent' }));
  const running = created.worker.run();
  return {
    env,
    mail,
    evidence,
    worker: created.worker,
    created,
    dataDir,
    taskQueue,
    async close() {
      created.worker.shutdown();
      await running;
      await created.close();
      await Promise.all([env.teardown(), mail.close(), evidence.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
