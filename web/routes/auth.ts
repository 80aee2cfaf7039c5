/**
 * Sign-in to the dashboard, two ways, both ending in a session kept on the server (the store's; the
 * cookie holds only a random token: HttpOnly, SameSite=Lax, Secure over https) that holds a Viewer:
 *
 *  - the users file (OAPLA's people, and the break-glass account when the provider is down): scrypt
 *    hashes, growing waits after failed attempts (signin-throttle.ts), counted in the store. The
 *    session remembers a short hash of the user's password hash: removing the user or changing their
 *    password ends it on every web app at the next request;
 *  - the entity's account (OpenID Connect, oidc.ts), when configured: the roles come from the id
 *    token's claims (roles.ts); a person with none gets no session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { message, page, type Ctx } from '../context';
import { SIGN_IN_BODY } from '../route-schemas';
import { formToken, renewCsrf } from '../forms';
import { accountName, OidcRefusal, type PendingSignIn } from '../oidc';
import { rolesFromClaims } from '../roles';
import type { Attempt } from '../signin-throttle';
import { userStamp, verifyPassword } from '../users';
import { actsOnDashboard, hasAnyRole, OAPLA_ROLES, readsDashboard, type Viewer } from '../viewer';

export const SESSION_COOKIE = 'plazos_session';
/** Signed by @fastify/cookie: the user this browser signed in as before (signin-throttle.ts). */
export const DEVICE_COOKIE = 'plazos_device';
/** Signed by @fastify/cookie: state, nonce and PKCE verifier of a sign-in under way at the provider. */
export const OIDC_COOKIE = 'plazos_oidc';
const OIDC_PATH = '/entrar/oidc';
export const OIDC_CALLBACK = `${OIDC_PATH}/callback`;
const SESSION_MS = 8 * 60 * 60 * 1000;
const DEVICE_MS = 180 * 24 * 60 * 60 * 1000;
/** Long enough to type a password and a second factor at the provider. */
const OIDC_PENDING_MS = 10 * 60 * 1000;
/**
 * The user stamp of a session opened with the entity's account: not a hash of a password hash (16
 * hex digits), so such a session is never checked against the users file.
 */
const OIDC_STAMP = 'oidc';

/** The answer for a request, asked once: the request bound and the dashboard's scope both ask it. */
const asked = new WeakMap<FastifyRequest, Promise<Viewer | null>>();

export function currentViewer(ctx: Ctx, req: FastifyRequest): Promise<Viewer | null> {
  let answer = asked.get(req);
  if (!answer) {
    answer = sessionUser(ctx, req);
    asked.set(req, answer);
  }
  return answer;
}

async function sessionUser(ctx: Ctx, req: FastifyRequest): Promise<Viewer | null> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await ctx.records.sessions.find(token, ctx.now());
  if (!session) return null;
  if (session.userStamp === OIDC_STAMP) return session.roles && hasAnyRole(session.roles) ? { username: session.username, roles: session.roles } : null;
  const hash = ctx.users.get(session.username);
  if (hash === undefined || userStamp(hash) !== session.userStamp) {
    // Removed, or a new password: every session of theirs ends, on every web app.
    await ctx.records.sessions.endUser(session.username);
    return null;
  }
  // The users file holds OAPLA's people only.
  return { username: session.username, roles: OAPLA_ROLES };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The name of the signed-in viewer, set by a signed-in scope's hook (signedInScope). */
    oaplaUser: string;
    /** Who is signed in, set by a signed-in scope's hook; null outside those scopes. */
    viewer: Viewer | null;
  }
}

/** Who may read a scope's pages and who may send its forms, and what the others are told. */
export interface ScopeAccess {
  reads(viewer: Viewer): boolean;
  writes(viewer: Viewer): boolean;
  /** The 403 page's title and text for a viewer who may not read. */
  refusal(viewer: Viewer): { title: string; text: string };
  /** Where a viewer who may not read the scope's home (`/`) goes instead, if anywhere. */
  elsewhere?(viewer: Viewer): string | null;
}

/** OAPLA's dashboard: OAPLA and Control Interno read it, only OAPLA changes anything. */
export const DASHBOARD_ACCESS: ScopeAccess = {
  reads: readsDashboard,
  writes: actsOnDashboard,
  refusal: (viewer) => ({
    title: 'Página de la Oficina Asesora de Planeación',
    text: `Su cuenta tiene el rol de un área (${viewer.roles.areas.join(', ')}). Estas páginas son de la Oficina Asesora de Planeación y de Control Interno; lo que debe su área está en "Mis entregables" (${LEAD_HOME}).`,
  }),
  // An area lead who signs in lands on their own page, not on a refusal.
  elsewhere: (viewer) => (viewer.roles.areas.length > 0 ? LEAD_HOME : null),
};

