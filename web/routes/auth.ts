/**
 * OAPLA sign-in: users and scrypt hashes from the users file, a session kept on the server (the
 * store's; the cookie holds only a random token: HttpOnly, SameSite=Lax, Secure over https), and
 * growing waits after failed attempts (signin-throttle.ts), counted in the store.
 *
 * A session remembers a short hash of the user's password hash: signing out, removing the user
 * from the users file or changing their password ends it on every web app at the next request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { page, type Ctx } from '../context';
import { formToken, renewCsrf } from '../forms';
import type { Attempt } from '../signin-throttle';
import { userStamp, verifyPassword } from '../users';

export const SESSION_COOKIE = 'plazos_session';
/** Signed by @fastify/cookie: the user this browser signed in as before (signin-throttle.ts). */
export const DEVICE_COOKIE = 'plazos_device';
const SESSION_MS = 8 * 60 * 60 * 1000;
const DEVICE_MS = 180 * 24 * 60 * 60 * 1000;

/** The answer for a request, asked once: the request bound and the dashboard's scope both ask it. */
const asked = new WeakMap<FastifyRequest, Promise<string | null>>();

export function currentUser(ctx: Ctx, req: FastifyRequest): Promise<string | null> {
  let answer = asked.get(req);
  if (!answer) {
    answer = sessionUser(ctx, req);
    asked.set(req, answer);
  }
  return answer;
}

async function sessionUser(ctx: Ctx, req: FastifyRequest): Promise<string | null> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await ctx.records.sessions.find(token, ctx.now());
  if (!session) return null;
  const hash = ctx.users.get(session.username);
  if (hash === undefined || userStamp(hash) !== session.userStamp) {
    // Removed, or a new password: every session of theirs ends, on every web app.
    await ctx.records.sessions.endUser(session.username);
    return null;
  }
  return session.username;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in OAPLA user, set by the dashboard scope's sign-in hook (signedInScope). */
    oaplaUser: string;
  }
}

/**
 * The dashboard's routes, registered inside one scope whose onRequest hook lets only a signed-in
 * OAPLA user through (others go to the sign-in page, and back afterwards): a handler reads
 * `req.oaplaUser` and never checks the session itself.
 */
export function signedInScope(ctx: Ctx, register: (scope: FastifyInstance) => void) {
  return (scope: FastifyInstance, _opts: unknown, done: () => void): void => {
    scope.decorateRequest('oaplaUser', '');
    scope.addHook('onRequest', async (req, reply) => {
      const user = await currentUser(ctx, req);
      if (!user) return reply.redirect(`/entrar?volver=${encodeURIComponent(safeReturn(req.url))}`, 303);
      req.oaplaUser = user;
    });
    register(scope);
    done();
  };
}

/**
 * Only same-site paths, in printable ASCII: an open redirect after sign-in would be a phishing aid,
 * and a control or non-ASCII character cannot go into a Location header at all.
 */
export function safeReturn(path: unknown): string {
  return typeof path === 'string' && path.length <= 2048 && /^\/(?![/\\])[\x21-\x7e]*$/.test(path) ? path : '/';
}

function loginPage(reply: FastifyReply, ctx: Ctx, code: number, error?: string, username = '', back = '/') {
  return page(ctx, reply, code, 'login', { title: 'Ingreso de la Oficina Asesora de Planeación', csrf: formToken(reply), error, username, back });
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s === 1 ? '1 segundo' : `${s} segundos`;
}

export function authRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Querystring: { volver?: string } }>('/entrar', async (req, reply) => loginPage(reply, ctx, 200, undefined, '', safeReturn(req.query.volver)));

  // The form's token was checked before this runs (forms.ts); it is spent whatever the outcome,
  // so each attempt needs the page the last one returned.
  app.post<{ Body: Record<string, unknown> }>('/entrar', async (req, reply) => {
    renewCsrf(reply);
    const body = req.body ?? {};
    const username = typeof body.usuario === 'string' ? body.usuario.trim().toLowerCase().slice(0, 64) : '';
    const password = typeof body.clave === 'string' ? body.clave.slice(0, 1024) : '';
    const back = safeReturn(body.volver);
    const device = req.unsignCookie(req.cookies[DEVICE_COOKIE] ?? '');
    const attempt: Attempt = { user: username, address: req.ip, knownDevice: device.valid && device.value === username };
    const wait = await ctx.signIn.waitFor(attempt);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return loginPage(reply, ctx, 429, `Demasiados intentos fallidos. Espere ${seconds(wait)} e intente de nuevo.`, username, back);
    }
    if (!verifyPassword(ctx.users, username, password)) {
      const next = await ctx.signIn.failed(attempt);
      const error = next > 0 ? `Usuario o contraseña incorrectos. Espere ${seconds(next)} antes de intentar de nuevo.` : 'Usuario o contraseña incorrectos.';
      return loginPage(reply, ctx, 401, error, username, back);
    }
    await ctx.signIn.succeeded(attempt);
    const now = ctx.now();
    await ctx.records.sessions.sweep(now);
    const token = await ctx.records.sessions.open({ username, userStamp: userStamp(ctx.users.get(username) ?? ''), expiresAt: now + SESSION_MS });
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, maxAge: SESSION_MS / 1000 });
    reply.setCookie(DEVICE_COOKIE, username, {
      path: '/entrar',
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secureCookies,
      signed: true,
      maxAge: DEVICE_MS / 1000,
    });
    return reply.redirect(back, 303);
  });

  app.post('/salir', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await ctx.records.sessions.end(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies });
    renewCsrf(reply);
    return reply.redirect('/entrar', 303);
  });
}
