/**
 * The IMAP server the mailbox tests read from: Debian's Dovecot (`dovecot-imapd`), started
 * unprivileged with its own configuration in a temp dir: users from a passwd-file, maildir in the
 * temp dir, IMAPS only (a throwaway self-signed certificate, so the TLS path is what is tested), on
 * 127.0.0.1 and a free port. Run as root (a container), it drops to `nobody`, as Dovecot's login
 * processes refuse to run as root.
 *
 * Messages arrive by IMAP APPEND (`deliver`), as an MTA would leave them in the mailbox, or, with
 * the `mta` option, from a real MTA (test/helpers/postfix.ts) over LMTP.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { ImapFlow } from 'imapflow';
import { closedPort } from './smtp';

const DOVECOT = '/usr/sbin/dovecot';
const DOVECOT_LMTP = '/usr/lib/dovecot/lmtp';
const HOST = '127.0.0.1';

export interface TestImapServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The self-signed certificate (PEM) clients must trust: TLS is verified, not switched off. */
  readonly ca: string;
  /** Puts a raw RFC 5322 message into `mailbox` (INBOX by default), as delivery would. */
  deliver(raw: string | Buffer, mailbox?: string): Promise<void>;
  /** Message-IDs (or subjects when missing) of what `mailbox` of `user` (the reply mailbox by default) holds now. */
  list(mailbox: string, user?: string): Promise<string[]>;
  /**
   * With the `mta` option: the unix sockets an MTA delivers to (LMTP) and asks to check its
   * clients' logins at (Dovecot SASL, the passdbs IMAP uses, XOAUTH2 included).
   */
  readonly mta?: { lmtpSocket: string; authSocket: string };
  /** The SASL mechanism of each successful login so far, from Dovecot's log (`PLAIN`, `XOAUTH2`). */
  loginMethods(): string[];
  /** Empties INBOX and the folders plazos files replies into. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Fails, not skips, when Dovecot is missing: `node scripts/setup.mjs --tests` installs it. */
export function dovecotInstalled(): boolean {
  return existsSync(DOVECOT);
}

/** Dovecot's LMTP server (`dovecot-lmtpd`), which the `mta` option needs. */
export function dovecotLmtpInstalled(): boolean {
  return existsSync(DOVECOT_LMTP);
}

function runAs(): { uid: number; gid: number; name: string; group: string } {
  const me = userInfo();
  if (me.uid !== 0) {
    const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
    return { uid: me.uid, gid: me.gid, name: me.username, group };
  }
  const uid = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  const group = spawnSync('id', ['-gn', 'nobody'], { encoding: 'utf8' }).stdout.trim();
  return { uid, gid, name: 'nobody', group };
}

/** A throwaway certificate for 127.0.0.1 and localhost, as PEM files in `dir`. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make the test certificate: ${made.stderr}`);
  return { cert, key };
}

export interface ImapServerOptions {
  /** false: the server does not offer IDLE after login, so clients fall back to polling. */
  idle?: boolean;
  /**
   * Also accept SASL XOAUTH2, the one token mechanism Microsoft 365 offers (imapflow would pick
   * OAUTHBEARER when offered, so it is not): Dovecot's oauth2 passdb asks the authorization
   * server about each token (RFC 7662 introspection, POST, as the given client) and lets in a
   * token that is active and whose `usernameAttribute` equals the login name.
   */
  oauth2?: { introspectionUrl: string; clientId: string; clientSecret: string; usernameAttribute: string };
  /**
   * Also serve an MTA, as Postfix uses Dovecot in a mail server: LMTP delivery and the auth service
   * on unix sockets anyone may connect to (the MTA runs as its own user), and `users`, more
   * mailboxes with the same password, for the mail that is not for the reply mailbox. Delivery
   * looks the user up by the local part, so `respuestas@entidad.gov.co` (and its `+tag`s) is `respuestas`.
   */
  mta?: { users: string[] };
}

function config(dir: string, port: number, who: ReturnType<typeof runAs>, tls: { cert: string; key: string }, options: ImapServerOptions): string {
  // Dovecot's own list after login, less IDLE, when a test wants a server without it.
  const capability =
    options.idle === false
      ? 'imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE'
      : '';
  return `${capability}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap${options.mta ? ' lmtp' : ''}
listen = ${HOST}
ssl = required
ssl_cert = <${tls.cert}
ssl_key = <${tls.key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login${options.oauth2 ? ' xoauth2' : ''}
${options.oauth2 ? '# The refusal tests need no brute-force brake.\nauth_failure_delay = 0\n' : ''}default_internal_user = ${who.name}
default_internal_group = ${who.group}
default_login_user = ${who.name}
first_valid_uid = 0
mail_location = maildir:${dir}/mail/%n
${
  options.oauth2
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = ${dir}/dovecot-oauth2.conf.ext
}
`
    : ''
}passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%n ${dir}/passwd
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  chroot =
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = ${HOST}
    port = ${port}
    ssl = yes
  }
}
service anvil {
  chroot =
}
${
  options.mta
    ? `service lmtp {
  unix_listener lmtp-mta {
    mode = 0666
  }
}
service auth {
  unix_listener auth-mta {
    mode = 0666
  }
}
`
    : ''
}service stats {
  unix_listener stats-reader {
    user = ${who.name}
  }
  unix_listener stats-writer {
    user = ${who.name}
  }
}
`;
}

function oauth2Config(o: NonNullable<ImapServerOptions['oauth2']>): string {
  const url = new URL(o.introspectionUrl);
  url.username = encodeURIComponent(o.clientId);
  url.password = encodeURIComponent(o.clientSecret);
  return `introspection_mode = post
