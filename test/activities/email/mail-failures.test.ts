/**
 * describeMailFailure over the errors nodemailer and imapflow throw: the shapes are those their
 * sources build (nodemailer's SMTPConnection._formatError: code, response, responseCode, command;
 * imapflow's LOGIN: authenticationFailed, serverResponseCode, response), and two are thrown for
 * real by nodemailer against a closed port and the test SMTP server.
 */
import nodemailer from 'nodemailer';
import { describeMailFailure } from '../../../activities/email/mail-failures';
import { OAuthTokenError } from '../../../activities/email/oauth-token';
import { closedPort, startSmtpServer } from '../../helpers/smtp';

/** As nodemailer builds it: the reply is appended to the message and parsed into responseCode. */
function smtpError(code: string, response: string, command: string, extra: Record<string, unknown> = {}): Error {
  const responseCode = Number(/^\d+/.exec(response)?.[0]);
  return Object.assign(new Error(`Invalid login: ${response}`), { code, response, responseCode, command, ...extra });
}

/** As imapflow's LOGIN throws it after a tagged NO. */
function imapLoginError(response: string, serverResponseCode?: string): Error {
  return Object.assign(new Error('Command failed'), {
    response,
    responseStatus: 'NO',
    ...(serverResponseCode ? { serverResponseCode } : {}),
    authenticationFailed: true,
  });
}

test('535 5.7.3 from the SMTP server reads "usuario o clave rechazados" with the variable to fix', () => {
  const d = describeMailFailure(smtpError('EAUTH', '535 5.7.3 Authentication unsuccessful', 'AUTH PLAIN'));
  expect(d.code).toBe('auth-rejected');
  expect(d.fix).toMatch(/^Usuario o clave rechazados/);
  expect(d.fix).toContain('PLAZOS_SMTP_URL');
  expect(d.en).toContain('rejected the user or password');
});

test('Microsoft 365 refusing basic authentication (550 5.7.30) asks for OAuth 2.0', () => {
  const d = describeMailFailure(
    smtpError('EAUTH', '550 5.7.30 Basic authentication is not supported for Client Submission', 'AUTH LOGIN', { permanent: true }),
  );
  expect(d.code).toBe('basic-auth-disabled');
  expect(d.fix).toBe('Este proveedor no acepta contraseñas: configure OAuth 2.0 (README).');
});

test('5.7.60 SendAsDenied says the account may not send as that mailbox', () => {
  const d = describeMailFailure(
    smtpError('EMESSAGE', '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; 5.7.60', 'DATA'),
  );
  expect(d.code).toBe('send-as-denied');
  expect(d.es).toContain('enviar como');
  expect(d.fix).toContain('PLAZOS_MAIL_FROM');
});

test("Postfix's reject_sender_login_mismatch (553 5.7.1 not owned by user) says the account may not send as that sender, naming PLAZOS_MAIL_FROM", () => {
  const d = describeMailFailure(
    smtpError('EENVELOPE', '553 5.7.1 <plazos@entidad.gov.co>: Sender address rejected: not owned by user respuestas', 'MAIL FROM'),
  );
  expect(d.code).toBe('send-as-denied');
  expect(d.fix).toContain('PLAZOS_MAIL_FROM');
  expect(JSON.stringify(d)).not.toContain('plazos@entidad.gov.co');
});

test('a token endpoint that refused the app, as nodemailer passes it on (EAUTH over OAuthTokenError), names the OAuth settings, not PLAZOS_SMTP_URL', () => {
  const tokenError = new OAuthTokenError(
    'El servidor de autorización rechazó la aplicación (invalid_client): revise PLAZOS_MAIL_OAUTH_CLIENT_ID y el secreto en PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE.',
    'invalid_client',
  );
  // What nodemailer's SMTPConnection._formatError does with the provisioning callback's error.
  const d = describeMailFailure(Object.assign(tokenError, { code: 'EAUTH', originalCode: 'invalid_client', command: 'AUTH XOAUTH2' }));
  expect(d.code).toBe('oauth-app-refused');
  expect(d.es).toContain('rechazó la aplicación (invalid_client)');
  expect(d.es).toContain('PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE');
  expect(d.fix).not.toContain('PLAZOS_SMTP_URL');
});

