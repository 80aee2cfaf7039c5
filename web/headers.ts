/**
 * Security headers, set by @fastify/helmet on every response a route or the not-found handler
 * answers. A CSP with no scripts at all, no referrer (evidence links carry a token), no framing,
 * no sniffing; HSTS only where the public URL is https (over plain http a browser ignores it, and
 * a test or an intranet install must not be pinned to https by accident).
 */
import type { FastifyHelmetOptions } from '@fastify/helmet';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `formTargets`: other origins a form may end up at. Browsers hold a form's redirects to
 * form-action too, and signing out (a form) ends at the identity provider's sign-out page.
 */
export function helmetOptions(secure: boolean, formTargets: readonly string[] = []): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'", ...formTargets],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: secure ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  };
}

/**
 * The same headers as a list, for answers fastify gives before any hook runs (a URL it cannot
 * decode, a path parameter past the router's limit) and for the raw 400 of a request Node's parser
 * refused: computed once by running helmet against a response that only records them.
 */
export function staticSecurityHeaders(secure: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  const { global: _global, enableCSPNonces: _nonces, ...options } = helmetOptions(secure);
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}
