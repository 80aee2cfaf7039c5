/**
 * Google Workspace: a service account with domain-wide delegation logs in to Gmail's SMTP and
 * IMAP as a mailbox of the domain. Google has no app-only token for mail: the account asks for a
 * token that acts as one mailbox, by the JWT-bearer grant (RFC 7523 §2.1): a JWT it signs with
 * its own key (RS256), iss = the account, sub = the mailbox, scope https://mail.google.com/, aud =
 * the key file's token_uri, valid one hour at most. So there is one token source per mailbox: the
 * sender (PLAZOS_SMTP_USER) and the reply mailbox (PLAZOS_IMAP_USER) each get their own.
 *
 * Not google-auth-library: its JWT client (11.x) posts to a hard-coded
 * https://oauth2.googleapis.com/token and ignores the key file's token_uri, so it cannot be tested
 * against a real authorization server on loopback, and it brings gaxios and gcp-metadata for one
 * POST. jose signs the assertion, oauth4webapi sends it and checks the answer.
 */
import { createPrivateKey, type webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import { ConfigError } from '../../config/schema';
import { cachedTokenSource, type TokenSource, type TokenSourceOptions } from './oauth-token';

export const GOOGLE_MAIL_SCOPE = 'https://mail.google.com/';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google refuses assertions valid for more than an hour. */
const ASSERTION_LIFETIME_S = 3600;

/** The fields of the JSON key file Google Cloud's console downloads that the grant needs. */
const KeyFileSchema = z.object({
  type: z.literal('service_account', { message: 'type debe ser "service_account" (¿es la clave de una cuenta de servicio?)' }),
  client_email: z.string().min(3, { message: 'falta client_email' }),
  client_id: z.string().min(1, { message: 'falta client_id' }),
  private_key: z.string().includes('PRIVATE KEY', { message: 'private_key no es una clave PEM' }),
  private_key_id: z.string().min(1, { message: 'falta private_key_id' }),
  token_uri: z.string().regex(/^(https:\/\/.+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?\/.*)$/, {
    message: 'token_uri debe ser https://… (Google usa https://oauth2.googleapis.com/token)',
  }),
});

export interface ServiceAccount {
  /** Where the key was read from: errors name it. */
  file: string;
  clientEmail: string;
  /** The numeric id the Admin console's domain-wide delegation is granted to. */
  clientId: string;
  privateKeyId: string;
  tokenUri: string;
  key: webcrypto.CryptoKey;
}

/** The service account from its JSON key file; a Spanish ConfigError that never quotes the key otherwise. */
export function loadServiceAccount(file: string): ServiceAccount {
  const where = `PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE (${file})`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(code ? `${where}: no se pudo leer (${code}).` : `${where}: no es JSON (descargue la clave en formato JSON).`);
  }
  const parsed = KeyFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${where}: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
  let key: webcrypto.CryptoKey;
  try {
    key = createPrivateKey(parsed.data.private_key).toCryptoKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  } catch {
    throw new ConfigError(`${where}: private_key no es una clave RSA válida.`);
  }
  return {
    file,
    clientEmail: parsed.data.client_email,
    clientId: parsed.data.client_id,
    privateKeyId: parsed.data.private_key_id,
    tokenUri: parsed.data.token_uri,
    key,
  };
}

/** RFC 7523 §3.1: the assertion itself authenticates the account; Google takes no client credentials beside it. */
const assertionOnly: oauth.ClientAuth = () => undefined;

/** Tokens that act as `mailbox`, obtained with the service account's signed assertion. */
export function serviceAccountTokenSource(account: ServiceAccount, mailbox: string, opts: TokenSourceOptions & { scope?: string } = {}): TokenSource {
  const url = new URL(account.tokenUri);
  const as: oauth.AuthorizationServer = { issuer: url.origin, token_endpoint: url.href };
  const client: oauth.Client = { client_id: account.clientEmail };
  return cachedTokenSource(
    {
      tokenUrl: account.tokenUri,
      credential: { kind: 'google-key', file: account.file, clientId: account.clientId },
      async send(options) {
        // The signing clock is the real one: the server compares iat and exp with its own.
        const now = Math.floor(Date.now() / 1000);
        const assertion = await new SignJWT({ scope: opts.scope ?? GOOGLE_MAIL_SCOPE })
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: account.privateKeyId })
          .setIssuer(account.clientEmail)
          .setSubject(mailbox)
          .setAudience(account.tokenUri)
          .setIssuedAt(now)
          .setExpirationTime(now + ASSERTION_LIFETIME_S)
          .sign(account.key);
        const response = await oauth.genericTokenEndpointRequest(as, client, assertionOnly, JWT_BEARER, { assertion }, options);
        return oauth.processGenericTokenEndpointResponse(as, client, response);
      },
    },
    opts,
  );
}
