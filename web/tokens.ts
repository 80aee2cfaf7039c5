/**
 * Session cookies and CSRF tokens, both HMACs under keys derived from the one secret file, so a
 * link token can never pass for a session or the other way round. No clock: callers pass `now`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Keys {
  links: Buffer;
  session: Buffer;
  csrf: Buffer;
}

export function deriveKeys(secret: Buffer): Keys {
  const derive = (purpose: string) => createHmac('sha256', secret).update(`plazos-web/${purpose}`).digest();
  // Links use the raw secret: the worker signs them with it and knows nothing of the web's keys.
  return { links: secret, session: derive('session'), csrf: derive('csrf') };
}

function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `user.expiresMs.signature` */
export function sessionCookie(key: Buffer, username: string, expiresMs: number): string {
  const body = `${username}.${expiresMs}`;
  return `${body}.${sign(key, body)}`;
}

export function sessionUser(key: Buffer, cookie: string | undefined, nowMs: number): string | null {
  const m = /^([a-z0-9._-]{2,64})\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? '');
  if (!m) return null;
  const [, user, expires, sig] = m as unknown as [string, string, string, string];
  if (!sameText(sig, sign(key, `${user}.${expires}`))) return null;
  return Number(expires) > nowMs ? user : null;
}

/** A random value kept in an HttpOnly cookie; the form carries its HMAC (signed double submit). */
export function newCsrfNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function csrfToken(key: Buffer, nonce: string): string {
  return sign(key, nonce);
}

export function checkCsrf(key: Buffer, nonce: string | undefined, token: unknown): boolean {
  if (!nonce || typeof token !== 'string') return false;
  return sameText(token, csrfToken(key, nonce));
}
