/**
 * A real S3 server for the tests, the cluster test and the bench: the Versity S3 Gateway built by
 * scripts/s3-server.mjs (pinned in config/tools.json), its posix backend over a temp directory,
 * on a free loopback port, with one bucket created through the S3 API. The root credentials reach
 * it through its environment, not its command line, so they do not show in `ps`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../config/paths';
import tools from '../config/tools.json';
import { freePort } from './ports';

const HOST = '127.0.0.1';
const REGION = 'us-east-1';

export function s3ServerPath(): string {
  return join(REPO_ROOT, '.tools', 'bin', `versitygw-${tools.s3Server.version}`, tools.s3Server.binary);
}

export interface S3Server {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  /** A file holding the secret access key, as PLAZOS_S3_SECRET_ACCESS_KEY_FILE expects. */
  readonly secretFile: string;
  /** The settings that point plazos at this bucket (under `prefix`, if given). */
  env(prefix?: string): Record<string, string>;
  /** A client with the root credentials, for what a test does behind the store's back. */
  client(): S3Client;
  /** The last lines the server printed, for a failing test's message. */
  log(): string;
  /** Stops the server and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops the server and removes its data directory if this module made it. */
  stop(): Promise<void>;
}

export interface S3ServerOptions {
  /** Where the server keeps buckets and the secret file; a temp directory, removed on stop, when absent. */
  dir?: string;
  bucket?: string;
}

export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const binary = s3ServerPath();
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run node scripts/s3-server.mjs (npm test's setup does)`);
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'plazos-s3-'));
  const root = join(dir, 'buckets');
  mkdirSync(root, { recursive: true });
  const bucket = options.bucket ?? 'evidencias';
  const accessKeyId = `plazos${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  const secretFile = join(dir, 's3-secret');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  const port = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const log: string[] = [];
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const clients: S3Client[] = [];

  const client = (): S3Client => {
    const c = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey: secret } });
    clients.push(c);
    return c;
  };

  const launch = async (): Promise<void> => {
    const proc = spawn(binary, ['--port', `${HOST}:${port}`, '--quiet', 'posix', root], {
      env: { PATH: process.env.PATH ?? '', ROOT_ACCESS_KEY_ID: accessKeyId, ROOT_SECRET_ACCESS_KEY: secret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (log.length > 200) log.splice(0, log.length - 200);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    child = proc;
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // Up when the bucket answers (or, the first time, when the server answers that it is missing).
    const probe = client();
    for (let i = 0; ; i++) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`versitygw exited while starting:\n${log.slice(-40).join('\n')}`);
      try {
        await probe.send(new HeadBucketCommand({ Bucket: bucket }));
        return;
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) {
          await probe.send(new CreateBucketCommand({ Bucket: bucket }));
          return;
        }
      }
      if (i >= 300) throw new Error(`versitygw did not answer within 30 s:\n${log.slice(-40).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const halt = async (): Promise<void> => {
    const proc = child;
    if (!proc) return;
    child = null;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };

  try {
    await launch();
  } catch (err) {
    await halt();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    endpoint,
    bucket,
    region: REGION,
    accessKeyId,
    secretFile,
    env: (prefix = '') => ({
      PLAZOS_BLOB_STORE: `s3://${bucket}${prefix ? `/${prefix}` : ''}`,
      PLAZOS_S3_ENDPOINT: endpoint,
      PLAZOS_S3_REGION: REGION,
      PLAZOS_S3_ACCESS_KEY_ID: accessKeyId,
      PLAZOS_S3_SECRET_ACCESS_KEY_FILE: secretFile,
      PLAZOS_S3_FORCE_PATH_STYLE: 'true',
    }),
    client,
    log: () => log.slice(-60).join('\n'),
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      for (const c of clients.splice(0)) c.destroy();
      await halt();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
