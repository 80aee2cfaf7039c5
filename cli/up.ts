/**
 * `plazos up [--demo]`: the whole stack on one machine, in one process tree. The Temporal dev
 * server on a SQLite file in the data directory (unless a server already answers at
 * TEMPORAL_ADDRESS), a mail catcher with a web inbox (unless PLAZOS_SMTP_URL is set), and the
 * worker. Ctrl-C or SIGTERM stops everything cleanly; running it again resumes every workflow.
 * With --demo it also starts the example plan placed so that today falls mid-plan, moves a few of
 * its activities on (client/demo.ts), and prints a sign-in for OAPLA's dashboard.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { DemoSignIn } from './demo-sign-in';
import { createLogger } from '../config/logger';
import { REPO_ROOT } from '../config/paths';
import { makePrivateDir, usePrivateUmask } from '../config/private-files';
import { ConfigError, parseEnv, type Env } from '../config/schema';
import type { BlobStore } from '../store/blobs';
import { openStores, type Stores } from '../store/open';
import { isListening, startDevServer, type DevServer } from '../workers/dev-server';
import { CliError, EXIT } from '../domain/errors';
import { cliLocale, t } from './i18n';

export const DEMO_PLAN = join(REPO_ROOT, 'plans', 'examples', 'plan-participacion-ciudadana-2023.txt');

function hostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The mail catcher (maildev) in a child process of its own: it keeps mail in the data directory. */
async function startInbox(config: Env & { dataDir: string }): Promise<{ smtpUrl: string; webUrl: string; child: ChildProcess }> {
  const host = '127.0.0.1';
  for (const port of [config.PLAZOS_INBOX_SMTP_PORT, config.PLAZOS_INBOX_PORT]) {
    if (await isListening(host, port)) throw new CliError(t().upPortInUse(port), EXIT.usage);
  }
  const mailDir = join(config.dataDir, 'mail');
  // maildev writes each message as an .eml file with its own modes: the umask set in upCommand makes them 0600.
  makePrivateDir(mailDir);
  const bin = require.resolve('maildev/bin/maildev');
  const child = spawn(
    process.execPath,
    [bin, '--ip', host, '--smtp', String(config.PLAZOS_INBOX_SMTP_PORT), '--web', String(config.PLAZOS_INBOX_PORT), '--mail-directory', mailDir, '--silent'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && !(await isListening(host, config.PLAZOS_INBOX_SMTP_PORT)); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await isListening(host, config.PLAZOS_INBOX_SMTP_PORT))) throw new CliError(t().upInboxFailed, EXIT.usage);
  return { smtpUrl: `smtp://${host}:${config.PLAZOS_INBOX_SMTP_PORT}`, webUrl: `http://${host}:${config.PLAZOS_INBOX_PORT}`, child };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startDemo(config: Env & { dataDir: string }, blobs: BlobStore, signIn: DemoSignIn, webUrl: string): Promise<string> {
  const [
    { loadPlan },
    { connectClient },
    { startPlan },
    { ensureDigestSchedule },
    { ensureCutSchedule, cutPlanRef, runCutNow },
    { demoPlan, driveDemo, demoCounts },
    { createEvidenceStore },
    { STATUS_LABELS },
  ] = await Promise.all([
    import('./load'),
    import('../client/connect'),
    import('../client/start-plan'),
    import('../client/digest-schedule'),
    import('../client/cut-schedule'),
    import('../client/demo'),
    import('../activities/evidence'),
    import('../domain/labels'),
  ]);
  const loaded = await loadPlan(DEMO_PLAN, {});
  if (!loaded.plan) throw new CliError(t().upExampleUnreadable, EXIT.usage);
  const today = DateTime.now().setZone(loaded.plan.timezone).toISODate() as string;
  const plan = demoPlan(loaded.plan, today, loaded.calendar);
  const connected = await connectClient(config);
  try {
    const outcomes = await startPlan(connected.client, plan, loaded.calendar, {
      taskQueue: config.PLAZOS_TASK_QUEUE,
      searchAttributes: true,
      locale: config.PLAZOS_LOCALE,
      kickoffNow: true,
    });
    const digest = await ensureDigestSchedule(connected.client, plan, loaded.calendar, {
      taskQueue: config.PLAZOS_TASK_QUEUE,
      locale: config.PLAZOS_LOCALE,
      today,
    });
    const cuts = await ensureCutSchedule(connected.client, plan, loaded.calendar, { taskQueue: config.PLAZOS_TASK_QUEUE, locale: config.PLAZOS_LOCALE });
    const started = outcomes.filter((o) => o.result === 'started').length;
    const m = t();
    const lines = [m.demoStarted(plan.title, plan.id, today, started, outcomes.length - started)];
    try {
      const deps = { client: connected.client, store: createEvidenceStore(blobs), today, calendar: loaded.calendar };
      await driveDemo(plan, deps);
      const counts = await demoCounts(connected.client, plan);
      const labels: Record<string, string> = STATUS_LABELS[cliLocale()];
      lines.push(
        m.demoStates(
          [...counts.entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([status, n]) => `${n} ${labels[status] ?? status}`)
            .join(', '),
        ),
      );
      // Today is one of the demo plan's cuts (client/demo.ts): its report is taken, kept and mailed now.
      const cut = await runCutNow(connected.client, cutPlanRef(plan), today, { taskQueue: config.PLAZOS_TASK_QUEUE, locale: config.PLAZOS_LOCALE }).catch(
        (err: unknown) => {
          if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return null;
          throw err;
        },
      );
      if (cut) lines.push(m.demoCut(cut.cut, cut.rows, `${webUrl}/planes/${plan.id}/cortes`));
    } catch (err) {
      lines.push(m.demoIncomplete((err as Error).message));
    }
    lines.push(m.demoDigest(plan.owner, digest.result === 'created', digest.scheduleId));
    lines.push(
      m.cutsScheduled(
        cuts.result === 'created',
        cuts.cuts.map((c) => c.cut),
        cuts.scheduleId,
      ),
    );
    lines.push(m.demoSignIn(`${webUrl}/planes/${plan.id}`, signIn.username, signIn.password, join(config.dataDir, 'demo-oapla.json')));
    return lines.join('\n');
  } finally {
    await connected.close();
  }
}

export async function upCommand(opts: { demo?: boolean }): Promise<number> {
  let config: Env & { dataDir: string };
  try {
    config = parseEnv();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  // Before anything is created: the dev server and maildev inherit the umask (config/private-files.ts).
  usePrivateUmask();
  makePrivateDir(config.dataDir);
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, { pretty: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  // One set of stores for the worker, the web app and the demo; a database or bucket that cannot be
  // reached stops `up` before anything has started.
  let stores: Stores;
  try {
    stores = await openStores(config, logger);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  stops.push(() => stores.close());
  const { blobs } = stores;

  // Listening for good, not once: a second Ctrl-C while stopping would otherwise end this process
  // at once and leave the Temporal dev server and the mail inbox running on their own.
  // A signal during start-up is kept and acted on once everything started has a stop to run.
  let stopSignal: (() => void) | null = null;
  let signalled = false;
  const onSignal = () => {
    signalled = true;
    stopSignal?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { host, port } = hostPort(config.TEMPORAL_ADDRESS);
    let server: DevServer | null = null;
    if (await isListening(host, port)) {
      say(t().upTemporalExisting(config.TEMPORAL_ADDRESS));
    } else {
      const dbFile = join(config.dataDir, 'temporal.db');
      server = await startDevServer({ host, port, dbFile, uiPort: config.TEMPORAL_UI_PORT });
      stops.push(() => server!.stop());
      say(t().upTemporal(server.address, dbFile));
      if (server.uiUrl) say(t().upTemporalUi(server.uiUrl));
    }

    let smtpUrl = config.PLAZOS_SMTP_URL;
    if (!smtpUrl) {
      const inbox = await startInbox(config);
      stops.push(() => stopChild(inbox.child));
      smtpUrl = inbox.smtpUrl;
      say(t().upMail(inbox.smtpUrl, inbox.webUrl));
    } else {
      say(t().upMailConfigured);
    }

    const { createWorker, bridgeRuntimeLogs } = await import('../workers/main');
    bridgeRuntimeLogs(logger, config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
    const created = await createWorker({ ...config, PLAZOS_SMTP_URL: smtpUrl }, logger, stores);
    const { worker } = created;
    const running = worker.run();
    stops.push(async () => {
      // The worker also stops by itself on SIGINT/SIGTERM; shut it down only if it still runs.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await created.close();
    });
    say(t().upWorker(config.PLAZOS_TASK_QUEUE, config.TEMPORAL_NAMESPACE));

    if (await isListening('127.0.0.1', config.PORT)) throw new CliError(t().upWebPortInUse(config.PORT), EXIT.usage);
    const { startWeb } = await import('../web/main');
    const signIn = opts.demo ? (await import('./demo-sign-in')).demoSignIn(config.dataDir) : null;
    const web = await startWeb(config, '127.0.0.1', { extraUsersFiles: signIn ? [signIn.usersFile] : [], logger: logger.child({ component: 'web' }), stores });
    stops.push(() => web.close());
    say(t().upWeb(web.url));

    if (signIn) say(await startDemo({ ...config, PLAZOS_SMTP_URL: smtpUrl }, blobs, signIn, web.url));
    say(t().upReady);

    await new Promise<void>((resolve, reject) => {
      stopSignal = resolve;
      if (signalled) resolve();
      running.catch(reject);
    });
    say(t().upStopping);
    return EXIT.ok;
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
