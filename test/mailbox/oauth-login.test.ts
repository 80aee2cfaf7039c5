/**
 * The mailbox reader logs in with an app-only OAuth token, as Microsoft 365 requires: a real
 * Dovecot that takes XOAUTH2 and checks each token with the authorization server that issued it
 * (oidc-provider, by introspection), and a token the reader got by the client-credentials grant.
 */
import { ImapFlow } from 'imapflow';
import pino from 'pino';
import { clientCredentialsTokenSource } from '../../activities/email/oauth-token';
import { imapOptions, startMailboxReader, type ImapSettings } from '../../mailbox/reader';
import { startImapServer, type TestImapServer } from '../helpers/imap';
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
