/**
 * A real SMTP server on loopback that keeps what it receives, parsed: the simulation's inbox, and
 * the server every test sends to (test/helpers/smtp.ts is a view of it). Recipients can be told
 * to answer 4xx or 5xx, to test delivery failures.
 *
 * Each message is parsed and stored BEFORE the server answers 250 to DATA, so once `sendMail`
 * resolves the message is already in `messages`: nobody waits on a timer.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream } from 'smtp-server';

export interface CapturedMail {
  messageId: string;
  subject: string;
  from: string;
  /** Envelope recipients, as the server accepted them. */
  envelopeTo: string[];
  to: string[];
  cc: string[];
  text: string;
  html: string;
  attachments: { filename?: string; contentType: string; content: Buffer }[];
  headers: Map<string, unknown>;
  receivedAt: number;
  /**
   * When the client began the message (DATA): what a crashed client had handed over by the time it
   * died, even if the server finished reading and parsing it later (the kernel delivers what the
   * dead process had written).
   */
  dataStartedAt: number;
  /** The envelope sender (MAIL FROM), the message as sent, and as mailparser reads it. */
  envelopeFrom: string | null;
  raw: Buffer;
  parsed: ParsedMail;
}

export interface MailCapture {
  readonly port: number;
  readonly url: string;
  readonly messages: CapturedMail[];
  /** Answer RCPT TO for this address with a code (e.g. 450 or 550) until cleared. */
  refuse(address: string, code: number, text?: string): void;
  clearRefusals(): void;
  /** Forget the messages received and the refusals. */
  reset(): void;
  /** Resolves when at least `count` messages have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
  close(): Promise<void>;
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function addresses(field: ParsedMail['to']): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

export async function startMailCapture(options: { port?: number; host?: string } = {}): Promise<MailCapture> {
  const messages: CapturedMail[] = [];
  const refusals = new Map<string, { code: number; text: string }>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const notify = () => {
    for (const w of [...waiters]) {
      if (messages.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 25 * 1024 * 1024,
    disableReverseLookup: true,
    closeTimeout: 1000,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = refusals.get(address.address.toLowerCase());
      callback(refusal ? Object.assign(new Error(refusal.text), { responseCode: refusal.code }) : null);
    },
    onData(stream, session, callback) {
      const dataStartedAt = Date.now();
      readAll(stream)
        .then(async (raw) => {
          const mail = await simpleParser(raw);
          messages.push({
            messageId: mail.messageId ?? '',
            subject: mail.subject ?? '',
            from: mail.from?.value[0]?.address ?? '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            to: addresses(mail.to),
            cc: addresses(mail.cc),
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
            headers: mail.headers,
            receivedAt: Date.now(),
            dataStartedAt,
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            raw,
            parsed: mail,
          });
          notify();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  // A client that dies mid-session (a worker SIGKILLed with pooled connections open) makes the
  // server emit 'error' (ECONNRESET); the listen listener above fires once only, and an 'error'
  // with no listener would crash this process. Such a session simply ends.
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';

  return {
    port,
    url: `smtp://${host}:${port}`,
    messages,
    refuse: (address, code, text) => refusals.set(address.toLowerCase(), { code, text: text ?? `Buzón no disponible (${code})` }),
    clearRefusals: () => refusals.clear(),
    reset() {
      messages.length = 0;
      refusals.clear();
    },
    waitFor(count, timeoutMs = 30_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} messages, got ${messages.length}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(messages)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
