/**
 * Request logging and errors, in one place for every route: each request gets an id (also sent as
 * the X-Request-Id header and printed on every 5xx page, so a person can quote it), each response
 * is logged with it (info), and every 5xx is logged as an error with its cause: the exception a
 * route threw, or what the page said when a route answered 5xx itself (the worker did not answer).
 * The route's pattern is logged, never the raw URL: evidence links carry a signed token.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const causes = new WeakMap<FastifyRequest, unknown>();

/** What made this request answer 5xx: logged once the response has gone out. */
export function recordCause(req: FastifyRequest, cause: unknown): void {
  causes.set(req, cause);
}

export function causeOf(req: FastifyRequest): unknown {
  return causes.get(req);
}

/** Short, unguessable enough to tell requests apart in a day of logs, short enough to read over the phone. */
export function newRequestId(): string {
  return randomBytes(6).toString('hex');
}

function route(req: FastifyRequest): string {
  return req.routeOptions.url ?? '(sin ruta)';
}

export function requestLogging(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply: FastifyReply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    const fields = { reqId: req.id, method: req.method, route: route(req), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (reply.statusCode < 500) {
      req.log.info(fields, 'request');
      return;
    }
    const cause = causes.get(req);
    if (cause instanceof Error) req.log.error({ ...fields, err: cause }, `server error: ${cause.message}`);
    else {
      const said = typeof cause === 'string' ? cause : 'sin causa registrada';
      req.log.error({ ...fields, cause: said }, `server error: ${said}`);
    }
  });
}
