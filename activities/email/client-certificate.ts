/**
 * The app's certificate as its credential, instead of a client secret: the client signs a short
 * JWT (private_key_jwt, RFC 7523 §2.2) with the certificate's key. Entra ID's certificate-credentials
 * reference (2025) asks for PS256 (RSA-PSS) and finds the certificate among those uploaded to the app
 * by `x5t#S256` (SHA-256 of the DER certificate, RFC 7515 §4.1.8); its earlier format named the
 * certificate by `x5t` (SHA-1, §4.1.7), the thumbprint the portal still shows, so both are sent.
 *
 * oauth4webapi builds and signs the assertion (PrivateKeyJwt); we only add the thumbprints and set
 * `aud` to the token endpoint, as Entra ID requires (oauth4webapi puts the issuer there, and our
 * issuer is only the endpoint's origin). MSAL would do the same but wants an https authority,
 * which a loopback test server cannot be.
 *
 * The key is read once, made a non-extractable CryptoKey, and kept nowhere else.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject, type webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as oauth from 'oauth4webapi';
import { ConfigError } from '../../config/schema';

export interface ClientCertificate {
  /** Where the certificate was read from: errors name it. */
  certFile: string;
  notAfter: Date;
  /** base64url SHA-1 and SHA-256 thumbprints of the DER certificate. */
  x5t: string;
  x5tS256: string;
  key: webcrypto.CryptoKey;
}

const thumbprint = (algorithm: 'sha1' | 'sha256', der: Buffer) => createHash(algorithm).update(der).digest('base64url');

function readPem(setting: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${setting}: no se pudo leer ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/**
 * The certificate and its key from their PEM files. Refused at start, in Spanish, when the
 * certificate has expired or is not yet valid (Entra ID would refuse every assertion, and its
 * answer does not say why), when the key is not the certificate's, or is not RSA (Entra ID
 * takes RSA signatures only).
 */
export function loadClientCertificate(certFile: string, keyFile: string, now = new Date()): ClientCertificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readPem('PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE', certFile));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: ${certFile} no es un certificado PEM (-----BEGIN CERTIFICATE-----).`);
  }
  const notAfter = new Date(cert.validTo);
  const notBefore = new Date(cert.validFrom);
  if (notAfter.getTime() <= now.getTime())
    throw new ConfigError(
      `PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: el certificado ${certFile} venció el ${utcDate(notAfter)}; genere uno nuevo y cárguelo en la aplicación en Entra ID.`,
    );
  if (notBefore.getTime() > now.getTime())
    throw new ConfigError(
      `PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE: el certificado ${certFile} vale desde el ${utcDate(notBefore)}; revise el reloj de este servidor.`,
    );
  let key: KeyObject;
  try {
    // Never put the parser's message in the error: some quote the input.
    key = createPrivateKey(readPem('PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE', keyFile));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE: ${keyFile} no es una clave privada PEM sin cifrar.`);
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new ConfigError(`PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE: la clave de ${keyFile} debe ser RSA (Entra ID acepta firmas RSA, PS256).`);
  if (!cert.checkPrivateKey(key)) throw new ConfigError(`PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE: la clave de ${keyFile} no corresponde al certificado ${certFile}.`);
  return {
    certFile,
    notAfter,
    x5t: thumbprint('sha1', cert.raw),
    x5tS256: thumbprint('sha256', cert.raw),
    // RSA-PSS makes oauth4webapi sign with PS256, as Entra ID's reference asks.
    key: key.toCryptoKey({ name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']),
  };
}

/** A date an operator compares with the portal's: day and time in UTC, no locale guessing. */
export function utcDate(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Client authentication by a JWT signed with the certificate's key, naming the certificate by its thumbprints. */
export function certificateAuth(certificate: ClientCertificate, tokenUrl: string): oauth.ClientAuth {
  return oauth.PrivateKeyJwt(certificate.key, {
    [oauth.modifyAssertion](header, payload) {
      header.x5t = certificate.x5t;
      header['x5t#S256'] = certificate.x5tS256;
      payload.aud = tokenUrl;
    },
  });
}
