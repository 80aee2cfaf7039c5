/**
 * Turns what nodemailer throws into what Temporal should do about it.
 *
 * - A permanent SMTP reply (5xx, except 503 "bad sequence", which a new connection can pass) means the
 *   same message would be refused again: `SmtpPermanentFailure`, non-retryable, with the refused
 *   areas' CODES in the details (failures are stored in history, which must not hold addresses).
 * - A transient reply (4xx) and every failure without a reply (connection refused or dropped, timeouts,
 *   TLS, configuration) are retryable: Temporal retries with backoff, and a fixed network or a
 *   corrected SMTP setting lets the notice go out instead of losing it.
 * - Rejected credentials (535), a relay that wants a login, a sender the account may not use: the
 *   worker's configuration, not this message's fault. Retryable too, as `SmtpAuthFailure`, so every
 *   notice goes out once the settings are fixed.
 *
 * The server's reply text is left out on purpose: it often quotes the refused address.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { NodemailerError } from 'nodemailer';
import { asNodemailerError, describeMailFailure, type MailFailureCode } from './mail-failures';

export interface FailureContext {
  idempotencyKey: string;
  kind: string;
  /** Area codes behind the refused addresses. */
  areasFor(addresses: readonly string[]): string[];
  /** Every area the message was addressed to: a refusal of the whole message refuses them all. */
  allAreas: string[];
}

export interface SmtpFailureDetails {
  /** nodemailer's error code: ECONNECTION, ETIMEDOUT, ESOCKET, EENVELOPE, EMESSAGE... */
  code: string | null;
  /** ECONNREFUSED behind an ESOCKET, for instance. */
  originalCode: string | null;
  responseCode: number | null;
  command: string | null;
  /** Area codes refused for good (permanent failures only). */
  rejected: string[];
}

export function isPermanentReply(error: NodemailerError): boolean {
  const code = error.responseCode;
  if (typeof code !== 'number') return false;
  return error.permanent ?? (code >= 500 && code !== 503);
}

function details(error: NodemailerError, rejected: string[]): SmtpFailureDetails {
  return {
    code: typeof error.code === 'string' ? error.code : null,
    originalCode: error.originalCode ?? null,
    responseCode: typeof error.responseCode === 'number' ? error.responseCode : null,
    command: error.command ?? null,
    rejected,
  };
}

/**
 * Refusals of the sender's set-up, not of this message: a 5xx (a relay denying a client that did not
 * log in, a sender the account may not use) is still retried, so that once the settings are fixed
 * every notice goes out instead of being reported to OAPLA as undeliverable.
 */
const SENDER_SETTINGS: ReadonlySet<MailFailureCode> = new Set(['relay-denied', 'send-as-denied', 'basic-auth-disabled', 'smtp-oauth-refused']);

export function toActivityFailure(thrown: unknown, ctx: FailureContext): ApplicationFailure {
  const error = asNodemailerError(thrown);
  const notice = `el aviso ${ctx.kind} (${ctx.idempotencyKey})`;
  // Which setting to fix (the password, the OAuth app, the mailbox granted to it, the sender) is
  // told by the one description of mail refusals; it names settings, never addresses. The message
  // is "inicio de sesión" for every such refusal: a relay wanting a login is one too.
  const described = describeMailFailure(error);
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH' || SENDER_SETTINGS.has(described.code)) {
    return ApplicationFailure.retryable(
      `El servidor de correo no aceptó el inicio de sesión del remitente al enviar ${notice}: ${described.es} ${described.fix} Se reintentará.`,
      'SmtpAuthFailure',
      details(error, []),
    );
  }
  if (isPermanentReply(error)) {
    // Refused recipients are listed when the refusal was per recipient; otherwise the whole message was refused.
    const rejected = error.rejected?.length ? ctx.areasFor(error.rejected) : ctx.allAreas;
    return ApplicationFailure.nonRetryable(
      `El servidor de correo rechazó definitivamente ${notice} para las áreas ${rejected.join(', ')} (respuesta SMTP ${error.responseCode}).`,
      'SmtpPermanentFailure',
      details(error, rejected),
    );
  }
  if (typeof error.responseCode === 'number') {
    return ApplicationFailure.retryable(
      `El servidor de correo aplazó ${notice} (respuesta SMTP ${error.responseCode}); se reintentará.`,
      'SmtpTransientFailure',
      details(error, []),
    );
  }
  const code = error.originalCode ?? error.code ?? 'desconocido';
  return ApplicationFailure.retryable(
    `No se pudo entregar ${notice} al servidor de correo (${code}); se reintentará.`,
    'SmtpConnectionFailure',
    details(error, []),
  );
}