test("a relay refusing the XOAUTH2 token (535) points at the mailbox and the app's rights, not at a password", () => {
  const d = describeMailFailure(smtpError('EAUTH', '535 5.7.8 Error: authentication failed: (reason unavailable)', 'AUTH XOAUTH2'));
  expect(d.code).toBe('smtp-oauth-refused');
  expect(d.es).toContain('PLAZOS_SMTP_USER');
  expect(d.fix).not.toContain('PLAZOS_SMTP_URL');
});

test('a refused recipient (550 5.1.1) names the address to check, not the server text', () => {
  const d = describeMailFailure(
    smtpError('EENVELOPE', '550 5.1.1 <nadie@entidad.gov.co>: Recipient address rejected', 'RCPT TO', { rejected: ['nadie@entidad.gov.co'] }),
  );
  expect(d.code).toBe('recipient-refused');
  expect(JSON.stringify(d)).not.toContain('nadie@entidad.gov.co');
});

test('a certificate the system does not trust is a TLS problem, behind nodemailer ESOCKET or straight from imapflow', () => {
  const wrapped = Object.assign(new Error('self-signed certificate'), { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', command: 'CONN' });
  expect(describeMailFailure(wrapped).code).toBe('tls');
  expect(describeMailFailure(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' })).code).toBe('tls');
  expect(describeMailFailure(Object.assign(new Error('Error initiating TLS'), { code: 'ETLS', command: 'CONN' })).fix).toContain('465');
});

test('a timeout and an unknown host are told apart', () => {
  expect(describeMailFailure(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT', command: 'CONN' })).code).toBe('timeout');
  expect(describeMailFailure(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'EDNS', originalCode: 'ENOTFOUND' })).code).toBe('host-not-found');
});

test('IMAP AUTHENTICATIONFAILED names the mailbox user and password', () => {
  const d = describeMailFailure(imapLoginError('NO [AUTHENTICATIONFAILED] Authentication failed.', 'AUTHENTICATIONFAILED'));
  expect(d.code).toBe('imap-auth-rejected');
  expect(d.fix).toContain('PLAZOS_IMAP_USER');
});

test('an IMAP [ALERT] is shown to the operator, as RFC 9051 asks, and cut short', () => {
  const alert = 'Su clave venció; cámbiela en el portal. ' + 'x'.repeat(400);
  const d = describeMailFailure(imapLoginError(`NO [ALERT] ${alert}`, 'ALERT'));
  expect(d.code).toBe('imap-alert');
  expect(d.es).toContain('Su clave venció');
  expect(d.es.length).toBeLessThan(300);
});

test('other 5xx and 4xx replies say refused or deferred, with the number only', () => {
  expect(describeMailFailure(smtpError('EMESSAGE', '552 5.3.4 Message too big', 'DATA')).code).toBe('smtp-refused');
  const deferred = describeMailFailure(smtpError('EENVELOPE', '451 4.7.1 Greylisted, try later', 'RCPT TO'));
  expect(deferred.code).toBe('smtp-deferred');
  expect(deferred.es).toContain('451');
  expect(deferred.es).not.toContain('Greylisted');
  // nodemailer lists a recipient deferred with a 4xx among the rejected ones: still a delay, not an unknown address.
  const busy = describeMailFailure(smtpError('EENVELOPE', '451 Mailbox busy, try later', 'RCPT TO', { rejected: ['nadie@entidad.gov.co'] }));
  expect(busy.code).toBe('smtp-deferred');
});

test('what is not an error object still gets a description', () => {
  expect(describeMailFailure('boom').code).toBe('unknown');
  expect(describeMailFailure(undefined).code).toBe('unknown');
});

test('nodemailer verifying against a closed port says the connection was refused', async () => {
  const port = await closedPort();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5000 });
  const error = await transport.verify().then(
    () => null,
    (e: unknown) => e,
  );
  expect(describeMailFailure(error).code).toBe('connection-refused');
});

test('nodemailer refusing a recipient at the real SMTP server says recipient refused', async () => {
  const server = await startSmtpServer();
  try {
    server.replyToRecipient('nadie@entidad.gov.co', 550, '5.1.1 No such user');
    const transport = nodemailer.createTransport(server.transportOptions);
    const error = await transport.sendMail({ from: 'plazos@entidad.gov.co', to: 'nadie@entidad.gov.co', subject: 'x', text: 'x' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(describeMailFailure(error).code).toBe('recipient-refused');
    transport.close();
  } finally {
    await server.stop();
  }
});

test('a relay that refuses recipients to a client that did not log in asks for the login, not for other addresses', () => {
  for (const reply of [
    '554 5.7.1 <nadie@entidad.gov.co>: Relay access denied',
    '554 5.7.1 <avisos@entidad.gov.co>: Recipient address rejected: Access denied',
  ]) {
    const d = describeMailFailure(smtpError('EENVELOPE', reply, 'RCPT TO', { rejected: ['nadie@entidad.gov.co'] }));
    expect(d.code).toBe('relay-denied');
    expect(d.fix).toContain('PLAZOS_SMTP_URL');
    expect(`${d.es} ${d.fix}`).not.toContain('entidad.gov.co');
  }
});

describe('logins by OAuth token', () => {
  /** As nodemailer passes on what its provisionCallback failed with (SMTPConnection._formatError). */
  const throughNodemailer = (err: OAuthTokenError) => Object.assign(err, { originalCode: err.code, code: 'EAUTH', command: 'AUTH XOAUTH2' });
  const entra = (vendor: string, message = 'mensaje de plazos') => new OAuthTokenError(message, 'invalid_client', vendor);

  test.each([
    ['AADSTS7000215', 'oauth-secret-invalid', /Valor del secreto \(no el Id\. del secreto\)/],
    ['AADSTS7000222', 'oauth-secret-expired', /Cree un secreto nuevo/],
    ['AADSTS700016', 'oauth-app-not-found', /Id\. de aplicación \(cliente\)/],
    ['AADSTS700027', 'oauth-certificate-refused', /Cargue el certificado/],
  ])('Entra ID %s reads as %s, with the fix in the portal', (vendor, code, fix) => {
    for (const err of [entra(vendor), throughNodemailer(entra(vendor))]) {
      const d = describeMailFailure(err);
      expect(d.code).toBe(code);
      expect(d.fix).toMatch(fix);
      expect(d.es).toBe('mensaje de plazos');
    }
  });

  test("Google's unauthorized_client is the missing domain-wide delegation, with where to grant it", () => {
    const err = new OAuthTokenError('Google no deja a la cuenta de servicio actuar por el buzón (unauthorized_client): …', 'unauthorized_client');
    const d = describeMailFailure(throughNodemailer(err));
    expect(d.code).toBe('oauth-delegation-missing');
    expect(d.fix).toContain('Delegación de todo el dominio');
    expect(d.fix).toContain('https://mail.google.com/');
  });

  test('a token endpoint that cannot be reached is not read as a wrong password', () => {
    const d = describeMailFailure(
      throughNodemailer(new OAuthTokenError('No se obtuvo un token de acceso de PLAZOS_MAIL_OAUTH_TOKEN_URL (…): ECONNREFUSED.', 'ECONNREFUSED')),
    );
    expect(d.code).toBe('oauth-token-unavailable');
    expect(d.fix).not.toContain('PLAZOS_SMTP_URL');
  });

  test('Microsoft 365 refusing the token at SMTP (535 5.7.3) names the Exchange Online steps, not a password', () => {
    const d = describeMailFailure(smtpError('EAUTH', '535 5.7.3 Authentication unsuccessful [SN4PR0601CA0005.namprd06.prod.outlook.com]', 'AUTH XOAUTH2'));
    expect(d.code).toBe('smtp-oauth-refused');
    expect(d.fix).toContain('New-ServicePrincipal');
    expect(d.fix).toContain('Set-CASMailbox -SmtpClientAuthenticationDisabled $false');
    // The same reply to a password login is still a wrong password.
    expect(describeMailFailure(smtpError('EAUTH', '535 5.7.3 Authentication unsuccessful', 'AUTH LOGIN')).code).toBe('auth-rejected');
  });

  test('an IMAP refusal of a token names the mailbox permission, when the login was by token', () => {
    const refused = imapLoginError('NO [AUTHENTICATIONFAILED] Authentication failed.', 'AUTHENTICATIONFAILED');
    expect(describeMailFailure(refused, { oauth: true })).toMatchObject({ code: 'imap-oauth-refused' });
    expect(describeMailFailure(refused, { oauth: true }).fix).toContain('Add-MailboxPermission');
    expect(describeMailFailure(refused).code).toBe('imap-auth-rejected');
  });
});
