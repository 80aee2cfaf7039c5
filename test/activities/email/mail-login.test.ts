/**
 * Logging in to the relay with an OAuth token: nodemailer speaks SASL XOAUTH2 to a real SMTP
 * server (npm smtp-server) that checks each token with the authorization server that issued it
 * (oidc-provider's RFC 7662 introspection), as Microsoft 365 checks its own tokens. And the
 * settings: all four PLAZOS_MAIL_OAUTH_* or none, the secret from its file and in no message.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { mailOAuthSettings, mailTokens, smtpOAuthLogin } from '../../../activities/email/mail-login';
import { createSmtpTransport } from '../../../activities/email/transport';
import { clientCredentialsTokenSource } from '../../../activities/email/oauth-token';
import { ConfigError, parseEnv } from '../../../config/schema';
import { imapSettings } from '../../../workers/mailbox';
import { startOAuthServer, type TestOAuthServer } from '../../helpers/oauth-server';
import { testWorkerDeps } from '../../helpers/worker-deps';

interface Login {
  user: string;
  token: string;
  accepted: boolean;
}

/** An SMTP server that takes only XOAUTH2, and only tokens the authorization server calls active. */
async function startXOAuth2Relay(server: TestOAuthServer, opts: { refuseFirst?: boolean } = {}) {
  const logins: Login[] = [];
  const received: string[] = [];
  const relay = new SMTPServer({
    authMethods: ['XOAUTH2'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      void (async () => {
        const answer = await fetch(server.introspectionUrl, {
          method: 'POST',
          body: new URLSearchParams({ token: auth.accessToken ?? '', client_id: server.clientId, client_secret: server.clientSecret }),
        });
        const { active } = (await answer.json()) as { active: boolean };
        const accepted = active && auth.username === 'plazos@entidad.gov.co' && !(opts.refuseFirst && logins.length === 0);
        logins.push({ user: auth.username ?? '', token: auth.accessToken ?? '', accepted });
        if (accepted) callback(null, { user: auth.username });
        else callback(null, { data: { status: '401', schemes: 'bearer', scope: server.scope } });
      })();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, logins, received, close: () => new Promise<void>((r) => relay.close(() => r())) };
}

const message = { from: 'plazos@entidad.gov.co', to: 'arcom@entidad.gov.co', subject: 'Recordatorio', text: 'Faltan cinco días hábiles.' };

describe('sending mail with an OAuth token (XOAUTH2)', () => {
  let server: TestOAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer({ ttlSeconds: 60 });
  });
  afterAll(() => server.stop());

  const login = () => ({
    user: 'plazos@entidad.gov.co',
    tokens: clientCredentialsTokenSource({ tokenUrl: server.tokenUrl, clientId: server.clientId, clientSecret: server.clientSecret, scope: server.scope }),
  });

  test.each([false, true])('the relay gets a token its authorization server vouches for, and the message (pool: %s)', async (pool) => {
    const relay = await startXOAuth2Relay(server);
    const transport = createSmtpTransport(relay.url, { pool, oauth: login() });
    try {
      await transport.sendMail(message);
      await transport.sendMail(message);
      expect(relay.received).toHaveLength(2);
      expect(relay.logins.length).toBeGreaterThanOrEqual(1);
      expect(relay.logins.every((l) => l.accepted && l.user === 'plazos@entidad.gov.co')).toBe(true);
      // Both logins (or the one pooled login) used the same kept token.
      expect(new Set(relay.logins.map((l) => l.token)).size).toBe(1);
    } finally {
      transport.close();
      await relay.close();
    }
  });

  test("the worker's pooled transport (workers/deps.ts) sends by token when given the OAuth login", async () => {
    const relay = await startXOAuth2Relay(server);
    const deps = testWorkerDeps(relay.url, mkdtempSync(join(tmpdir(), 'plazos-oauth-deps-')), { pool: true, smtpOAuth: login() });
    try {
      await deps.transport.sendMail(message);
      expect(relay.received).toHaveLength(1);
      expect(relay.logins.map((l) => l.accepted)).toEqual([true]);
    } finally {
      deps.close();
      await relay.close();
    }
  });

  test('a token the relay refuses is replaced by a new one and the message still goes', async () => {
    const relay = await startXOAuth2Relay(server, { refuseFirst: true });
    const transport = createSmtpTransport(relay.url, { oauth: login() });
    try {
      await transport.sendMail(message);
      expect(relay.logins.map((l) => l.accepted)).toEqual([false, true]);
      expect(relay.logins[1]!.token).not.toBe(relay.logins[0]!.token);
      expect(relay.received).toHaveLength(1);
    } finally {
      transport.close();
      await relay.close();
    }
  });
});

