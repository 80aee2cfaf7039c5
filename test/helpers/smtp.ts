/**
 * A real SMTP server (npm smtp-server) on 127.0.0.1 and a free port, for tests that send mail.
 *
 * Every message is parsed with mailparser and stored BEFORE the server answers 250 to DATA, so
 * once `sendMail` resolves the message is already in `messages`: tests never wait on a timer.
 * `replyToRecipient` makes the server refuse chosen addresses with a 4xx or 5xx reply to RCPT TO.
 */
import { createServer } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMessage {
  /** The SMTP envelope: who the client said the message is from and for (RCPT TO accepted). */
  envelope: { from: string | null; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  readonly host: string;
  readonly port: number;
  /** Options for `nodemailer.createTransport` pointing at this server (plain SMTP, no TLS). */
  readonly transportOptions: { host: string; port: number; secure: false; ignoreTLS: true; connectionTimeout: number };
  /** Messages received so far, in order. */
  readonly messages: ReceivedMessage[];
  /** From now on, answer RCPT TO for `address` with this 4xx or 5xx reply. */
  replyToRecipient(address: string, code: number, text?: string): void;
  /** Forget the received messages and the configured replies. */
  reset(): void;
  /** Stops listening and closes the connections still open (after one second). */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMessage[] = [];
  const replies = new Map<string, { code: number; text: string }>();

  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    closeTimeout: 1000,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const reply = replies.get(address.address.toLowerCase());
      callback(reply ? smtpError(reply.code, reply.text) : null);
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      readAll(stream)
        .then(async (raw) => {
          const parsed = await simpleParser(raw);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
          messages.push({ envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, raw, parsed });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  // A client that dies mid-session (a worker SIGKILLed with pooled connections open) makes the
  // server emit 'error' (ECONNRESET); the listen listener above fires once only, and an 'error'
  // with no listener would crash this process. Such a session simply ends.
  server.on('error', () => undefined);
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('SMTP test server has no TCP port');
  const port = address.port;

  return {
    host: HOST,
    port,
    transportOptions: { host: HOST, port, secure: false, ignoreTLS: true, connectionTimeout: 5000 },
    messages,
    replyToRecipient(target, code, text) {
      if (code < 400 || code > 599) throw new RangeError(`Expected a 4xx or 5xx reply, got ${code}`);
      replies.set(target.toLowerCase(), { code, text: text ?? (code >= 500 ? 'Mailbox unavailable' : 'Try again later') });
    },
    reset() {
      messages.length = 0;
      replies.clear();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on (bound, then released), to test "server down". */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST, () => resolve()));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('probe server has no TCP port');
  return address.port;
}
