/**
 * The plazos worker: runs the activity workflows and their activities against a Temporal server.
 * Configured by environment (see README); stops cleanly on SIGINT/SIGTERM, finishing the
 * activities in flight.
 */
import { hostname } from 'node:os';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { createLogger } from '../config/logger';
import { loadOrCreateSecret, secretFilePath } from '../activities/email/link-secret';
import { DEFAULT_SMTP_URL } from '../activities/email/transport';
import { parseEnv, webBaseUrl, type Env } from '../config/schema';
import { openStores, type Stores } from '../store/open';
import { connectionOptions } from '../config/temporal-connection';
import { mailTokens, smtpOAuthLogin } from '../activities/email/mail-login';
import { buildDeps } from './deps';
import { reportsStuckRun, watchLiveness } from './liveness';
import { workflowCode } from './workflow-code';
import { usePrivateUmask } from '../config/private-files';

const TEMPORAL_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

/**
 * Temporal's own runtime logs go through pino, so one stream holds everything. `onStuckRun` hears
 * the SDK core's reports that a workflow run is stuck in this worker (see workers/liveness.ts).
 */
export function bridgeRuntimeLogs(logger: Logger, level: string, onStuckRun?: (report: string) => void): void {
  const temporalLevel = TEMPORAL_LEVELS[level] ?? 'INFO';
  Runtime.install({
    logger: new DefaultLogger(temporalLevel, (entry) => {
      if (onStuckRun && reportsStuckRun(entry.message)) onStuckRun(entry.message);
      const method =
        entry.level === 'TRACE' ? 'trace' : entry.level === 'DEBUG' ? 'debug' : entry.level === 'WARN' ? 'warn' : entry.level === 'ERROR' ? 'error' : 'info';
      logger[method]({ ...entry.meta, component: 'temporal' }, entry.message);
    }),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: temporalLevel === 'TRACE' ? 'DEBUG' : 'WARN' }), forward: {} } },
  });
}

/** `shared`: the stores already opened (`plazos up` shares them); otherwise opened from env and closed with the worker. */
export async function createWorker(
  env: Env & { dataDir: string },
  logger: Logger,
  shared?: Stores,
): Promise<{ worker: Worker; connection: NativeConnection; identity: string; close(): Promise<void> }> {
  const areasPath = resolveAreasPath(env.PLAZOS_AREAS);
  const { areas, errors } = loadAreasFile(areasPath);
  if (!areas || errors.length > 0)
    throw new Error(`Directorio de áreas inválido (${areasPath}):\n${errors.map((e) => `  línea ${e.line ?? '?'}: ${e.message}`).join('\n')}`);
  const stores = shared ?? (await openStores(env, logger));
  const deps = buildDeps({
    smtpUrl: env.PLAZOS_SMTP_URL ?? DEFAULT_SMTP_URL,
    smtpOAuth: smtpOAuthLogin(env, mailTokens(env, logger)),
    from: env.PLAZOS_MAIL_FROM,
    blobs: stores.blobs,
    records: stores.records,
    areas,
    logger,
    allowPrivateEvidence: env.PLAZOS_EVIDENCE_ALLOW_PRIVATE,
    // The web app reads the same key file to check the links the mail carries.
    links: { baseUrl: webBaseUrl(env), secret: loadOrCreateSecret(secretFilePath(env)) },
    // The mailbox reader (workers/mailbox.ts) checks the Reply-To tags with a key from the same file.
    replyMailbox: env.PLAZOS_REPLY_MAILBOX,
  });
  const connection = await NativeConnection.connect(connectionOptions(env));
  const code = workflowCode();
  // Bundling at start means tsc ran after the last `npm run build` (see workers/workflow-code.ts).
  logger.info({ workflowCode: code.workflowBundle ? 'prebuilt' : 'bundled at start' }, 'workflow code loaded');
  // The SDK's default identity; named here because the liveness watch looks itself up by it.
  const identity = `${process.pid}@${hostname()}`;
  const worker = await Worker.create({
    connection,
    identity,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.PLAZOS_TASK_QUEUE,
    ...code,
    activities: createActivities(deps),
    // A year-long workflow spends its life asleep; the cache bounds memory, evicted workflows replay on wake.
    maxCachedWorkflows: env.PLAZOS_MAX_CACHED_WORKFLOWS,
  });
  return {
    worker,
    connection,
    identity,
    close: async () => {
      deps.close();
      await connection.close();
      if (!shared) await stores.close();
    },
  };
}

/**
 * One line of the worker's own counters every `seconds`: a worker that has stopped taking workflow
 * tasks while its process stays up shows it here (its in-flight activations and cache stop moving)
 * long before anyone notices notices not going out.
 */
export function reportHealth(worker: Worker, logger: Logger, seconds: number): NodeJS.Timeout | undefined {
  if (seconds <= 0) return undefined;
  const timer = setInterval(() => {
    const s = worker.getStatus();
    logger.info(
      {
        runState: s.runState,
        workflowPoller: s.workflowPollerState,
        activityPoller: s.activityPollerState,
        workflowActivations: s.numInFlightWorkflowActivations,
        activities: s.numInFlightActivities,
        cachedWorkflows: s.numCachedWorkflows,
      },
      'worker health',
    );
  }, seconds * 1000);
  timer.unref();
  return timer;
}

async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL);
  let stuck: string | undefined;
  // The core may report before the worker exists (the runtime is installed first).
  const running: { worker?: Worker } = {};
  bridgeRuntimeLogs(logger, env.LOG_LEVEL, (report) => {
    if (stuck !== undefined) return;
    stuck = report;
    logger.fatal({ report }, 'a workflow run is stuck in this worker (Temporal SDK core); shutting down for the supervisor to start a fresh worker');
    running.worker?.shutdown();
    // A stuck run can hold the shutdown too: past the grace Docker gives (60 s), end the process.
    setTimeout(() => process.exit(1), 50_000).unref();
  });
  const started = await createWorker(env, logger);
  running.worker = started.worker;
  logger.info({ taskQueue: env.PLAZOS_TASK_QUEUE, namespace: env.TEMPORAL_NAMESPACE }, 'worker started');
  const health = reportHealth(started.worker, logger, env.PLAZOS_HEALTH_LOG_SECONDS);
  const liveness = watchLiveness({
    connection: started.connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.PLAZOS_TASK_QUEUE,
    identity: started.identity,
    logger,
    staleSeconds: env.PLAZOS_WORKER_STALL_SECONDS,
  });
  try {
    await started.worker.run();
  } finally {
    clearInterval(health);
    clearInterval(liveness);
    await started.close();
    logger.info('worker stopped');
    // Stopped because a run was stuck, not because it was asked to: the supervisor must start it again.
    if (stuck !== undefined) process.exitCode = 1;
  }
}

if (require.main === module) {
  // Run on its own (the container's command): what it writes is the plazos user's alone.
  usePrivateUmask();
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