/** The area lead's page (routes/lead.ts). */
export const LEAD_HOME = '/entregables';

/**
 * A lead's pages: every viewer with a role reads them (OAPLA and Control Interno see every area);
 * leads hand in evidence for their areas and OAPLA for any; Control Interno changes nothing.
 */
export const LEAD_ACCESS: ScopeAccess = {
  reads: (viewer) => hasAnyRole(viewer.roles),
  writes: (viewer) => viewer.roles.oapla || viewer.roles.areas.length > 0,
  refusal: () => ({ title: 'Sin acceso', text: 'Su cuenta no tiene un rol en plazos.' }),
};

/**
 * Routes registered inside one scope whose onRequest hook lets through only a signed-in viewer who
 * may read them (others go to the sign-in page, and back afterwards), and lets only those who may
 * write send anything else than GET: the others are refused before the form is even read. A handler
 * reads `req.viewer` / `req.oaplaUser` and never checks the session itself.
 */
export function signedInScope(ctx: Ctx, register: (scope: FastifyInstance) => void, access: ScopeAccess = DASHBOARD_ACCESS) {
  return (scope: FastifyInstance, _opts: unknown, done: () => void): void => {
    scope.addHook('onRequest', async (req, reply) => {
      const viewer = await currentViewer(ctx, req);
      if (!viewer) return reply.redirect(`/entrar?volver=${encodeURIComponent(safeReturn(req.url))}`, 303);
      // Set first: every page, refusals included, draws the navigation this viewer may use.
      req.viewer = viewer;
      if (!access.reads(viewer)) {
        const elsewhere = req.url === '/' && req.method === 'GET' ? access.elsewhere?.(viewer) : null;
        if (elsewhere) return reply.redirect(elsewhere, 303);
        const { title, text } = access.refusal(viewer);
        return page(ctx, reply, 403, 'message', { title, text, user: viewer.username });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD' && !access.writes(viewer))
        return page(ctx, reply, 403, 'message', {
          title: 'Solo consulta',
          text: 'Su cuenta puede consultar estas páginas pero no hacer cambios (rol de Control Interno). Si hace falta este cambio, pídalo a la Oficina Asesora de Planeación.',
          user: viewer.username,
        });
      req.oaplaUser = viewer.username;
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
  return page(ctx, reply, code, 'login', {
    title: 'Ingreso de la Oficina Asesora de Planeación',
    csrf: formToken(reply),
    error,
    username,
    back,
    oidc: Boolean(ctx.oidc),
    // Percent-encoded here: the template would escape "=" and "&" of a raw query as HTML entities.
    oidcBack: encodeURIComponent(back),
  });
}

async function openSession(ctx: Ctx, reply: FastifyReply, session: { username: string; userStamp: string; roles: Viewer['roles']; idToken?: string }) {
  const now = ctx.now();
  await ctx.records.sessions.sweep(now);
  const token = await ctx.records.sessions.open({ ...session, expiresAt: now + SESSION_MS });
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, maxAge: SESSION_MS / 1000 });
}

const OIDC_REFUSALS: Record<OidcRefusal['kind'], [number, string, string]> = {
  cancelled: [403, 'Ingreso cancelado', 'No se completó el ingreso con la cuenta de la entidad. Puede intentarlo de nuevo desde la página de ingreso.'],
  unconfirmed: [
    400,
    'No se pudo confirmar su identidad',
    'La respuesta del proveedor de identidad no se pudo verificar (vencida, alterada o de otro ingreso). No se abrió ninguna sesión. Vuelva a la página de ingreso e intente de nuevo.',
  ],
  unavailable: [502, 'El proveedor de identidad no respondió', 'No fue posible confirmar su identidad en este momento. Intente de nuevo en unos minutos.'],
};

function pendingFrom(ctx: Ctx, req: FastifyRequest): PendingSignIn | null {
  const cookie = req.unsignCookie(req.cookies[OIDC_COOKIE] ?? '');
  if (!cookie.valid || !cookie.value) return null;
  try {
    const p = JSON.parse(cookie.value) as Partial<PendingSignIn>;
    if (typeof p.state !== 'string' || typeof p.nonce !== 'string' || typeof p.verifier !== 'string' || typeof p.startedAt !== 'number') return null;
    if (ctx.now() - p.startedAt > OIDC_PENDING_MS || p.startedAt > ctx.now() + 60_000) return null;
    return { state: p.state, nonce: p.nonce, verifier: p.verifier, startedAt: p.startedAt, back: safeReturn(p.back) };
  } catch {
    return null;
  }
}

function oidcRoutes(app: FastifyInstance, ctx: Ctx): void {
  const oidc = ctx.oidc;
  if (!oidc) return;
  const cookieOptions = { path: OIDC_PATH, httpOnly: true, sameSite: 'lax' as const, secure: ctx.secureCookies };

  app.get<{ Querystring: { volver?: string } }>(OIDC_PATH, async (req, reply) => {
    const { url, pending } = await oidc.begin(safeReturn(req.query.volver), ctx.now());
    // Lax, not Strict: the provider sends the browser back with a top-level GET from its own site.
    reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), { ...cookieOptions, signed: true, maxAge: OIDC_PENDING_MS / 1000 });
    return reply.redirect(url, 303);
  });

  app.get(OIDC_CALLBACK, async (req, reply) => {
    const pending = pendingFrom(ctx, req);
    // Spent whatever the outcome: a code or state is good for one return.
    reply.clearCookie(OIDC_COOKIE, cookieOptions);
    if (!pending)
      return message(
        ctx,
        reply,
        400,
        'El ingreso venció',
        'Este ingreso no empezó en este navegador o tardó más de 10 minutos. Vuelva a la página de ingreso y elija "Entrar con la cuenta de la entidad".',
      );
    const query = req.url.indexOf('?');
    const callbackUrl = new URL(`${ctx.baseUrl}${OIDC_CALLBACK}${query >= 0 ? req.url.slice(query) : ''}`);
    let account;
    try {
      account = await oidc.finish(callbackUrl, pending);
    } catch (err) {
      if (!(err instanceof OidcRefusal)) throw err;
      req.log.info({ kind: err.kind, detail: err.detail }, 'oidc sign-in refused');
      const [code, title, text] = OIDC_REFUSALS[err.kind];
      return message(ctx, reply, code, title, text);
    }
    const username = accountName(account.claims);
    const map = oidc.roles();
    const roles = rolesFromClaims(map, account.claims);
    if (!hasAnyRole(roles)) {
      req.log.info({ claim: map.claim }, 'oidc sign-in without a role');
      return message(
        ctx,
        reply,
        403,
        'Su cuenta no tiene un rol en plazos',
        `Su cuenta no tiene un rol en plazos (${username}). Pida a la Oficina Asesora de Planeación que le asigne uno en el directorio de la entidad; después vuelva a ingresar.`,
      );
    }
    await openSession(ctx, reply, { username, userStamp: OIDC_STAMP, roles, idToken: account.idToken });
    return reply.redirect(pending.back, 303);
  });
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s === 1 ? '1 segundo' : `${s} segundos`;
}

