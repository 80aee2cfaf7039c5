/**
 * The mail relay the OAuth sending tests go through: Debian's Postfix, with its own configuration,
 * queue and log in a temp dir, run in the foreground (`postfix start-fg`) so the test owns it.
 *
 * It is set up as an entity's mail server in front of Microsoft 365-like rules:
 *   - submission on a loopback port, STARTTLS required before AUTH (self-signed certificate);
 *   - AUTH checked by Dovecot (`smtpd_sasl_type = dovecot`), so XOAUTH2 tokens go through the
 *     test Dovecot's oauth2 passdb and thus the authorization server;
 *   - only authenticated clients may send, and only as the mailbox they logged in as
 *     (`reject_sender_login_mismatch`, as Microsoft 365's "Send As");
 *   - an inbound listener (what the MX would be) that takes mail for the entity's domain from
 *     anyone, and relays nothing: where an area's reply comes in;
 *   - everything for the domain is delivered into Dovecot over LMTP. The reply mailbox and its
 *     `+tag`s stay the reply mailbox; every other address of the domain (the areas) lands in one
 *     `notices` mailbox, which the tests read over IMAP.
 *
 * Postfix needs root to start (its master drops each daemon to the `postfix` user); tests run as
 * root in CI and in the dev container.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { dovecotInstalled, dovecotLmtpInstalled, selfSignedCert } from './imap';
import { closedPort } from './smtp';

const POSTFIX = '/usr/sbin/postfix';
const HOST = '127.0.0.1';

export interface TestPostfix {
  readonly host: string;
  /** Submission: STARTTLS, then AUTH (through Dovecot), then mail as the logged-in mailbox only. */
  readonly submissionPort: number;
  /** Inbound (the MX's role): mail for the domain from anyone, no AUTH, no relaying. */
  readonly inboundPort: number;
  /** The relay's self-signed certificate (PEM), for a client that verifies it. */
  readonly ca: string;
  /** Postfix's own log (maillog_file), for a failure's diagnosis. */
  readonly logFile: string;
  /** The log so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface PostfixOptions {
  /** The entity's domain: mail to it is delivered into Dovecot. */
  domain: string;
  /** The Dovecot the relay checks logins with and delivers to (startImapServer with `mta`). */
  dovecot: { lmtpSocket: string; authSocket: string };
  /** The reply mailbox's local part (a Dovecot user): its mail and its `+tag`s go to it. */
  replyUser: string;
  /** The Dovecot user that receives every other address of the domain. */
  noticesUser: string;
  /** Sender address → the login allowed to use it (smtpd_sender_login_maps). */
  senders: Record<string, string>;
}

/** True when Debian's postfix package is installed (`node scripts/setup.mjs --tests` installs it as root). */
export function postfixInstalled(): boolean {
  return existsSync(POSTFIX);
}

/**
 * Whether the Postfix tests run here. They need root (Postfix starts as root). As root with apt-get
 * (CI: `node scripts/setup.mjs --tests` installs the packages there) they run even when a package is
 * missing, and fail saying which: a set-up that lost it must show. Elsewhere they are skipped.
 */
export function postfixTestsRun(): boolean {
  if (process.env.CI === 'true') return true;
  if (userInfo().uid !== 0) return false;
  return (postfixInstalled() && dovecotInstalled() && dovecotLmtpInstalled()) || existsSync('/usr/bin/apt-get');
}

