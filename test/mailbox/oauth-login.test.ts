/**
 * The mailbox reader logs in with an app-only OAuth token, as Microsoft 365 requires: a real
 * Dovecot that takes XOAUTH2 and checks each token with the authorization server that issued it
 * (oidc-provider, by introspection), and a token the reader got by the client-credentials grant,
 * or, as Google Workspace issues them, by a service account's JWT-bearer grant for one mailbox.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import pino from 'pino';
import { mailTokens } from '../../activities/email/mail-login';
import { clientCredentialsTokenSource } from '../../activities/email/oauth-token';
import { parseEnv, type Env } from '../../config/schema';
import { imapOptions, startMailboxReader, type ImapSettings } from '../../mailbox/reader';
import { imapSettings } from '../../workers/mailbox';
import { startImapServer, type TestImapServer } from '../helpers/imap';
import { makeServiceAccount } from '../helpers/oauth-credentials';
import { startOAuthServer, type TestOAuthServer } from '../helpers/oauth-server';

const raw = (id: string) =>
  `Message-ID: <${id}@entidad.gov.co>\r\nFrom: arcom@entidad.gov.co\r\nTo: respuestas@entidad.gov.co\r\nSubject: Respuesta\r\n\r\nEntregado.\r\n`;

describe('the mailbox reader with an OAuth token (XOAUTH2)', () => {
  let oauth: TestOAuthServer;
  let imap: TestImapServer;
  beforeAll(async () => {
    oauth = await startOAuthServer({ ttlSeconds: 60, mailbox: 'respuestas' });
    imap = await startImapServer({
      oauth2: {
        introspectionUrl: oauth.introspectionUrl,
        clientId: oauth.introspectionClient.id,
        clientSecret: oauth.introspectionClient.secret,
        usernameAttribute: 'mailbox',
      },
    });
  });
  afterAll(async () => {
    await imap?.stop();
    await oauth?.stop();
  });

  function settings(secret = oauth.clientSecret): ImapSettings {
    const tokens = clientCredentialsTokenSource({ tokenUrl: oauth.tokenUrl, clientId: oauth.clientId, clientSecret: secret, scope: oauth.scope });
    return {
      host: imap.host,
      port: imap.port,
      secure: true,
      user: imap.user,
      login: { accessToken: (renew) => tokens.get({ renew }).then((t) => t.value) },
      ca: imap.ca,
      servername: 'localhost',
    };
  }

  test('logs in with a token from the authorization server, reads a reply and files it', async () => {
    await imap.deliver(raw('r1'));
    const handled: string[] = [];
    const reader = startMailboxReader({
      imap: settings(),
      folders: { processed: 'Plazos procesados', refused: 'Plazos rechazados' },
      pollMs: 60_000,
      maxMessageBytes: 1024 * 1024,
      handle: (message) => {
        handled.push(message.toString());
        return Promise.resolve({ folder: 'processed' as const });
      },
      logger: pino({ level: 'silent' }),
      retryMs: 200,
    });
    try {
      await reader.drained();
    } finally {
      await reader.stop();
    }
    expect(handled).toHaveLength(1);
    expect(handled[0]).toContain('<r1@entidad.gov.co>');
    // The helper delivers by password; the reader's one login is by token.
    expect(imap.loginMethods()).toEqual(['PLAIN', 'XOAUTH2']);
    expect(await imap.list('Plazos procesados')).toEqual(['<r1@entidad.gov.co>']);
  });

  test('Dovecot refuses a token its authorization server does not vouch for, and one granted another mailbox', async () => {
    const tokens = clientCredentialsTokenSource({ tokenUrl: oauth.tokenUrl, clientId: oauth.clientId, clientSecret: oauth.clientSecret, scope: oauth.scope });
    const good = (await tokens.get()).value;
    const attempt = async (user: string, token: string) => {
      const c = new ImapFlow({ ...imapOptions({ ...settings(), user }, token), connectionTimeout: 10_000 });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.logout();
        return 'in';
      } catch (err) {
        return (err as { authenticationFailed?: boolean }).authenticationFailed ? 'refused' : String(err);
      }
    };
    expect(await attempt(imap.user, good)).toBe('in');
    expect(await attempt(imap.user, 'token-inventado-123')).toBe('refused');
    expect(await attempt('otro-buzon', good)).toBe('refused');
  });

  test('after the server refuses a token, the reader asks for a new one and gets in', async () => {
    await imap.reset();
    await imap.deliver(raw('r2'));
    const base = settings();
    const asked: boolean[] = [];
    const login = base.login as { accessToken(renew: boolean): Promise<string> };
    const imapSettings: ImapSettings = {
      ...base,
      login: { accessToken: (renew) => (asked.push(renew), asked.length === 1 ? Promise.resolve('token-caducado') : login.accessToken(renew)) },
    };
    const handled: string[] = [];
    const reader = startMailboxReader({
      imap: imapSettings,
      folders: { processed: 'Plazos procesados', refused: 'Plazos rechazados' },
      pollMs: 60_000,
      maxMessageBytes: 1024 * 1024,
      handle: (message) => (handled.push(message.toString()), Promise.resolve({ folder: 'processed' as const })),
      logger: pino({ level: 'silent' }),
      retryMs: 200,
    });
    try {
      await reader.drained();
    } finally {
      await reader.stop();
    }
    expect(asked).toEqual([false, true]);
    expect(handled.join('')).toContain('<r2@entidad.gov.co>');
  });
});

describe('the mailbox reader as a Google Workspace service account (a token per mailbox)', () => {
  let oauth: TestOAuthServer;
  let imap: TestImapServer;
  let env: Env;
  beforeAll(async () => {
    const account = makeServiceAccount();
    oauth = await startOAuthServer({ ttlSeconds: 60, serviceAccount: { clientEmail: account.clientEmail, publicJwk: account.publicJwk } });
    // Dovecot lets a token in only as the mailbox the token acts for.
    imap = await startImapServer({
      oauth2: {
        introspectionUrl: oauth.introspectionUrl,
        clientId: oauth.introspectionClient.id,
        clientSecret: oauth.introspectionClient.secret,
        usernameAttribute: 'mailbox',
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'plazos-google-imap-'));
    writeFileSync(join(dir, 'ca.pem'), imap.ca);
    env = parseEnv({
      PLAZOS_MAIL_OAUTH_GOOGLE_KEY_FILE: account.writeKeyFile(dir, oauth.tokenUrl),
      PLAZOS_SMTP_USER: 'plazos',
      PLAZOS_REPLY_MAILBOX: 'respuestas@entidad.gov.co',
      PLAZOS_IMAP_URL: `imaps://${imap.host}:${imap.port}`,
      PLAZOS_IMAP_USER: imap.user,
      PLAZOS_IMAP_CA_FILE: join(dir, 'ca.pem'),
    });
  });
  afterAll(async () => {
    await imap?.stop();
    await oauth?.stop();
  });

  const attempt = async (user: string, token: string) => {
    const c = new ImapFlow({
      ...imapOptions(
        { host: imap.host, port: imap.port, secure: true, user, login: { accessToken: () => Promise.resolve(token) }, ca: imap.ca, servername: 'localhost' },
        token,
      ),
      connectionTimeout: 10_000,
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.logout();
      return 'in';
    } catch (err) {
      return (err as { authenticationFailed?: boolean }).authenticationFailed ? 'refused' : String(err);
    }
  };

  test('reads a reply with the token the settings give PLAZOS_IMAP_USER', async () => {
    await imap.deliver(raw('g1'));
    const { imap: settings } = imapSettings(env, mailTokens(env));
    const handled: string[] = [];
    const reader = startMailboxReader({
      imap: { ...settings, servername: 'localhost' },
      folders: { processed: 'Plazos procesados', refused: 'Plazos rechazados' },
      pollMs: 60_000,
      maxMessageBytes: 1024 * 1024,
      handle: (message) => (handled.push(message.toString()), Promise.resolve({ folder: 'processed' as const })),
      logger: pino({ level: 'silent' }),
      retryMs: 200,
    });
    try {
      await reader.drained();
    } finally {
      await reader.stop();
    }
    expect(handled.join('')).toContain('<g1@entidad.gov.co>');
    expect(imap.loginMethods()).toContain('XOAUTH2');
  });

  test("the reply mailbox's token opens only the reply mailbox, and the sender's token does not open it", async () => {
    const tokens = mailTokens(env)!;
    const replyToken = (await tokens.forMailbox(imap.user).get()).value;
    const senderToken = (await tokens.forMailbox('plazos').get()).value;
    expect(await attempt(imap.user, replyToken)).toBe('in');
    expect(await attempt('otro-buzon', replyToken)).toBe('refused');
    expect(await attempt(imap.user, senderToken)).toBe('refused');
  });
});
