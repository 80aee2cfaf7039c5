/**
 * The SMTP server the e-mail tests send to: the simulation's real capture server
 * (simulation/mail-capture.ts, npm smtp-server on 127.0.0.1 and a free port), seen as the tests
 * read it: envelope, raw bytes and the parsed message. `replyToRecipient` makes it refuse chosen
 * addresses with a 4xx or 5xx reply to RCPT TO.
 */
import { freePort } from '../../simulation/ports';
import type { ParsedMail } from 'mailparser';
import { startMailCapture } from '../../simulation/mail-capture';

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

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const capture = await startMailCapture({ host: HOST });
  const port = capture.port;
  return {
    host: HOST,
    port,
    transportOptions: { host: HOST, port, secure: false, ignoreTLS: true, connectionTimeout: 5000 },
    get messages() {
      return capture.messages.map((m) => ({ envelope: { from: m.envelopeFrom, to: m.envelopeTo }, raw: m.raw, parsed: m.parsed }));
    },
    replyToRecipient(target, code, text) {
      if (code < 400 || code > 599) throw new RangeError(`Expected a 4xx or 5xx reply, got ${code}`);
      capture.refuse(target, code, text ?? (code >= 500 ? 'Mailbox unavailable' : 'Try again later'));
    },
    reset: () => capture.reset(),
    stop: () => capture.close(),
  };
}

/** A loopback port nothing listens on (bound, then released), to test "server down". */
export const closedPort = freePort;
