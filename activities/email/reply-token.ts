/**
 * The address a notice asks to be answered at, when plazos reads a reply mailbox: the mailbox with
 * a plus tag that names the notice and is signed, `respuestas+<id><mac>@entidad.gov.co`.
 *
 *   id:  the 32 hex digits of the notice's Message-ID (sha256 of its idempotency key, message-id.ts)
 *   mac: the first 8 bytes of HMAC-SHA256(replyKey, id), 16 hex digits
 *
 * Hex because mail systems may lower-case a local part; 48 characters because RFC 5321 allows 64
 * for the whole local part (so the mailbox's own local part may have at most 15). The tag names a
 * notice, not a workflow: what the notice was about (workflow, area, plan lead) is in the reply
 * registry (reply-registry.ts), which the worker writes before sending.
 *
 * Pure: no clock and no I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const ID = /^[0-9a-f]{32}$/;
const TAG = /^([0-9a-f]{32})([0-9a-f]{16})$/;
/** Local part of the mailbox, before the tag: 64 - 1 ('+') - 48. */
export const MAX_MAILBOX_LOCAL_PART = 15;

/** A key of its own, derived from the link secret, so a reply tag can never pass for a link token. */
export function replyKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('plazos-reply/tag').digest();
}

function mac(key: Buffer, id: string): string {
  return createHmac('sha256', key).update(id).digest('hex').slice(0, 16);
}

/** The id of a notice in its Message-ID `<hex32@domain>`, or null for any other shape. */
export function noticeIdOf(messageId: string, domain: string): string | null {
  const m = /^<?([0-9a-f]{32})@([^>\s]+)>?$/i.exec(messageId.trim());
  return m && m[2]!.toLowerCase() === domain.toLowerCase() ? m[1]!.toLowerCase() : null;
}

export function replyAddress(mailbox: string, noticeId: string, key: Buffer): string {
  if (!ID.test(noticeId)) throw new Error('reply tag: the notice id must be 32 hex digits');
  const [local, domain] = splitMailbox(mailbox);
  return `${local}+${noticeId}${mac(key, noticeId)}@${domain}`;
}

export function splitMailbox(mailbox: string): [string, string] {
  const at = mailbox.lastIndexOf('@');
  const local = mailbox.slice(0, at);
  const domain = mailbox.slice(at + 1);
  if (at < 1 || !domain || local.includes('+') || local.length > MAX_MAILBOX_LOCAL_PART || !/^[A-Za-z0-9._-]+$/.test(local) || !/^[A-Za-z0-9.-]+$/.test(domain))
    throw new Error(
      `El buzón de respuestas debe ser una dirección sin "+" con una parte local de hasta ${MAX_MAILBOX_LOCAL_PART} caracteres, p. ej. respuestas@entidad.gov.co.`,
    );
  return [local, domain];
}

/**
 * The notice id a recipient address carries, when it is the mailbox with a tag whose signature
 * holds; null for the bare mailbox, another address or a forged tag. Constant-time on the mac.
 */
export function noticeIdFromAddress(address: string, mailbox: string, key: Buffer): string | null {
  const [local, domain] = splitMailbox(mailbox);
  const m = /^([^@+]+)\+([^@]+)@(.+)$/.exec(address.trim().toLowerCase());
  if (!m || m[1] !== local.toLowerCase() || m[3] !== domain.toLowerCase()) return null;
  const tag = TAG.exec(m[2]!);
  if (!tag) return null;
  const given = Buffer.from(tag[2]!, 'hex');
  const expected = Buffer.from(mac(key, tag[1]!), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? tag[1]! : null;
}
