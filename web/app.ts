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
import { authRoutes, signedInScope } from './routes/auth';
import { dashboardRoutes } from './routes/dashboard';
import { evidenceRoutes } from './routes/evidence';
import { reportRoutes } from './routes/report';
import { cutRoutes } from './routes/cuts';
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

/** Bytes of a url-encoded form: sign-in and review forms hold a few short fields. */
const BODY_LIMIT = 64 * 1024;

/** `logger`: where requests and errors go (pino); none in most tests. */
export async function buildApp(deps: WebDeps, options: { logger?: FastifyBaseLogger } = {}): Promise<FastifyInstance> {
  const views = loadViews();
  const ctx: Ctx = {
    ...deps,
    keys: deriveKeys(deps.secret),
    render: views.render,
    // Five failures in 15 minutes lock that user for 15 minutes; twenty lock the address.
    lockout: createLockout(deps.records.throttle, { prefix: 'u:', maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, now: deps.now }),
    ipLockout: createLockout(deps.records.throttle, { prefix: 'ip:', maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000, now: deps.now }),
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
    trustProxy: false,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 1000 },
  });
  requestLogging(app);
  // Forms post url-encoded or multipart, nothing else: JSON, XML or plain text is a 415 page, not
  // a body some handler might half-read.
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  // One file per submission; +1 byte so the form, not busboy's silent truncation, reports "too large".
  // preservePath: busboy would quietly cut "../../x.pdf" to "x.pdf"; the form refuses such a name instead.
  await app.register(multipart, {
    preservePath: true,
    limits: { files: 1, fields: 10, fieldSize: 8 * 1024, fileSize: deps.maxUploadBytes + 1, headerPairs: 100 },
  });

  app.addHook('onSend', async (_req, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  });
  // Set before any route or scope is registered: a scope takes the handlers its parent has then.
  app.setNotFoundHandler((_req, reply) => message(ctx, reply, 404, 'Página no encontrada', 'La dirección no existe.'));
  app.setErrorHandler((err, req, reply) => {
    const code = (err as { statusCode?: number }).statusCode ?? 500;
    // A 5xx is logged once the response is out, with its request id (request-log.ts); a refusal at info.
    if (code >= 500) recordCause(req, err);
    else req.log.info({ code: (err as { code?: string }).code, status: code }, 'request refused');
    // A path that names no plan or area that could exist (a params schema said no) is not found.
    if ((err as { validationContext?: string }).validationContext === 'params')
      return message(ctx, reply, 404, 'Página no encontrada', 'La dirección no existe.');
    const [title, text] = refusal(err, code, deps.maxUploadBytes);
    return message(ctx, reply, code >= 400 && code < 500 ? code : 500, title, text);
  });
  app.get('/health', async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/static/app.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(views.css));

  evidenceRoutes(app, ctx);
  authRoutes(app, ctx);
  // Everything OAPLA reads or does, behind one sign-in check (routes/auth.ts).
  await app.register(
    signedInScope(ctx, (scope) => {
      dashboardRoutes(scope, ctx);
      reportRoutes(scope, ctx);
      cutRoutes(scope, ctx);
    }),
  );

  return app;
}

/** The page for a request refused before any handler ran: the form's parser or fastify said no. */
function refusal(err: unknown, status: number, maxUploadBytes: number): [string, string] {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return ['Archivo demasiado grande', `El máximo es ${Math.floor(maxUploadBytes / 1048576)} MB.`];
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return ['Formulario demasiado grande', `El formulario trae más de ${BODY_LIMIT / 1024} KB de texto. Acorte la nota o el enlace e intente de nuevo.`];
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_FILES_LIMIT')
    return ['Formulario no válido', 'El formulario trae más campos o archivos de los que tiene la página. Use el formulario de la página.'];
  if (status === 415 || status === 406)
    return ['Formulario no válido', 'La solicitud no viene de un formulario de esta página (tipo de contenido no aceptado).'];
  if (status === 413) return ['Solicitud demasiado grande', 'La solicitud pasa del tamaño que se acepta.'];
  if (status >= 400 && status < 500) return ['Solicitud no válida', 'La solicitud no se pudo procesar.'];
  return ['Error', 'No fue posible completar la solicitud. Intente de nuevo en unos minutos.'];
}
