/**
 * The web app as a fastify instance built from its dependencies (tests inject requests into it;
 * web/main.ts listens on PORT). What every route shares is registered here once, as fastify's own
 * plugins: cookies (@fastify/cookie), the CSRF check of every form (forms.ts over
 * @fastify/csrf-protection), security headers (headers.ts over @fastify/helmet), and a bound on
 * requests per address (@fastify/rate-limit, counted in the store). Every error, fastify's own
 * included, is one of our Spanish pages with those headers.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Socket } from 'node:net';
import { createWriteGate, WRITE_BOUNDS } from '../client/write-gate';
import { loadCalendar } from '../config/load-calendar';
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { todayIn, message, type Ctx, type WebDeps, type WebLimits } from './context';
import { registerForms } from './forms';
import { helmetOptions, staticSecurityHeaders } from './headers';
import { healthRoute } from './health';
import { deriveKeys } from './keys';
import { actsOnDashboard } from './viewer';
import { leadRoutes } from './routes/lead';
import { throttleStore } from './rate-limit-store';
import { authRoutes, currentViewer, LEAD_ACCESS, signedInScope } from './routes/auth';
import { dashboardRoutes } from './routes/dashboard';
import { evidenceRoutes } from './routes/evidence';
import { reportRoutes } from './routes/report';
import { cutRoutes } from './routes/cuts';
import { calendarFeedRoutes } from './routes/calendar-feed';
import { calendarFeedAdminRoutes } from './routes/calendar-feeds';
import { createSignInThrottle, SIGN_IN_BOUNDS } from './signin-throttle';
import { loadViews, type Render } from './views';
import { newRequestId, recordCause, requestLogging } from './request-log';

/** Bytes of a url-encoded form: sign-in and review forms hold a few short fields. */
const BODY_LIMIT = 64 * 1024;

/**
 * 600 requests a minute from one address: an office behind one NAT browsing the dashboard stays far
 * below it; a script hammering the app does not.
 */
export const REQUEST_LIMIT = { max: 600, windowMs: 60_000 };

export interface AppOptions {
  /** Where requests and errors go (pino); none in most tests. */
  logger?: FastifyBaseLogger;
  /**
   * The reverse proxies whose X-Forwarded-For is believed (addresses, CIDRs, or proxy-addr's names
   * such as `loopback`): PLAZOS_TRUST_PROXY. Without it the client is the socket's address.
   */
  trustProxy?: readonly string[];
}

