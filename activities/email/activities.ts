/**
 * The e-mail activity: `sendNotice` renders a notice, sends it once, and says what happened in
 * area codes. Temporal runs an activity at least once; the sent-ledger and the deterministic
 * Message-ID make a retry after a crash harmless (see README.md for the window that remains).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { AreasDirectory } from '../../config/areas';
import { composeNotice } from './compose';
import { NoticeEmailInputSchema } from './input-schema';
import { withEvidenceLink, type LinkConfig } from './links';
import { messageIdFor, senderDomain } from './message-id';
import { allAreas, areasFor, resolveRecipients, unknownAreas, type Recipients } from './recipients';
import type { SentLedger } from './sent-ledger';
import { toActivityFailure } from './smtp-failures';
import type { Templates } from './templates';
import type { NoticeEmailInput, SendReceipt, SentRecord } from './types';

export interface EmailDeps {
  /** A nodemailer transporter; pooled SMTP in production. */
  transport: Pick<Transporter, 'sendMail'>;
  templates: Templates;
  ledger: SentLedger;
  areas: AreasDirectory;
  /** The sender, e.g. `Plazos <plazos@entidad.gov.co>`; its domain names every Message-ID. */
  from: string;
  logger: Logger;
  /** When set, kickoff, reminder, due and escalation notices carry a signed evidence link (see links.ts). */
  links?: LinkConfig;
}

export interface EmailActivities {
  sendNotice(input: NoticeEmailInput): Promise<SendReceipt>;
}

function parseInput(raw: unknown): NoticeEmailInput {
  const result = NoticeEmailInputSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'aviso'}: ${i.message}`);
  // Retrying cannot fix an input recorded in history.
  throw ApplicationFailure.nonRetryable(`El aviso no es válido: ${problems.join('; ')}`, 'InvalidNoticeInput', { problems });
}

function checkAreasKnown(input: NoticeEmailInput, areas: AreasDirectory): void {
  const unknown = unknownAreas([...input.to, ...input.cc], areas);
  if (unknown.length === 0) return;
  throw ApplicationFailure.nonRetryable(
    `Las áreas ${unknown.join(', ')} no están en el directorio de áreas (config/areas.yaml); no se sabe a qué correo enviar el aviso.`,
    'UnknownArea',
    { areas: unknown },
  );
}

function receiptOf(input: NoticeEmailInput, messageId: string, info: { accepted?: string[]; rejected?: string[] }, recipients: Recipients): SentRecord {
  return {
    idempotencyKey: input.idempotencyKey,
    messageId,
    accepted: areasFor(info.accepted ?? [], recipients),
    rejected: areasFor(info.rejected ?? [], recipients),
  };
}

export function createEmailActivities(deps: EmailDeps): EmailActivities {
  const domain = senderDomain(deps.from);
  const compose = { templates: deps.templates, areas: deps.areas, from: deps.from, domain };
  // Two attempts of one notice in this process (a retry while the first still hangs) share one send.
  const inFlight = new Map<string, Promise<SendReceipt>>();

  async function sendOnce(input: NoticeEmailInput): Promise<SendReceipt> {
    const messageId = messageIdFor(input.idempotencyKey, domain);
    const log = deps.logger.child({ idempotencyKey: input.idempotencyKey, kind: input.kind, messageId });
    const previous = await deps.ledger.find(input.idempotencyKey);
    if (previous) {
      log.info('Notice already sent; not sending it again');
      return { ...previous, duplicate: true };
    }
    checkAreasKnown(input, deps.areas);
    const recipients = resolveRecipients(input.to, input.cc, deps.areas);
    const mail = composeNotice(input, recipients, messageId, compose);
    let info: { accepted?: string[]; rejected?: string[] };
    try {
      info = await deps.transport.sendMail(mail);
    } catch (error) {
      const failure = toActivityFailure(error, {
        idempotencyKey: input.idempotencyKey,
        kind: input.kind,
        areasFor: (addresses) => areasFor(addresses, recipients),
        allAreas: allAreas(recipients),
      });
      log.warn({ failure: failure.type, nonRetryable: failure.nonRetryable, details: failure.details }, 'Notice not sent');
      throw failure;
    }
    const record = receiptOf(input, messageId, info, recipients);
    try {
      await deps.ledger.record(record);
    } catch (error) {
      // The mail is out. Failing now would make Temporal retry and send it again, so report success.
      log.error({ err: error }, 'Notice sent but not recorded in the sent-ledger; a retry would send it again');
    }
    log.info({ accepted: record.accepted, rejected: record.rejected }, record.rejected.length ? 'Notice sent; some areas refused it' : 'Notice sent');
    return { ...record, duplicate: false };
  }

  return {
    async sendNotice(raw) {
      // The link is added after the input left history, so the history never holds a credential.
      const input = withEvidenceLink(parseInput(raw), deps.links);
      const running = inFlight.get(input.idempotencyKey);
      if (running) return { ...(await running), duplicate: true };
      const attempt = sendOnce(input);
      inFlight.set(input.idempotencyKey, attempt);
      try {
        return await attempt;
      } finally {
        inFlight.delete(input.idempotencyKey);
      }
    },
  };
}
