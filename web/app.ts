/**
 * The web app as a fastify instance built from its dependencies (tests inject requests into it;
 * web/main.ts listens on PORT). Security headers on every response: a CSP with no scripts at
 * all, no referrer (evidence links carry a token), no framing, no sniffing.
 */
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { loadCalendar } from '../config/load-calendar';
import { todayIn, message, type Ctx, type WebDeps } from './context';
import { createLockout } from './lockout';
import { authRoutes } from './routes/auth';
import { dashboardRoutes } from './routes/dashboard';
import { evidenceRoutes } from './routes/evidence';
import { reportRoutes } from './routes/report';
import { deriveKeys } from './tokens';
import { loadViews } from './views';
import { newRequestId, recordCause, requestLogging } from './request-log';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

/** `logger`: where requests and errors go (pino); none in most tests. */
export async function buildApp(deps: WebDeps, options: { logger?: FastifyBaseLogger } = {}): Promise<FastifyInstance> {
  const views = loadViews();
  const ctx: Ctx = {
    ...deps,
    keys: deriveKeys(deps.secret),
    render: views.render,
    // Five failures in 15 minutes lock that user for 15 minutes; twenty lock the address.
    lockout: createLockout({ maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, now: deps.now }),
    ipLockout: createLockout({ maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000, now: deps.now }),
    secureCookies: deps.baseUrl.startsWith('https:'),
    today: () => todayIn(deps.now()),
    loadCalendar: deps.loadCalendar ?? (() => loadCalendar()),
  };
  // Evidence tokens are path parameters of a few hundred characters.
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // requestLogging logs each request by its route pattern: fastify's own lines carry the raw URL.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: newRequestId,
    trustProxy: false, bodyLimit: 64 * 1024, routerOptions: { maxParamLength: 1000 },
  });
  requestLogging(app);
  await app.register(formbody);
  // One file per submission; +1 byte so the store, not busboy's silent truncation, reports "too large".
  await app.register(multipart, { limits: { files: 1, fields: 10, fieldSize: 8 * 1024, fileSize: deps.maxUploadBytes + 1 } });

  app.addHook('onSend', async (_req, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  });
  app.get('/health', async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/static/app.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(views.css));

  evidenceRoutes(app, ctx);
  authRoutes(app, ctx);
  dashboardRoutes(app, ctx);
  reportRoutes(app, ctx);

  app.setNotFoundHandler((_req, reply) => message(ctx, reply, 404, 'Página no encontrada', 'La dirección no existe.'));
  app.setErrorHandler((err, req, reply) => {
    const code = (err as { statusCode?: number }).statusCode ?? 500;
    if (code >= 500) recordCause(req, err);
    if (code === 413) return message(ctx, reply, 413, 'Archivo demasiado grande', `El máximo es ${Math.floor(deps.maxUploadBytes / 1048576)} MB.`);
    if (code >= 400 && code < 500) return message(ctx, reply, code, 'Solicitud no válida', 'La solicitud no se pudo procesar.');
    return message(ctx, reply, 500, 'Error', 'No fue posible completar la solicitud. Intente de nuevo en unos minutos.');
  });
  return app;
}