introspection_url = ${url.href}
username_attribute = ${o.usernameAttribute}
active_attribute = active
active_value = true
`;
}

async function waitForTls(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}); see ${logFile}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = tlsConnect({ host: HOST, port, rejectUnauthorized: false }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${HOST}:${port}; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startImapServer(options: ImapServerOptions = {}): Promise<TestImapServer> {
  if (!dovecotInstalled())
    throw new Error('Falta Dovecot (dovecot-imapd): instálelo con `sudo apt-get install dovecot-imapd` o `node scripts/setup.mjs --tests`.');
  if (options.mta && !dovecotLmtpInstalled())
    throw new Error(
      'Falta el servidor LMTP de Dovecot (dovecot-lmtpd): instálelo con `sudo apt-get install dovecot-lmtpd` o `node scripts/setup.mjs --tests`.',
    );
  const who = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'plazos-imap-'));
  const user = 'respuestas';
  const password = `clave-${Math.random().toString(36).slice(2)}`;
  const tls = selfSignedCert(dir);
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  const users = [user, ...(options.mta?.users ?? [])];
  writeFileSync(join(dir, 'passwd'), users.map((u) => `${u}:{PLAIN}${password}:${who.uid}:${who.gid}::${dir}/mail/${u}\n`).join(''));
  const port = await closedPort();
  const configFile = join(dir, 'dovecot.conf');
  writeFileSync(configFile, config(dir, port, who, tls, options));
  if (options.oauth2) writeFileSync(join(dir, 'dovecot-oauth2.conf.ext'), oauth2Config(options.oauth2));
  if (who.uid !== userInfo().uid) {
    const chownAll = (path: string) => {
      chownSync(path, who.uid, who.gid);
      if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownAll(join(path, entry));
    };
    chownAll(dir);
  }
  // The MTA's processes run as its own user and must reach the sockets in run/.
  if (options.mta) for (const path of [dir, join(dir, 'run')]) chmodSync(path, 0o711);
  const logFile = join(dir, 'dovecot.log');
  const child = spawn(DOVECOT, ['-F', '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForTls(port, child, logFile);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`, { cause: err });
  }
  const ca = readFileSync(tls.cert, 'utf8');

  async function session<T>(work: (client: ImapFlow) => Promise<T>, as = user): Promise<T> {
    const client = new ImapFlow({
      host: HOST,
      port,
      secure: true,
      auth: { user: as, pass: password },
      tls: { ca: [ca], servername: 'localhost' },
      logger: false,
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout();
    }
  }

  return {
    host: HOST,
    port,
    user,
    password,
    ca,
    ...(options.mta ? { mta: { lmtpSocket: join(dir, 'run', 'lmtp-mta'), authSocket: join(dir, 'run', 'auth-mta') } } : {}),
    loginMethods: () => [...readFileSync(logFile, 'utf8').matchAll(/imap-login: (?:Info: )?Login: .*?method=([A-Z0-9-]+)/g)].map((m) => m[1]!),
    deliver: (raw, mailbox = 'INBOX') =>
      session(async (c) => {
        await c.append(mailbox, raw);
      }),
    list: (mailbox, as = user) =>
      session(async (c) => {
        const exists = (await c.list()).some((m) => m.path === mailbox);
        if (!exists) return [];
        const lock = await c.getMailboxLock(mailbox);
        try {
          const out: string[] = [];
          for await (const m of c.fetch('1:*', { envelope: true })) out.push(m.envelope?.messageId ?? m.envelope?.subject ?? '');
          return out;
        } catch {
          return [];
        } finally {
          lock.release();
        }
      }, as),
    reset: () =>
      session(async (c) => {
        for (const m of await c.list()) {
          if (m.path === 'INBOX') {
            const lock = await c.getMailboxLock('INBOX');
            try {
              if ((c.mailbox && c.mailbox.exists) || 0) await c.messageDelete('1:*');
            } finally {
              lock.release();
            }
          } else {
            await c.mailboxDelete(m.path);
          }
        }
      }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