describe('the mail login settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plazos-oauth-'));
  const secretFile = join(dir, 'client-secret');
  writeFileSync(secretFile, 'secreto-del-archivo-5521\n');
  const oauthEnv = {
    PLAZOS_MAIL_OAUTH_TOKEN_URL: 'https://login.microsoftonline.com/inquilino/oauth2/v2.0/token',
    PLAZOS_MAIL_OAUTH_CLIENT_ID: '00000000-aaaa-bbbb-cccc-000000000000',
    PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: secretFile,
    PLAZOS_MAIL_OAUTH_SCOPE: 'https://outlook.office365.com/.default',
  };
  const imapEnv = {
    PLAZOS_REPLY_MAILBOX: 'respuestas@entidad.gov.co',
    PLAZOS_IMAP_URL: 'imaps://outlook.office365.com:993',
    PLAZOS_IMAP_USER: 'respuestas@entidad.gov.co',
  };

  test('without any PLAZOS_MAIL_OAUTH_* the logins stay by password', () => {
    const env = parseEnv({ ...imapEnv, PLAZOS_IMAP_PASSWORD: 'clave' });
    expect(mailOAuthSettings(env)).toBeUndefined();
    expect(smtpOAuthLogin(env, mailTokens(env))).toBeUndefined();
    expect(imapSettings(env).imap.login).toEqual({ password: 'clave' });
  });

  test('an empty IMAP password file (compose mounts /dev/null when .env names none) is refused by name, not sent as an empty password', () => {
    const env = parseEnv({ ...imapEnv, PLAZOS_IMAP_PASSWORD_FILE: '/dev/null' });
    expect(() => imapSettings(env)).toThrow(/PLAZOS_IMAP_PASSWORD_FILE: \/dev\/null está vacío/);
    // A reader that logs in by token never reads it.
    expect(
      'accessToken' in
        imapSettings(parseEnv({ ...oauthEnv, ...imapEnv, PLAZOS_IMAP_PASSWORD_FILE: '/dev/null' }), mailTokens(parseEnv({ ...oauthEnv }))).imap.login,
    ).toBe(true);
  });

  test('Microsoft 365 settings: the secret comes from its file, IMAP needs no password, SMTP logs in as PLAZOS_SMTP_USER', () => {
    const env = parseEnv({ ...oauthEnv, ...imapEnv, PLAZOS_SMTP_URL: 'smtp://smtp.office365.com:587', PLAZOS_SMTP_USER: 'plazos@entidad.gov.co' });
    expect(mailOAuthSettings(env)).toEqual({
      kind: 'client-credentials',
      client: {
        tokenUrl: oauthEnv.PLAZOS_MAIL_OAUTH_TOKEN_URL,
        clientId: oauthEnv.PLAZOS_MAIL_OAUTH_CLIENT_ID,
        clientSecret: 'secreto-del-archivo-5521',
        scope: oauthEnv.PLAZOS_MAIL_OAUTH_SCOPE,
      },
    });
    const tokens = mailTokens(env)!;
    expect('accessToken' in imapSettings(env, tokens).imap.login).toBe(true);
    expect(smtpOAuthLogin(env, tokens)?.user).toBe('plazos@entidad.gov.co');
    // An app-only token is the same whichever mailbox it logs in as.
    expect(smtpOAuthLogin(env, tokens)?.tokens).toBe(tokens.forMailbox('respuestas@entidad.gov.co'));
  });

  test('a partial configuration names every missing setting, and no message carries the secret', () => {
    const partial = parseEnv({ PLAZOS_MAIL_OAUTH_TOKEN_URL: oauthEnv.PLAZOS_MAIL_OAUTH_TOKEN_URL, PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: secretFile });
    expect(() => mailOAuthSettings(partial)).toThrow(ConfigError);
    expect(() => mailOAuthSettings(partial)).toThrow(/PLAZOS_MAIL_OAUTH_CLIENT_ID: falta[\s\S]*PLAZOS_MAIL_OAUTH_SCOPE: falta/);
    expect(() => mailOAuthSettings(partial)).not.toThrow(/secreto-del-archivo/);
    const unreadable = parseEnv({ ...oauthEnv, PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: join(dir, 'no-existe') });
    expect(() => mailOAuthSettings(unreadable)).toThrow(/PLAZOS_MAIL_OAUTH_CLIENT_SECRET_FILE: no se pudo leer \(ENOENT\)/);
    const noUser = parseEnv({ ...oauthEnv, PLAZOS_SMTP_URL: 'smtp://smtp.office365.com:587' });
    expect(() => smtpOAuthLogin(noUser, mailTokens(noUser))).toThrow(/PLAZOS_SMTP_USER: falta/);
    const withPassword = parseEnv({ ...oauthEnv, PLAZOS_SMTP_URL: 'smtp://yo:clave@smtp.office365.com:587', PLAZOS_SMTP_USER: 'plazos@entidad.gov.co' });
    expect(() => smtpOAuthLogin(withPassword, mailTokens(withPassword))).toThrow(/PLAZOS_SMTP_URL: sin usuario ni clave/);
  });

  test('a token endpoint over plain http is refused unless it is on this machine', () => {
    expect(() => parseEnv({ ...oauthEnv, PLAZOS_MAIL_OAUTH_TOKEN_URL: 'http://login.example.org/token' })).toThrow(
      /PLAZOS_MAIL_OAUTH_TOKEN_URL debe ser https/,
    );
    expect(parseEnv({ ...oauthEnv, PLAZOS_MAIL_OAUTH_TOKEN_URL: 'http://127.0.0.1:8080/token' }).PLAZOS_MAIL_OAUTH_TOKEN_URL).toBe(
      'http://127.0.0.1:8080/token',
    );
  });
});
