/**
 * The whole engine in one process on Temporal's time-skipping test server: the real workflows,
 * the real activities, a real SMTP server receiving the mail and a web server publishing evidence.
 * `plazos plan simulate` runs a plan's year on it; the workflow tests use it too.
 *
 * The test server's clock starts at the present and only moves forward, so a plan whose year began
 * in the past runs with a clock offset (see workflows/clock.ts): "plan time" is server time plus the
 * offset, fixed when the plan's workflows start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import { createActivities } from '../activities';
import type { AreasDirectory } from '../plans/areas';
import { testServerPath } from '../config/tools';
import { createLocalBlobStore } from '../store/blobs';
import { openRecords } from '../store/records';
import { buildDeps } from '../workers/deps';
import { workflowCode } from '../workers/workflow-code';
import { startEvidenceServer, type EvidenceServer } from './evidence-server';
import { startMailCapture, type MailCapture } from './mail-capture';

export interface Engine {
  env: TestWorkflowEnvironment;
  mail: MailCapture;
  evidence: EvidenceServer;
  taskQueue: string;
  dataDir: string;
  /** Server time now, in epoch ms. */
  serverNow(): Promise<number>;
  /** Moves the test server's clock forward by `ms` (workflows whose timers fall inside it run). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface EngineOptions {
  areas: AreasDirectory;
  logger?: Logger;
  taskQueue?: string;
  from?: string;
  /** Tests wrap the real activities, e.g. to fail after a real send as a crashed worker would. */
  wrapActivities?: (activities: ReturnType<typeof createActivities>) => ReturnType<typeof createActivities>;
}

export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const dataDir = mkdtempSync(join(tmpdir(), 'plazos-sim-'));
  const [env, mail, evidence] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } }),
    startMailCapture(),
    startEvidenceServer(),
  ]);
  const blobs = createLocalBlobStore({ dir: join(dataDir, 'blobs'), logger });
  const records = await openRecords({ dataDir });
  const deps = buildDeps({ smtpUrl: mail.url, from: opts.from ?? 'Plazos <plazos@entidad.gov.co>', blobs, records, areas: opts.areas, logger });
  // Evidence links point at the local evidence server: exempt exactly its address, nothing else.
  deps.limits = { ...deps.limits, allowedAddresses: [evidence.host] };
  const taskQueue = opts.taskQueue ?? 'plazos-simulation';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    ...workflowCode(),
    activities: (opts.wrapActivities ?? ((a) => a))(createActivities(deps)),
  });
  const running = worker.run();

  return {
    env,
    mail,
    evidence,
    taskQueue,
    dataDir,
    serverNow: () => env.currentTimeMs(),
    advance: (ms) => env.sleep(ms),
    async close() {
      worker.shutdown();
      await running;
      deps.close();
      await Promise.all([env.teardown(), mail.close(), evidence.close(), records.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
