/**
 * OAPLA sign-in: users and scrypt hashes from the users file, a session kept on the server (the
 * store's; the cookie holds only a random token: HttpOnly, SameSite=Lax, Secure over https), and a
 * lockout after repeated failures per user and per IP, counted in the store.
 *
 * A session remembers a short hash of the user's password hash: signing out, removing the user
 * from the users file or changing their password ends it on every web app at the next request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getCookie, setCookie } from '../cookies';
import { csrfNonce, formToken, message, page, renewCsrf, type Ctx } from '../context';
import { checkCsrf } from '../tokens';
import { userStamp, verifyPassword } from '../users';

export const SESSION_COOKIE = 'plazos_session';
const SESSION_MS = 8 * 60 * 60 * 1000;

export async function currentUser(ctx: Ctx, req: FastifyRequest): Promise<string | null> {
  const token = getCookie(req, SESSION_COOKIE);
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
      if (!user) return reply.redirect(`/entrar?volver=${encodeURIComponent(req.url)}`, 303);
      req.oaplaUser = user;
    });
    register(scope);
    done();
  };
}

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
function safeReturn(path: unknown): string {
  return typeof path === 'string' && /^\/(?![/\\])[^\s]*$/.test(path) ? path : '/';
}

function loginPage(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, code: number, error?: string, username = '', back = '/') {
  return page(ctx, reply, code, 'login', { title: 'Ingreso de la Oficina Asesora de Planeación', csrf: formToken(ctx, req, reply), error, username, back });
}

export function authRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Querystring: { volver?: string } }>('/entrar', async (req, reply) => loginPage(ctx, req, reply, 200, undefined, '', safeReturn(req.query.volver)));

  app.post<{ Body: Record<string, unknown> }>('/entrar', async (req, reply) => {
    const body = req.body ?? {};
    if (!checkCsrf(ctx.keys.csrf, csrfNonce(req), body._csrf))
      return message(ctx, reply, 403, 'Formulario vencido', 'El formulario venció. Vuelva a la página de ingreso e intente de nuevo.');
    const username = typeof body.usuario === 'string' ? body.usuario.trim().toLowerCase().slice(0, 64) : '';
    const password = typeof body.clave === 'string' ? body.clave.slice(0, 1024) : '';
    const back = safeReturn(body.volver);
    const userKey = `u:${username}`;
    const ipKey = `ip:${req.ip}`;
    const locked = Math.max(await ctx.lockout.lockedFor(userKey), await ctx.ipLockout.lockedFor(ipKey));
    if (locked > 0) {
      return loginPage(ctx, req, reply, 429, `Demasiados intentos fallidos. Espere ${Math.ceil(locked / 60_000)} minutos e intente de nuevo.`, username, back);
    }
    if (!verifyPassword(ctx.users, username, password)) {
      await ctx.lockout.fail(userKey);
      await ctx.ipLockout.fail(ipKey);
      return loginPage(ctx, req, reply, 401, 'Usuario o contraseña incorrectos.', username, back);
    }
    await ctx.lockout.succeed(userKey);
    renewCsrf(ctx, reply);
    const now = ctx.now();
    await ctx.records.sessions.sweep(now);
    const token = await ctx.records.sessions.open({ username, userStamp: userStamp(ctx.users.get(username) ?? ''), expiresAt: now + SESSION_MS });
    setCookie(reply, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secureCookies,
      maxAge: SESSION_MS / 1000,
    });
    return reply.redirect(back, 303);
  });

  app.post<{ Body: Record<string, unknown> }>('/salir', async (req, reply) => {
    if (!checkCsrf(ctx.keys.csrf, csrfNonce(req), req.body?._csrf))
      return message(ctx, reply, 403, 'Formulario vencido', 'Vuelva a cargar la página e intente de nuevo.');
    const token = getCookie(req, SESSION_COOKIE);
    if (token) await ctx.records.sessions.end(token);
    setCookie(reply, SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, maxAge: 0 });
    renewCsrf(ctx, reply);
    return reply.redirect('/entrar', 303);
  });
}