function mainCf(dir: string, o: PostfixOptions, tls: { cert: string; key: string }): string {
  const domain = o.domain.replace(/\./g, '\\.');
  writeFileSync(
    join(dir, 'etc', 'virtual-aliases'),
    // Anything but the reply mailbox (with or without a tag) is one of the areas.
    `!/^${o.replyUser}(\\+[^@]*)?@${domain}$/ ${o.noticesUser}@${o.domain}\n`,
  );
  writeFileSync(
    join(dir, 'etc', 'sender-logins'),
    Object.entries(o.senders)
      .map(([address, login]) => `${address} ${login}\n`)
      .join(''),
  );
  return `compatibility_level = 3.6
queue_directory = ${dir}/spool
data_directory = ${dir}/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = ${dir}
maillog_file = ${dir}/postfix.log
inet_interfaces = ${HOST}
inet_protocols = ipv4
myhostname = smtp.${o.domain}
mydestination =
mynetworks = ${HOST}/32
# No DNS here: Postfix must not look up the client or the domains.
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
disable_dns_lookups = yes
virtual_mailbox_domains = ${o.domain}
# The aliases only route the domain's own addresses; the domain is not an alias-only one.
virtual_alias_domains =
virtual_alias_maps = regexp:${dir}/etc/virtual-aliases
alias_maps =
alias_database =
virtual_transport = lmtp:unix:${o.dovecot.lmtpSocket}
# Dovecot says which users exist when it is handed the mail; Postfix has no list of them.
smtpd_reject_unlisted_recipient = no
recipient_delimiter = +
smtpd_tls_cert_file = ${tls.cert}
smtpd_tls_key_file = ${tls.key}
smtpd_sasl_type = dovecot
smtpd_sasl_path = ${o.dovecot.authSocket}
smtpd_sender_login_maps = hash:${dir}/etc/sender-logins
# The inbound listener's rules (master.cf gives submission its own): the domain's mail only.
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = reject_unauth_destination
# A relay closes connections left idle, as Microsoft 365 does; the pool must log in again.
smtpd_timeout = 8s
`;
}

function masterCf(submissionPort: number, inboundPort: number): string {
  // No chroot: the queue is a temp dir, not /var/spool/postfix with its copies of /etc.
  return `${HOST}:${inboundPort} inet n - n - - smtpd
  -o smtpd_sasl_auth_enable=no
${HOST}:${submissionPort} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export async function startPostfix(options: PostfixOptions): Promise<TestPostfix> {
  if (!postfixInstalled()) throw new Error('Falta Postfix: instálelo con `sudo apt-get install postfix` o `node scripts/setup.mjs --tests`.');
  if (userInfo().uid !== 0) throw new Error('Postfix se arranca como root (su master pasa cada proceso al usuario postfix).');
  const dir = mkdtempSync(join(tmpdir(), 'plazos-postfix-'));
  // The daemons run as `postfix` and work from the queue directory inside.
  chmodSync(dir, 0o755);
  for (const sub of ['etc', 'spool', 'data']) mkdirSync(join(dir, sub));
  const postfixUid = Number(spawnSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).stdout.trim());
  chownSync(join(dir, 'data'), postfixUid, -1);
  const [submissionPort, inboundPort] = [await closedPort(), await closedPort()];
  const logFile = join(dir, 'postfix.log');
  const etc = join(dir, 'etc');
  const tls = selfSignedCert(dir);
  writeFileSync(join(etc, 'main.cf'), mainCf(dir, options, tls));
  writeFileSync(join(etc, 'master.cf'), masterCf(submissionPort, inboundPort));
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const postmap = spawnSync('postmap', ['-c', etc, `hash:${join(etc, 'sender-logins')}`], { encoding: 'utf8' });
  if (postmap.status !== 0) throw new Error(`postmap falló: ${postmap.stderr}`);

  const child: ChildProcess = spawn(POSTFIX, ['-c', etc, 'start-fg'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  async function halt(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      // `stop` lets the master end its daemons; start-fg's process then exits.
      spawnSync(POSTFIX, ['-c', etc, 'stop'], { stdio: 'ignore' });
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 10_000)))]);
      clearTimeout(timer);
      if (!stopped) {
        spawnSync(POSTFIX, ['-c', etc, 'abort'], { stdio: 'ignore' });
        child.kill('SIGKILL');
      }
    }
  }

  const deadline = Date.now() + 20_000;
  for (;;) {
    // On a failed start the temp dir stays, with the configuration and the log the message names.
    if (child.exitCode !== null) throw new Error(`postfix start-fg terminó (${child.exitCode}); registro: ${logFile}\n${output}`);
    if ((await listening(submissionPort)) && (await listening(inboundPort))) break;
    if (Date.now() > deadline) {
      await halt();
      throw new Error(`Postfix no escuchó en ${HOST}:${submissionPort}; registro: ${logFile}\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: HOST,
    submissionPort,
    inboundPort,
    ca: readFileSync(tls.cert, 'utf8'),
    logFile,
    log,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
