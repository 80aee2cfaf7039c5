/**
 * A worker in its own process, so its memory is its own: `plazos` runs the real worker
 * (workers/main.ts's createWorker, configured by environment as in production), `trivial` runs
 * the baselines' workflows with the same cache. The parent asks for status over IPC.
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import { parseEnv } from '../config/schema';
import { createWorker } from '../workers/main';
import { createBenchActivities } from './trivial-activities';

export interface ChildStatus {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Memory of C++ objects bound to JS ones (buffers included), outside the V8 heap. */
  external: number;
  inFlightActivations: number;
  inFlightActivities: number;
  cachedWorkflows: number;
}

async function build(mode: string): Promise<{ worker: Worker; close(): Promise<void> }> {
  const env = parseEnv();
  if (mode === 'plazos') return createWorker(env, pino({ level: 'silent' }));
  const { NativeConnection } = await import('@temporalio/worker');
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const { benchMail, close } = createBenchActivities(env.PLAZOS_SMTP_URL ?? 'smtp://127.0.0.1:1');
  const worker = await Worker.create({
    connection,
    taskQueue: env.PLAZOS_TASK_QUEUE,
    workflowsPath: require.resolve('./trivial-workflows'),
    activities: { benchMail },
    maxCachedWorkflows: env.PLAZOS_MAX_CACHED_WORKFLOWS,
  });
  return { worker, close: async () => (close(), await connection.close()) };
}

function status(worker: Worker): ChildStatus {
  const s = worker.getStatus();
  const mem = process.memoryUsage();
  return {
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
    inFlightActivations: s.numInFlightWorkflowActivations,
    inFlightActivities: s.numInFlightActivities,
    cachedWorkflows: s.numCachedWorkflows,
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
  const { worker, close } = await build(process.argv[2] ?? 'plazos');
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'status') process.send?.({ type: 'status', status: status(worker) });
    if (msg.type === 'stop') worker.shutdown();
  });
  const running = worker.run();
  process.send?.({ type: 'ready' });
  await running;
  await close();
  process.disconnect?.();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
