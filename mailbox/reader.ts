/**
 * Reads the reply mailbox over IMAP (imapflow) for as long as the process runs: everything in
 * INBOX at connection, then whatever arrives, told by IDLE, or by imapflow's polling fallback on a
 * server without IDLE, and in any case by a full look every `pollMs`. Each message is handed to
 * `handle` and moved to the processed or refused folder only after `handle` returned, so a message
 * leaves the inbox only once its workflow took it (or it was answered). A lost connection, a
 * server restart or a failing `handle` leave the message where it is; the reader reconnects.
 *
 * TLS always: `imaps://` (direct TLS) or `imap://` with STARTTLS required; a server that offers
 * neither is refused before the password is sent. The password is never logged (imapflow's own
 * logger is off; ours logs codes).
 */
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Logger } from 'pino';
import type { Folder } from './processed-ledger';

export interface ImapSettings {
  host: string;
  port: number;
  /** true: TLS from the first byte (imaps, 993); false: STARTTLS, required (imap, 143). */
  secure: boolean;
  user: string;
  /**
   * How the reader proves it may read the mailbox: a password, or an OAuth 2.0 access token sent
   * with SASL XOAUTH2 (Microsoft 365 and Google refuse passwords). `renew` asks for a fresh token
   * after the server refused the last one.
   */
  login: { password: string } | { accessToken(renew: boolean): Promise<string> };
  /** Extra certificate authorities (PEM) for a server with its own CA. */
  ca?: string;
  servername?: string;
}

export interface ReaderOptions {
  imap: ImapSettings;
  folders: Record<Folder, string>;
  /** A full look at INBOX at least this often, whatever IDLE says. */
  pollMs: number;
  /** Messages over this size are not downloaded: `handle` gets their headers only, with `tooLarge`. */
  maxMessageBytes: number;
  handle(raw: Buffer, options: { tooLarge: boolean }): Promise<{ folder: Folder }>;
  logger: Logger;
  /** Wait before reconnecting after a failure. */
  retryMs?: number;
}

export interface MailboxReader {
  /** Resolves after the next full look at INBOX has finished (tests wait on it). */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

/** `accessToken`: the token to log in with, when `s.login` is by token. */
export function imapOptions(s: ImapSettings, accessToken?: string): ImapFlowOptions {
  return {
    host: s.host,
    port: s.port,
    secure: s.secure,
    doSTARTTLS: s.secure ? undefined : true,
    servername: s.servername,
    auth: 'password' in s.login ? { user: s.user, pass: s.login.password } : { user: s.user, accessToken },
    tls: { ...(s.ca ? { ca: [s.ca] } : {}), minVersion: 'TLSv1.2' },
    logger: false,
    // Restart IDLE now and then: some servers and NATs drop a connection idle for 30 minutes.
    maxIdleTime: 5 * 60_000,
    missingIdleCommand: 'NOOP',
    connectionTimeout: 30_000,
    // The reader holds INBOX for the whole session on purpose.
    maxLockHoldTime: false,
  };
}

export function startMailboxReader(opts: ReaderOptions): MailboxReader {
  let stopped = false;
  let client: ImapFlow | null = null;
  let renewToken = false;
  let wake: (() => void) | null = null;
  // A waiter is released by the first full look that starts after it asked.
  let generation = 0;
  let waiters: Array<{ after: number; resolve: () => void }> = [];
  const log = opts.logger.child({ component: 'mailbox' });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function ensureFolders(c: ImapFlow): Promise<void> {
    const existing = new Set((await c.list()).map((m) => m.path));
    for (const path of Object.values(opts.folders)) if (!existing.has(path)) await c.mailboxCreate(path);
  }

  async function drain(c: ImapFlow): Promise<void> {
    // SEARCH answers on the session's view of the mailbox; NOOP makes the server bring it up to
    // date first (Dovecot leaves a message appended by another session out of it until then).
    await c.noop();
    const uids = (await c.search({ all: true }, { uid: true })) || [];
    for (const uid of uids) {
      if (stopped) return;
      const meta = await c.fetchOne(String(uid), { size: true }, { uid: true });
      if (!meta) continue;
      const tooLarge = (meta.size ?? 0) > opts.maxMessageBytes;
      const full = await c.fetchOne(String(uid), tooLarge ? { headers: true } : { source: true }, { uid: true });
      const raw = tooLarge ? full && full.headers : full && full.source;
      if (!raw) continue;
      let folder: Folder;
      try {
        ({ folder } = await opts.handle(raw, { tooLarge }));
      } catch (err) {
        // Left in INBOX for the next look (Temporal or SMTP down, most often); the messages after
        // it are not held up behind it. Repeating the hand-over is harmless (handle.ts).
        const e = err as Error & { code?: string };
        log.warn({ uid, code: e.code ?? e.name }, 'reply not handled; it stays in the inbox for the next look');
        if (!c.usable) throw err;
        continue;
      }
      await c.messageMove(String(uid), opts.folders[folder], { uid: true });
    }
  }

  async function session(): Promise<void> {
    const { login } = opts.imap;
    const token = 'accessToken' in login ? await login.accessToken(renewToken) : undefined;
    renewToken = false;
    const c = new ImapFlow(imapOptions(opts.imap, token));
    client = c;
    c.on('error', (err: Error & { code?: string }) => log.warn({ code: err.code ?? err.name }, 'IMAP connection error'));
    await c.connect();
    if (!c.secureConnection) throw new Error('El servidor IMAP no ofrece TLS; no se envía la clave.');
    await ensureFolders(c);
    const lock = await c.getMailboxLock('INBOX');
    try {
      c.on('exists', () => wake?.());
      log.info({ idle: c.capabilities.has('IDLE') }, 'reading the reply mailbox');
      while (!stopped && c.usable) {
        const current = ++generation;
        await drain(c);
        const finished = waiters.filter((w) => w.after <= current);
        waiters = waiters.filter((w) => w.after > current);
        finished.forEach((w) => w.resolve());
        if (stopped) break;
        await sleep(opts.pollMs);
      }
    } finally {
      lock.release();
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await session();
      } catch (err) {
        const e = err as Error & { code?: string; authenticationFailed?: boolean };
        // A token the server refused (revoked, or expired early) is not offered again.
        if (e.authenticationFailed) renewToken = true;
        if (!stopped)
          log.warn(
            { code: e.code ?? e.name, authenticationFailed: e.authenticationFailed, message: e.authenticationFailed ? undefined : e.message },
            'reply mailbox: will retry',
          );
      } finally {
        const c = client as ImapFlow | null;
        client = null;
        if (c?.usable) await c.logout().catch(() => c.close());
        else c?.close();
      }
      if (!stopped) await sleep(opts.retryMs ?? 10_000);
    }
  })();

  return {
    drained: () =>
      new Promise<void>((resolve) => {
        waiters.push({ after: generation + 1, resolve });
        wake?.();
      }),
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      waiters.forEach((w) => w.resolve());
    },
  };
}
