/**
 * Names what a mail server refused, and what the operator should change, from the error nodemailer
 * (SMTP) or imapflow (IMAP) threw: one place, so `plazos mail check`, the logs and any later screen
 * say the same thing about the same refusal.
 *
 * The server's reply text is never copied into the description: it often quotes an address, and an
 * operator reading a terminal does not need it to act. The one exception is an IMAP [ALERT], which
 * RFC 9051 (section 7.1) says must be shown to the user; it is cut short. A token that could not be
 * obtained keeps oauth-token.ts's own message: plazos wrote it, from the OAuth error code and the
 * names of the settings, never from the server's text. Nothing here ever holds the
 * password: the errors do not carry it, and no field of the error is echoed beyond its codes.
 */
import type { NodemailerError } from 'nodemailer';

export interface MailFailure {
  /** A stable name for the refusal, for `--json` and tests. */
  code: MailFailureCode;
  /** What happened, in Spanish. */
  es: string;
  /** The same, in English. */
  en: string;
  /** What to change, in Spanish (the operator's language). */
  fix: string;
}

export type MailFailureCode =
  | 'auth-rejected'
  | 'basic-auth-disabled'
  | 'send-as-denied'
  | 'recipient-refused'
  | 'relay-denied'
  | 'tls'
  | 'connection-refused'
  | 'timeout'
  | 'host-not-found'
  | 'imap-auth-rejected'
  | 'oauth-secret-invalid'
  | 'oauth-secret-expired'
  | 'oauth-app-not-found'
  | 'oauth-certificate-refused'
  | 'oauth-delegation-missing'
  | 'oauth-app-refused'
  | 'oauth-token-unavailable'
  | 'smtp-oauth-refused'
  | 'imap-oauth-refused'
  | 'imap-alert'
  | 'smtp-refused'
  | 'smtp-deferred'
  | 'unknown';

/** The fields of nodemailer's and imapflow's errors this reads; everything is optional. */
interface MailError {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  response?: unknown;
  rejected?: unknown;
  authenticationFailed?: unknown;
  serverResponseCode?: unknown;
  responseText?: unknown;
  message?: unknown;
  cause?: unknown;
  name?: unknown;
  command?: unknown;
  /** OAuthTokenError's: the provider's own code (Entra ID's AADSTS…). */
  vendorCode?: unknown;
}

