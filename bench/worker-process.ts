/** The parent's side of bench/worker-child.ts: start it, ask its status, stop it. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ChildStatus } from './worker-child';

export interface WorkerOptions {
  mode: 'plazos' | 'trivial';
  address: string;
  taskQueue: string;
  dataDir: string;
  smtpUrl?: string;
  maxCachedWorkflows: number;
  /**
   * Where plazos's records are, as production says it (PLAZOS_DATABASE_URL and its password file):
   * `{}` for SQLite in the data dir whatever this process's environment says; absent, the
   * environment's settings pass through.
   */
  records?: { url?: string; passwordFile?: string };
}

export interface WorkerProcess {
  pid: number;
  status(): Promise<ChildStatus>;
  stop(): Promise<void>;
  /** SIGKILL: nothing is flushed or finished (the soak run's crash); resolves once the process has exited. */
  kill(): Promise<void>;
}

export async function spawnWorker(opts: WorkerOptions): Promise<WorkerProcess> {
  const child: ChildProcess = fork(join(__dirname, 'worker-child.js'), [opts.mode], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: opts.address,
      TEMPORAL_NAMESPACE: 'default',
      PLAZOS_TASK_QUEUE: opts.taskQueue,
      PLAZOS_DATA_DIR: opts.dataDir,
      PLAZOS_SMTP_URL: opts.smtpUrl ?? 'smtp://127.0.0.1:1',
      PLAZOS_MAX_CACHED_WORKFLOWS: String(opts.maxCachedWorkflows),
      // An undefined value leaves the variable out of the child's environment.
      ...(opts.records ? { PLAZOS_DATABASE_URL: opts.records.url, PLAZOS_DATABASE_PASSWORD_FILE: opts.records.passwordFile } : {}),
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench worker exited before it was ready (code ${code})`)));
    child.on('message', (msg: { type: string }) => {
      if (msg.type === 'ready') resolve();
    });
  });
  return {
    pid: child.pid as number,
    status: () =>
      new Promise((resolve) => {
        const onMessage = (msg: { type: string; status: ChildStatus }) => {
          if (msg.type !== 'status') return;
          child.off('message', onMessage);
          resolve(msg.status);
        };
        child.on('message', onMessage);
        child.send({ type: 'status' });
      }),
    async stop() {
      // A worker killed by a signal has an exit signal and no exit code, and no IPC channel left.
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
