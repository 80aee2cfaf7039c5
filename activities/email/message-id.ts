/**
 * Deterministic identifiers derived from a notice's idempotency key. A retry of the same notice
 * produces the same Message-ID, so receivers and mail clients can tell a repeated delivery apart.
 */
import { createHash } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The domain of the single mailbox in `from` ("Plazos <plazos@entidad.gov.co>" -> "entidad.gov.co"). */
export function senderDomain(from: string): string {
  const parsed = addressparser(from, { flatten: true });
  const address = parsed.length === 1 ? parsed[0]?.address : undefined;
  const domain = address?.split('@')[1];
  if (!address || !domain || !/^[A-Za-z0-9.-]+$/.test(domain)) {
    throw new Error(`El remitente debe ser una sola dirección de correo con dominio, p. ej. "Plazos <plazos@entidad.gov.co>".`);
  }
  return domain.toLowerCase();
}

/** `<hex(sha256(key))[0..32]@domain>` */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  return `<${sha256Hex(idempotencyKey).slice(0, 32)}@${domain}>`;
}