/** Node's and OpenSSL's codes for a certificate or handshake that failed. */
const TLS_CODES = new Set([
  'ETLS',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

const ALERT_LENGTH = 200;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Every code the error and the socket error behind it carry (nodemailer keeps ECONNREFUSED as originalCode). */
function codes(e: MailError): string[] {
  const cause = typeof e.cause === 'object' && e.cause !== null ? (e.cause as MailError) : {};
  return [e.code, e.originalCode, cause.code].filter((c): c is string => typeof c === 'string');
}

export function asNodemailerError(error: unknown): NodemailerError {
  // Not `instanceof Error`: socket errors can come from another realm (a vm context, as under jest).
  return (typeof error === 'object' && error !== null ? error : new Error(String(error))) as NodemailerError;
}

const described = (code: MailFailureCode, es: string, en: string, fix: string): MailFailure => ({ code, es, en, fix });

function imapAlert(e: MailError): string | null {
  const reply = `${text(e.response)} ${text(e.responseText)}`;
  const match = /\[ALERT\]\s*([^\r\n]*)/i.exec(reply);
  if (match) return (match[1] ?? '').trim().slice(0, ALERT_LENGTH);
  if (e.serverResponseCode === 'ALERT') return text(e.responseText).trim().slice(0, ALERT_LENGTH);
  return null;
}

/**
 * No token was obtained (activities/email/oauth-token.ts): its message is ours, in Spanish, names
 * the setting or file and holds no secret, so it is shown as it is; the fix follows the vendor's code.
 * nodemailer passes it on with code EAUTH and the OAuth code as originalCode.
 */
function tokenFailure(e: MailError): MailFailure {
  const es = text(e.message);
  const oauthCode = [e.originalCode, e.code].find((c): c is string => typeof c === 'string' && c !== 'EAUTH') ?? '';
  const vendor = text(e.vendorCode);
  if (vendor === 'AADSTS7000215')
    return described(
      'oauth-secret-invalid',
      es,
      'Entra ID rejected the client secret (AADSTS7000215).',
      'En Entra ID › Registros de aplicaciones › Certificados y secretos, copie el Valor del secreto (no el Id. del secreto) al archivo de PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE.',
    );
  if (vendor === 'AADSTS7000222')
    return described(
      'oauth-secret-expired',
      es,
      'The client secret has expired (AADSTS7000222).',
      'Cree un secreto nuevo en Entra ID (Certificados y secretos), póngalo en el archivo de PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE y anote cuándo vence.',
    );
  if (vendor === 'AADSTS700016')
    return described(
      'oauth-app-not-found',
      es,
      'Entra ID does not know this application in that tenant (AADSTS700016).',
      'Use en PLAZOS_MAIL_OAUTH_CLIENT_ID el Id. de aplicación (cliente) y en PLAZOS_MAIL_OAUTH_TOKEN_URL el Id. de directorio (inquilino) de la misma aplicación.',
    );
  if (vendor === 'AADSTS700027' || /PLAZOS_MAIL_OAUTH_CLIENT_CERT_FILE/.test(es))
    return described(
      'oauth-certificate-refused',
      es,
      'Entra ID did not accept the certificate the assertion was signed with (AADSTS700027).',
      'Cargue el certificado (.cer o .pem, sin la clave) en Entra ID › Certificados y secretos › Certificados, o renuévelo si venció, y use su clave en PLAZOS_MAIL_OAUTH_CLIENT_KEY_FILE.',
    );
  if (oauthCode === 'unauthorized_client' && /Google/.test(es))
    return described(
      'oauth-delegation-missing',
      es,
      'Google does not let the service account act for the mailbox: domain-wide delegation is missing.',
      'En admin.google.com › Seguridad › Acceso y control de datos › Controles de API › Delegación de todo el dominio, agregue el ID de cliente de la cuenta de servicio con el alcance https://mail.google.com/.',
    );
  if (['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_scope'].includes(oauthCode))
    return described(
      'oauth-app-refused',
      es,
      `The authorization server refused the application (${oauthCode}).`,
      'Revise las variables PLAZOS_MAIL_OAUTH_* que nombra el mensaje (README, «Logging in with OAuth 2.0»).',
    );
  return described(
    'oauth-token-unavailable',
    es,
    `No access token could be obtained (${oauthCode || 'error'}).`,
    'Revise la dirección del servidor de autorización y que el cortafuegos permita la salida hacia él por HTTPS.',
  );
}

/**
 * `context.oauth`: the login was by token (PLAZOS_MAIL_OAUTH_*). imapflow's error does not say
 * which mechanism was refused, and the fix for a refused token is not the fix for a password.
 */
export function describeMailFailure(thrown: unknown, context: { oauth?: boolean } = {}): MailFailure {
  const e = asNodemailerError(thrown) as MailError;
  const reply = text(e.response);
  const all = codes(e);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;

  if (e.name === 'OAuthTokenError') return tokenFailure(e);
  // The relay refused a token it was given (Microsoft 365: 535 5.7.3 Authentication unsuccessful;
  // Gmail: 535 5.7.8). The token is good; the mailbox or tenant is not set up to take it.
  if (e.command === 'AUTH XOAUTH2' && (all.includes('EAUTH') || responseCode === 535)) {
    return described(
      'smtp-oauth-refused',
      'El servidor SMTP rechazó el token para el buzón que envía (PLAZOS_SMTP_USER).',
      'The SMTP server refused the token for the sending mailbox (PLAZOS_SMTP_USER).',
      'Microsoft 365: registre la aplicación en Exchange Online (New-ServicePrincipal), dele SendAs o FullAccess sobre el buzón y active SMTP AUTH en él (Set-CASMailbox -SmtpClientAuthenticationDisabled $false). Google: PLAZOS_SMTP_USER debe ser un buzón del dominio de la delegación. Vea el README.',
    );
  }

  // Microsoft 365 turned basic authentication off for SMTP submission (5.7.30; 5.7.139 on some tenants).
  if (/\b5\.7\.(30|139)\b/.test(reply) || /basic authentication is (not supported|disabled)/i.test(reply)) {
    return described(
      'basic-auth-disabled',
      'Este proveedor no acepta contraseñas para enviar correo (autenticación básica desactivada).',
      'This provider does not accept passwords for sending mail (basic authentication is disabled).',
      'Este proveedor no acepta contraseñas: configure OAuth 2.0 (README).',
    );
  }
  // Microsoft 365 says SendAsDenied; Postfix's reject_sender_login_mismatch, which an entity's own
  // relay uses for the same rule, says "not owned by user" (553 5.7.1).
  if (/\b5\.7\.60\b/.test(reply) || /SendAsDenied/i.test(reply) || /Sender address rejected: not owned by/i.test(reply)) {
    return described(
      'send-as-denied',
      'El servidor no deja a esta cuenta enviar como el remitente configurado.',
      'The server does not let this account send as the configured sender.',
      'Use en PLAZOS_MAIL_FROM el buzón de la cuenta, o pida al administrador del correo el permiso «Enviar como» sobre ese buzón.',
    );
  }
  const alert = imapAlert(e);
  if (alert) {
    return described(
      'imap-alert',
      `El servidor IMAP avisa: «${alert}».`,
      `The IMAP server says: "${alert}".`,
      'Haga lo que pide el aviso del servidor (suele ser una clave vencida o el acceso IMAP desactivado en el buzón).',
    );
  }
  if ((e.authenticationFailed === true || e.serverResponseCode === 'AUTHENTICATIONFAILED') && context.oauth) {
    return described(
      'imap-oauth-refused',
      'El servidor IMAP rechazó el token para el buzón de respuestas (PLAZOS_IMAP_USER).',
      'The IMAP server refused the token for the reply mailbox (PLAZOS_IMAP_USER).',
      'Microsoft 365: registre la aplicación en Exchange Online (New-ServicePrincipal) y dele FullAccess sobre el buzón (Add-MailboxPermission); el permiso IMAP.AccessAsApp necesita el consentimiento del administrador. Google: PLAZOS_IMAP_USER debe ser un buzón del dominio de la delegación, con IMAP activado. Vea el README.',
    );
  }
  if (e.authenticationFailed === true || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return described(
      'imap-auth-rejected',
      'El servidor IMAP rechazó el usuario o la clave del buzón de respuestas.',
      'The IMAP server rejected the reply mailbox user or password.',
      'Revise PLAZOS_IMAP_USER y la clave (PLAZOS_IMAP_PASSWORD_FILE); si el proveedor exige OAuth 2.0 o contraseñas de aplicación, use una.',
    );
  }
  if (all.includes('EAUTH') || all.includes('ENOAUTH') || responseCode === 535 || /\b5\.7\.(3|8)\b/.test(reply)) {
    return described(
      'auth-rejected',
      'El servidor SMTP rechazó el usuario o la clave.',
      'The SMTP server rejected the user or password.',
      'Usuario o clave rechazados: corrija el usuario y la clave en PLAZOS_SMTP_URL (smtps://usuario:clave@servidor:465).',
    );
  }
  // A relay that sends only for clients that logged in refuses every recipient of one that did not
  // (Postfix: "Relay access denied", or "Recipient address rejected: Access denied" under
  // permit_sasl_authenticated, reject): the addresses are fine, the login is missing.
  if (/Relay access denied|Recipient address rejected: Access denied/i.test(reply)) {
    return described(
      'relay-denied',
      'El servidor no envía correo sin iniciar sesión: rechazó los destinatarios porque no hubo inicio de sesión.',
      'The server does not send mail without a login: it refused the recipients because no login was made.',
      'Ponga el usuario y la clave en PLAZOS_SMTP_URL, o configure OAuth 2.0 (PLAZOS_MAIL_OAUTH_* y PLAZOS_SMTP_USER).',
    );
  }
  // A recipient deferred with a 4xx also comes as EENVELOPE with the address in `rejected`: it is
  // a delay, told below, not an address that does not exist.
  const deferred = responseCode !== null && responseCode >= 400 && responseCode < 500;
  if (!deferred && (/\b5\.1\.1\b/.test(reply) || (all.includes('EENVELOPE') && Array.isArray(e.rejected) && e.rejected.length > 0))) {
    return described(
      'recipient-refused',
      'El servidor rechazó la dirección de destino: no existe o no recibe correo.',
      'The server refused the recipient address: it does not exist or does not accept mail.',
      'Revise la dirección (en el directorio de áreas, o la de --to).',
    );
  }
  if (all.some((c) => TLS_CODES.has(c))) {
    return described(
      'tls',
      'No se pudo establecer una conexión cifrada (TLS): el certificado no es de confianza, venció o no corresponde al servidor.',
      'A secure (TLS) connection could not be made: the certificate is untrusted, expired or for another host.',
      'Use el nombre del servidor que figura en su certificado y el puerto correcto (465 para smtps://, 587 para smtp:// con STARTTLS); si la entidad usa su propia autoridad, configure NODE_EXTRA_CA_CERTS (o PLAZOS_IMAP_CA_FILE para IMAP).',
    );
  }
  if (all.includes('ECONNREFUSED') || all.includes('ECONNRESET')) {
    return described(
      'connection-refused',
      'El servidor rechazó la conexión: nada escucha en ese puerto.',
      'The server refused the connection: nothing listens on that port.',
      'Revise el servidor y el puerto en la URL, y que el cortafuegos permita la salida hacia él.',
    );
  }
  if (all.includes('ETIMEDOUT') || all.includes('ConnectionTimeout') || all.includes('GreetingTimeout')) {
    return described(
      'timeout',
      'El servidor no respondió a tiempo.',
      'The server did not answer in time.',
      'Revise el servidor y el puerto, y que el cortafuegos o la red permitan la conexión.',
    );
  }
  if (all.includes('EDNS') || all.includes('ENOTFOUND') || all.includes('EAI_AGAIN')) {
    return described(
      'host-not-found',
      'No se encontró el servidor: el nombre no existe en el DNS.',
      'The server was not found: the name does not resolve.',
      'Revise el nombre del servidor en la URL.',
    );
  }
  if (responseCode !== null && responseCode >= 500) {
    return described(
      'smtp-refused',
      `El servidor SMTP rechazó la operación (respuesta ${responseCode}).`,
      `The SMTP server refused the operation (reply ${responseCode}).`,
      'Consulte al administrador del correo qué significa esa respuesta para esta cuenta.',
    );
  }
  if (responseCode !== null && responseCode >= 400) {
    return described(
      'smtp-deferred',
      `El servidor SMTP aplazó la operación (respuesta ${responseCode}).`,
      `The SMTP server deferred the operation (reply ${responseCode}).`,
      'Suele ser pasajero: vuelva a intentarlo en unos minutos.',
    );
  }
  const code = all[0] ?? 'desconocido';
  return described(
    'unknown',
    `Falló la conexión con el servidor de correo (${code}).`,
    `The mail server connection failed (${code}).`,
    'Revise el servidor y el puerto en la URL.',
  );
}
