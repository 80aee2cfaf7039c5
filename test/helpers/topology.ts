/**
 * docker-compose.yml's topology without Docker and without a shared disk, for the cluster test:
 * simulation/cluster.ts (PostgreSQL asking for passwords, Temporal's server built from source), a
 * real SMTP capture, a real S3 server (the Versity S3 Gateway, simulation/s3.ts) with one bucket,
 * Dovecot as the reply mailbox (test/helpers/imap.ts), and plazos's own database on the cluster's
 * PostgreSQL with a role and password of its own, as deploy/postgres/plazos-db.sh makes it.
 *
 * `env(name)` is what one plazos process is given, as its container would be: the same stores,
 * link key and mail settings as every other, and an empty data directory of its own. The only
 * files processes share are read-only settings (the link key, the users file, the passwords), as
 * secrets mounted into each container are.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../simulation/cluster';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { startS3Server, type S3Server } from '../../simulation/s3';
import { hashPassword } from '../../web/users';
import { startImapServer, type TestImapServer } from './imap';
import type { WorkerEnv } from './processes';

export interface TopologyOptions {
  taskQueue: string;
  /** OAPLA's users file: username and password. */
  users: Record<string, string>;
  /** PLAZOS_REPLY_MAILBOX of every process. */
  replyMailbox: string;
  /** The public address of the web apps (the proxy in front of them): the links in the mail point there. */
  webUrl: string;
}

export interface Topology {
  readonly cluster: Cluster;
  readonly mail: MailCapture;
  readonly s3: S3Server;
  readonly imap: TestImapServer;
  /** What the processes' "stores ready" line names: the database without credentials, the bucket. */
  readonly records: string;
  readonly blobs: string;
  readonly usersFile: string;
  /** The settings of the plazos process `name`: the shared stores, and `<dir>/hosts/<name>` as its own data directory. */
  env(name: string, extra?: Record<string, string>): WorkerEnv;
  /** The settings only the mailbox reader gets: the IMAP server, its user, and files with its password and CA. */
  imapEnv(): Record<string, string>;
  /** The data directory of each process started so far, by name. */
  dataDirs(): Record<string, string>;
  close(): Promise<void>;
}

/** Starts them all at once; when one fails, `stop` gets those that started, and the failure is thrown. */
async function startAll<T extends Record<string, Promise<unknown>>>(
  starts: T,
  stop: (started: Partial<{ [K in keyof T]: Awaited<T[K]> }>) => Promise<void>,
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const keys = Object.keys(starts) as (keyof T)[];
  const settled = await Promise.allSettled(keys.map((k) => starts[k]));
  const started = Object.fromEntries(
    keys.flatMap((k, i) => (settled[i]!.status === 'fulfilled' ? [[k, (settled[i] as PromiseFulfilledResult<unknown>).value]] : [])),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop(started as Partial<{ [K in keyof T]: Awaited<T[K]> }>);
    throw failed.reason;
  }
  return started as { [K in keyof T]: Awaited<T[K]> };
}

export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const dir = mkdtempSync(join(tmpdir(), 'plazos-topology-'));
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { mode: 0o700 });
  const stop = async (s: Partial<{ cluster: Cluster; mail: MailCapture; s3: S3Server; imap: TestImapServer }>) => {
    await Promise.all([s.mail?.close(), s.s3?.stop(), s.imap?.stop()]);
    await s.cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const { cluster, mail, s3, imap } = await startAll({ cluster: startCluster(), mail: startMailCapture(), s3: startS3Server(), imap: startImapServer() }, stop);

  const secret = (name: string, content: string) => {
    const file = join(secrets, name);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  };
  let shared: Record<string, string>;
  let usersFile: string;
  let imapVars: Record<string, string>;
  try {
    // plazos's database: its own role, signing in with a password from a file, on Temporal's server.
    const password = randomBytes(18).toString('base64url');
    cluster.postgres.createDatabase('plazos', password);
    usersFile = secret(
      'oapla-users.yaml',
      `users:\n${Object.entries(options.users)
        .map(([u, p]) => `  - username: ${u}\n    hash: "${hashPassword(p)}"\n`)
        .join('')}`,
    );
    shared = {
      PLAZOS_DATABASE_URL: cluster.postgres.url('plazos', 'plazos'),
      PLAZOS_DATABASE_PASSWORD_FILE: secret('plazos-db-password', `${password}\n`),
      ...s3.env('plazos'),
      PLAZOS_SECRET_FILE: secret('link.key', `${randomBytes(32).toString('base64')}\n`),
      PLAZOS_WEB_URL: options.webUrl,
      PLAZOS_REPLY_MAILBOX: options.replyMailbox,
    };
    imapVars = {
      PLAZOS_IMAP_URL: `imaps://${imap.host}:${imap.port}`,
      PLAZOS_IMAP_USER: imap.user,
      PLAZOS_IMAP_PASSWORD_FILE: secret('imap-password', `${imap.password}\n`),
      PLAZOS_IMAP_CA_FILE: secret('imap-ca.pem', imap.ca),
      PLAZOS_IMAP_POLL_SECONDS: '10',
    };
  } catch (err) {
    await stop({ cluster, mail, s3, imap });
    throw err;
  }

  const dataDirs: Record<string, string> = {};
  return {
    cluster,
    mail,
    s3,
    imap,
    records: `PostgreSQL ${cluster.postgres.url('plazos', 'plazos')}`,
    blobs: `s3://${s3.bucket}/plazos en ${s3.endpoint}`,
    usersFile,
    env(name, extra = {}) {
      const dataDir = join(dir, 'hosts', name);
      dataDirs[name] = dataDir;
      return { temporalAddress: cluster.address, smtpUrl: mail.url, dataDir, taskQueue: options.taskQueue, extra: { ...shared, ...extra } };
    },
    imapEnv: () => imapVars,
    dataDirs: () => ({ ...dataDirs }),
    close: () => stop({ cluster, mail, s3, imap }),
  };
}
