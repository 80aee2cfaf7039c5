/**
 * CSRF tokens, HMACs under a key derived from the one secret file, so a link token can never pass
 * for a form token or the other way round. Sessions are the store's (store/records), not signed here.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Keys {
  links: Buffer;
  csrf: Buffer;
}

export function deriveKeys(secret: Buffer): Keys {
  const derive = (purpose: string) => createHmac('sha256', secret).update(`plazos-web/${purpose}`).digest();
  // Links use the raw secret: the worker signs them with it and knows nothing of the web's keys.
  return { links: secret, csrf: derive('csrf') };
}

function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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
