/**
 * Sending one message at most once as far as plazos can tell: ask the sent-ledger, build and send
 * the message, map an SMTP failure to what Temporal should do, record the receipt. The notices and
 * the weekly digest both go out through here.
 */
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { UnsentNotices } from '../../store/records';
import { currentContext } from '../heartbeat';
import { describeMailFailure } from './mail-failures';
import { allAreas, areasFor, type Recipients } from './recipients';
import type { SentLedger } from './sent-ledger';
import { toActivityFailure } from './smtp-failures';
import type { SendReceipt } from './types';

export interface SendOnceDeps {
  transport: Pick<Transporter, 'sendMail'>;
  ledger: SentLedger;
  /**
   * Where a message that could not go out yet is listed, with why, until it does: Temporal retries
   * it for days and the workflow waiting on it cannot tell anyone. Status, the pages, the digest
   * and /health read it.
   */
  unsent?: Pick<UnsentNotices, 'failed' | 'cleared'>;
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
  /** The workflow waiting on this message and its plan: a failure is listed under them (SendOnceDeps.unsent). */
  waiting?: { workflowId: string; planId: string };
}

/**
 * Keeps the unsent list true; a store that fails here only costs a log line, never the notice.
 * A first attempt that went out was never listed, so it skips the write: a burst of thousands of
 * notices adds no work to the store.
 */
async function keepUnsentList(deps: SendOnceDeps, key: SendKey, log: Logger, failure: { retryable: boolean; error: unknown } | null): Promise<void> {
  if (!deps.unsent || !key.waiting) return;
  try {
    if (failure?.retryable) {
      const { code, es, fix } = describeMailFailure(failure.error);
      await deps.unsent.failed({ idempotencyKey: key.idempotencyKey, ...key.waiting, kind: key.kind, code, reason: es, fix }, Date.now());
    } else if (failure) {
      // Refused for good: the workflow reports that itself.
      await deps.unsent.cleared(key.idempotencyKey, 'refused', Date.now());
    } else if (currentContext()?.info.attempt !== 1) {
      await deps.unsent.cleared(key.idempotencyKey, 'sent', Date.now());
    }
  } catch (err) {
    log.warn({ err }, `${key.label}: the list of unsent notices could not be updated`);
  }
}

export async function sendOnce(deps: SendOnceDeps, key: SendKey, log: Logger, build: () => Outgoing): Promise<SendReceipt> {
  const previous = await deps.ledger.find(key.idempotencyKey);
  if (previous) {
    log.info(`${key.label} already sent; not sending it again`);
    await keepUnsentList(deps, key, log, null);
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
    await keepUnsentList(deps, key, log, { retryable: !failure.nonRetryable, error });
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
  await keepUnsentList(deps, key, log, null);
  log.info({ accepted: record.accepted, rejected: record.rejected }, record.rejected.length ? `${key.label} sent; some areas refused it` : `${key.label} sent`);
  return { ...record, duplicate: false };
}
