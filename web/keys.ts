/**
 * Keys derived from the one secret file, so a link token can never pass for a cookie signature or
 * the other way round. Sessions are the store's (store/records), not signed here.
 */
import { createHmac } from 'node:crypto';

export interface Keys {
  links: Buffer;
  cookies: Buffer;
}

export function deriveKeys(secret: Buffer): Keys {
  const derive = (purpose: string) => createHmac('sha256', secret).update(`plazos-web/${purpose}`).digest();
  // Links use the raw secret: the worker signs them with it and knows nothing of the web's keys.
  return { links: secret, cookies: derive('cookies') };
}
