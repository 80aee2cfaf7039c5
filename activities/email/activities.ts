/**
 * The e-mail activity: `sendNotice` renders a notice, sends it once, and says what happened in
 * area codes. Temporal runs an activity at least once; the sent-ledger and the deterministic
 * Message-ID make a retry after a crash harmless (see README.md for the window that remains).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { AreasDirectory } from '../../plans/areas';
import { composeNotice } from './compose';
import { NoticeEmailInputSchema } from './input-schema';
import { noticeWorkflowId, withEvidenceLink, type LinkConfig } from './links';
import { messageIdFor, senderDomain } from './message-id';
import { resolveRecipients, unknownAreas } from './recipients';
import { whileHeartbeating } from '../heartbeat';
import { sendOnce } from './send-once';
import type { UnsentNotices } from '../../store/records';
import type { SentLedger } from './sent-ledger';
import type { Templates } from './templates';
import type { NoticeEmailInput, NoticeKind, SendReceipt } from './types';
import { noticeIdOf, replyAddress, replyKey } from './reply-token';
import type { ReplyRegistry } from './reply-registry';

export interface EmailDeps {
  /** A nodemailer transporter; pooled SMTP in production. */
  transport: Pick<Transporter, 'sendMail'>;
  /** Where a notice that cannot go out yet is listed (send-once.ts); the digest reads it back. */
  unsent?: UnsentNotices;
  templates: Templates;
  ledger: SentLedger;
  areas: AreasDirectory;
  /** The sender, e.g. `Plazos <plazos@entidad.gov.co>`; its domain names every Message-ID. */
  from: string;
  logger: Logger;
  /** When set, kickoff, reminder, due and escalation notices carry a signed evidence link (see links.ts). */
  links?: LinkConfig;
  /**
   * When plazos reads a reply mailbox (mailbox/): the notices an area may answer with its
   * deliverable carry a signed Reply-To, and what each was about is kept in `registry`.
   */
  replies?: ReplyConfig;
}

export interface ReplyConfig {
  /** The mailbox plazos reads, e.g. `respuestas@entidad.gov.co`. */
  mailbox: string;
  /** The link secret (link-secret.ts); the reply tags are signed with a key derived from it. */
  secret: Buffer;
  registry: ReplyRegistry;
}

/** The notices that ask an area for its deliverable, or tell it why it was refused: an answer may carry it. */
export const KINDS_ACCEPTING_REPLIES: readonly NoticeKind[] = ['kickoff', 'reminder', 'due', 'escalation', 'rejected'];

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

export function createEmailActivities(deps: EmailDeps): EmailActivities {
  const domain = senderDomain(deps.from);
  const compose = { templates: deps.templates, areas: deps.areas, from: deps.from, domain };
  // Two attempts of one notice in this process (a retry while the first still hangs) share one send.
  const inFlight = new Map<string, Promise<SendReceipt>>();

  const replies = deps.replies && { ...deps.replies, key: replyKey(deps.replies.secret) };

  /**
   * The Reply-To of a notice an area may answer, after its registry record is durable: a reply that
   * arrives finds what it answers. Written on every attempt (same content), before the ledger is asked.
   */
  async function replyToFor(input: NoticeEmailInput, messageId: string): Promise<string | undefined> {
    const area = input.activity.responsible[0];
    if (!replies || !area || !KINDS_ACCEPTING_REPLIES.includes(input.kind)) return undefined;
    const noticeId = noticeIdOf(messageId, domain)!;
    await replies.registry.remember({
      noticeId,
      kind: input.kind,
      workflowId: noticeWorkflowId(input),
      area,
      owner: input.plan.owner ?? 'OAPLA',
      locale: input.locale,
      plan: { id: input.plan.id, title: input.plan.title },
      activity: { number: input.activity.number, title: input.activity.title },
      period: input.period,
    });
    return replyAddress(replies.mailbox, noticeId, replies.key);
  }

  async function send(input: NoticeEmailInput): Promise<SendReceipt> {
    const messageId = messageIdFor(input.idempotencyKey, domain);
    const log = deps.logger.child({ idempotencyKey: input.idempotencyKey, kind: input.kind, messageId });
    const replyTo = await replyToFor(input, messageId);
    return sendOnce(
      deps,
      {
        idempotencyKey: input.idempotencyKey,
        kind: input.kind,
        messageId,
        label: 'Notice',
        waiting: { workflowId: noticeWorkflowId(input), planId: input.plan.id },
      },
      log,
      () => {
        checkAreasKnown(input, deps.areas);
        const recipients = resolveRecipients(input.to, input.cc, deps.areas);
        return { recipients, mail: composeNotice(input, recipients, messageId, compose, replyTo) };
      },
    );
  }

  return {
    async sendNotice(raw) {
      // The link is added after the input left history, so the history never holds a credential.
      const input = withEvidenceLink(parseInput(raw), deps.links);
      const running = inFlight.get(input.idempotencyKey);
      if (running) return { ...(await running), duplicate: true };
      const attempt = send(input);
      inFlight.set(input.idempotencyKey, attempt);
      try {
        return await whileHeartbeating(attempt);
      } finally {
        inFlight.delete(input.idempotencyKey);
      }
    },
  };
}
