/**
 * Sending one message at most once as far as plazos can tell: ask the sent-ledger, build and send
 * the message, map an SMTP failure to what Temporal should do, record the receipt. The notices and
 * the weekly digest both go out through here.
 */
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { allAreas, areasFor, type Recipients } from './recipients';
import type { SentLedger } from './sent-ledger';
import { toActivityFailure } from './smtp-failures';
import type { SendReceipt } from './types';

export interface SendOnceDeps {
  transport: Pick<Transporter, 'sendMail'>;
  ledger: SentLedger;
}

export interface Outgoing {
  recipients: Recipients;
  mail: SendMailOptions;
}

/**
 * `build` runs only when the ledger has no record of the key (it may throw a non-retryable failure
 * for an input that can never be sent).
 */
export interface SendKey {
  idempotencyKey: string;
  kind: string;
  messageId: string;
  /** How the logs name the message: 'Notice', 'Digest'. */
  label: string;
}

export async function sendOnce(deps: SendOnceDeps, key: SendKey, log: Logger, build: () => Outgoing): Promise<SendReceipt> {
  const previous = await deps.ledger.find(key.idempotencyKey);
  if (previous) {
    log.info(`${key.label} already sent; not sending it again`);
    return { ...previous, duplicate: true };
  }
  const { recipients, mail } = build();
  let info: { accepted?: string[]; rejected?: string[] };
  try {
    info = await deps.transport.sendMail({ ...mail, messageId: key.messageId });
  } catch (error) {
    const failure = toActivityFailure(error, {
      idempotencyKey: key.idempotencyKey,
      kind: key.kind,
      areasFor: (addresses) => areasFor(addresses, recipients),
      allAreas: allAreas(recipients),
    });
    log.warn({ failure: failure.type, nonRetryable: failure.nonRetryable, details: failure.details }, `${key.label} not sent`);
    throw failure;
  }
  const record = {
    idempotencyKey: key.idempotencyKey,
    messageId: key.messageId,
    accepted: areasFor(info.accepted ?? [], recipients),
    rejected: areasFor(info.rejected ?? [], recipients),
  };
  try {
    await deps.ledger.record(record);
  } catch (error) {
    // The mail is out. Failing now would make Temporal retry and send it again, so report success.
    log.error({ err: error }, `${key.label} sent but not recorded in the sent-ledger; a retry would send it again`);
  }
  log.info({ accepted: record.accepted, rejected: record.rejected }, record.rejected.length ? `${key.label} sent; some areas refused it` : `${key.label} sent`);
  return { ...record, duplicate: false };
}
