/**
 * The plazos worker: runs the activity workflows and their activities against a Temporal server.
 * Configured by environment (see README); stops cleanly on SIGINT/SIGTERM, finishing the
 * activities in flight.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { createLogger } from '../config/logger';
import { loadOrCreateSecret, secretFilePath } from '../activities/email/link-secret';
import { parseEnv, webBaseUrl, type Env } from '../config/schema';
import { connectionOptions } from './connection';
import { buildDeps } from './deps';
import { workflowCode } from './workflow-code';

const TEMPORAL_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

/** Temporal's own runtime logs go through pino, so one stream holds everything. */
export function bridgeRuntimeLogs(logger: Logger, level: string): void {
  const temporalLevel = TEMPORAL_LEVELS[level] ?? 'INFO';
  Runtime.install({
    logger: new DefaultLogger(temporalLevel, (entry) => {
      const method =
        entry.level === 'TRACE' ? 'trace' : entry.level === 'DEBUG' ? 'debug' : entry.level === 'WARN' ? 'warn' : entry.level === 'ERROR' ? 'error' : 'info';
      logger[method]({ ...entry.meta, component: 'temporal' }, entry.message);
    }),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: temporalLevel === 'TRACE' ? 'DEBUG' : 'WARN' }), forward: {} } },
  });
}

export async function createWorker(env: Env & { dataDir: string }, logger: Logger): Promise<{ worker: Worker; close(): Promise<void> }> {
  const areasPath = resolveAreasPath(env.PLAZOS_AREAS);
  const { areas, errors } = loadAreasFile(areasPath);
  if (!areas || errors.length > 0)
    throw new Error(`Directorio de áreas inválido (${areasPath}):\n${errors.map((e) => `  línea ${e.line ?? '?'}: ${e.message}`).join('\n')}`);
  const deps = buildDeps({
    smtpUrl: env.PLAZOS_SMTP_URL ?? 'smtp://127.0.0.1:1025',
    from: env.PLAZOS_MAIL_FROM,
    dataDir: env.dataDir,
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
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.PLAZOS_TASK_QUEUE,
    ...code,
    activities: createActivities(deps),
    // A year-long workflow spends its life asleep; the cache bounds memory, evicted workflows replay on wake.
    maxCachedWorkflows: env.PLAZOS_MAX_CACHED_WORKFLOWS,
  });
  return {
    worker,
    close: async () => {
      deps.close();
      await connection.close();
    },
  };
}

async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL);
  bridgeRuntimeLogs(logger, env.LOG_LEVEL);
  const started = await createWorker(env, logger);
  logger.info({ taskQueue: env.PLAZOS_TASK_QUEUE, namespace: env.TEMPORAL_NAMESPACE }, 'worker started');
  try {
    await started.worker.run();
  } finally {
    await started.close();
    logger.info('worker stopped');
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