export function authRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Querystring: { volver?: string } }>('/entrar', async (req, reply) => loginPage(reply, ctx, 200, undefined, '', safeReturn(req.query.volver)));

  // The form's token was checked before this runs (forms.ts); it is spent whatever the outcome,
  // so each attempt needs the page the last one returned.
  app.post<{ Body: { usuario?: string; clave?: string; volver?: string } }>('/entrar', { schema: { body: SIGN_IN_BODY } }, async (req, reply) => {
    renewCsrf(reply);
    const body = req.body ?? {};
    const username = (body.usuario ?? '').trim().toLowerCase().slice(0, 64);
    const password = (body.clave ?? '').slice(0, 1024);
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
    await openSession(ctx, reply, { username, userStamp: userStamp(ctx.users.get(username) ?? ''), roles: OAPLA_ROLES });
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

  oidcRoutes(app, ctx);

  app.post('/salir', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await ctx.records.sessions.find(token, ctx.now()) : null;
    if (token) await ctx.records.sessions.end(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies });
    renewCsrf(reply);
    // Signed in with the entity's account: out of the provider too, or the next "Entrar" signs straight back in.
    const atProvider = session?.idToken && ctx.oidc ? ctx.oidc.endSessionUrl(session.idToken) : null;
    return reply.redirect(atProvider ?? '/entrar', 303);
  });
}