export async function buildApp(deps: WebDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const views = loadViews();
  const limits: WebLimits = { signIn: SIGN_IN_BOUNDS, writes: WRITE_BOUNDS, requests: REQUEST_LIMIT, ...deps.limits };
  const secure = deps.baseUrl.startsWith('https:');
  const ctx: Ctx = {
    ...deps,
    keys: deriveKeys(deps.secret),
    render: views.render,
    signIn: createSignInThrottle(deps.records.throttle, { now: deps.now, bounds: limits.signIn }),
    writeGate: createWriteGate(deps.records.throttle, {
      now: deps.now,
      bounds: limits.writes,
      // The store's one-line error (StoreUnavailableError) names the setting, never a credential.
      onStoreError: (err) =>
        options.logger
          ? options.logger.warn({ err: String(err) }, 'link writes not counted: the store did not answer')
          : process.stderr.write(`plazos web: no se pudieron contar los envíos por enlace: ${String(err)}\n`),
    }),
    secureCookies: secure,
    today: () => todayIn(deps.now()),
    loadCalendar: deps.loadCalendar ?? (() => loadCalendar()),
    loadAreas: deps.loadAreas ?? (() => loadAreasFile(resolveAreasPath())),
  };
  const headers = staticSecurityHeaders(secure);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // requestLogging logs each request by its route pattern: fastify's own lines carry the raw URL.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: newRequestId,
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? [...options.trustProxy] : false,
    bodyLimit: BODY_LIMIT,
    // Evidence tokens are path parameters of a few hundred characters.
    routerOptions: { maxParamLength: 1000 },
    // A URL fastify cannot decode or a path parameter past the limit is answered before any hook.
    frameworkErrors: (err, req, reply) => {
      req.log.info({ code: err.code, status: err.statusCode }, 'request refused');
      const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
      const [title, text] = status === 414 ? ['Dirección demasiado larga', 'La dirección pasa del largo que se acepta.'] : BAD_REQUEST;
      void (reply as FastifyReply)
        .headers(headers)
        .header('cache-control', 'no-store')
        .code(status)
        .type('text/html; charset=utf-8')
        .send(views.render('message', { title, text }));
    },
    // Node's parser refused the request (a malformed line or header): the same page, without fastify.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => clientError(err, socket, views.render, headers),
  });
  requestLogging(app);
  await app.register(helmet, helmetOptions(secure, deps.oidc?.endSessionOrigin ? [deps.oidc.endSessionOrigin] : []));
  await app.register(cookie, { secret: ctx.keys.cookies });
  await registerForms(app, { secure });
  await app.register(rateLimit, {
    max: limits.requests.max,
    timeWindow: limits.requests.windowMs,
    store: throttleStore({ throttle: deps.records.throttle, now: deps.now }),
    // A store that cannot be reached does not take the site down; sign-in and link writes have their own bounds.
    skipOnError: true,
    // OAPLA's own actions always get through: a signed-in OAPLA user is not counted against the
    // address (behind the entity's NAT it is everyone's). Everyone else signed in (Control Interno,
    // area leads: many people) is counted like anyone. Sign-in and link writes have their own bounds.
    allowList: async (req) => {
      const viewer = await currentViewer(ctx, req);
      return viewer !== null && actsOnDashboard(viewer);
    },
    errorResponseBuilder: (_req, context) =>
      Object.assign(new Error('too many requests'), { statusCode: 429, code: 'PLAZOS_RATE_LIMIT', retryAfterMs: context.ttl }),
  });
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

  // Every page is someone's (the dashboard) or reached by a link that is a credential (evidence):
  // no cache, shared or private, keeps one. The stylesheet says its own.
  app.addHook('onSend', async (_req, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  // Set before any route or scope is registered: a scope takes the handlers its parent has then.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (_req, reply) => message(ctx, reply, 404, 'Página no encontrada', 'La dirección no existe.'));
  app.setErrorHandler((err, req, reply) => {
    const code = (err as { statusCode?: number }).statusCode ?? 500;
    // A 5xx is logged once the response is out, with its request id (request-log.ts); a refusal at info.
    if (code >= 500) recordCause(req, err);
    else req.log.info({ code: (err as { code?: string }).code, status: code }, 'request refused');
    // A path that names no plan or area that could exist (a params schema said no) is not found.
    if ((err as { validationContext?: string }).validationContext === 'params')
      return message(ctx, reply, 404, 'Página no encontrada', 'La dirección no existe.');
    const [title, text] = refusal(err, code, deps.maxUploadBytes, reply);
    return message(ctx, reply, code >= 400 && code < 500 ? code : 500, title, text);
  });
  healthRoute(app, ctx);
  app.get('/static/app.css', { config: { rateLimit: false } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(views.css),
  );

  // Set by a signed-in scope's hook (routes/auth.ts); declared here so every page can read them.
  app.decorateRequest('oaplaUser', '');
  app.decorateRequest('viewer', null);
  evidenceRoutes(app, ctx);
  calendarFeedRoutes(app, ctx);
  authRoutes(app, ctx);
  // Everything OAPLA reads or does, behind one sign-in check (routes/auth.ts).
  await app.register(
    signedInScope(ctx, (scope) => {
      dashboardRoutes(scope, ctx);
      reportRoutes(scope, ctx);
      cutRoutes(scope, ctx);
      calendarFeedAdminRoutes(scope, ctx);
    }),
  );
  // An area lead's own pages: every signed-in role reads them, and leads hand in from them.
  await app.register(signedInScope(ctx, (scope) => leadRoutes(scope, ctx), LEAD_ACCESS));

  return app;
}

const BAD_REQUEST: [string, string] = ['Solicitud no válida', 'La solicitud no se pudo procesar. Vuelva a la página anterior e intente de nuevo.'];

/** The page for a request refused before any handler ran: a plugin, the form's parser or fastify said no. */
function refusal(err: unknown, status: number, maxUploadBytes: number, reply: FastifyReply): [string, string] {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET')
    return [
      'Formulario vencido',
      'El formulario venció o no viene de esta página. Vuelva a cargar la página (o a abrir el enlace del correo) e intente de nuevo.',
    ];
  if (code === 'PLAZOS_RATE_LIMIT') {
    const seconds = Math.max(1, Math.ceil(((err as { retryAfterMs?: number }).retryAfterMs ?? 1000) / 1000));
    reply.header('retry-after', String(seconds));
    return ['Demasiadas solicitudes', `Se recibieron demasiadas solicitudes desde su dirección. Intente de nuevo en ${seconds} segundos.`];
  }
  if (code === 'FST_REQ_FILE_TOO_LARGE') return ['Archivo demasiado grande', `El máximo es ${Math.floor(maxUploadBytes / 1048576)} MB.`];
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return ['Formulario demasiado grande', `El formulario trae más de ${BODY_LIMIT / 1024} KB de texto. Acorte la nota o el enlace e intente de nuevo.`];
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_FILES_LIMIT')
    return ['Formulario no válido', 'El formulario trae más campos o archivos de los que tiene la página. Use el formulario de la página.'];
  if (code === 'PLAZOS_FORM_DAMAGED' || code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
    return ['Formulario no válido', 'El formulario llegó incompleto o dañado. Vuelva a la página y envíelo de nuevo.'];
  if (status === 415 || status === 406)
    return ['Formulario no válido', 'La solicitud no viene de un formulario de esta página (tipo de contenido no aceptado).'];
  if (status === 413) return ['Solicitud demasiado grande', 'La solicitud pasa del tamaño que se acepta.'];
  if (status === 404) return ['Página no encontrada', 'La dirección no existe.'];
  if (status >= 400 && status < 500) return BAD_REQUEST;
  return ['No se pudo completar la solicitud', 'No fue posible completar la solicitud. Intente de nuevo en unos minutos.'];
}

/** A request Node's HTTP parser refused never reaches fastify: answered here, as a page, and closed. */
function clientError(err: NodeJS.ErrnoException, socket: Socket, render: Render, headers: Record<string, string>): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const [status, reason] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const body = Buffer.from(render('message', { title: 'Solicitud no válida', text: 'La solicitud no se pudo procesar.' }));
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    'content-type: text/html; charset=utf-8',
    `content-length: ${body.length}`,
    'cache-control: no-store',
    'connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
}
