/**
 * Every form the app answers, in one place: the CSRF check of @fastify/csrf-protection runs as a
 * preHandler on every POST route, so a handler only ever sees a form that came from one of our
 * pages. The secret lives in a signed, HttpOnly, SameSite=Strict cookie (the plugin's
 * @fastify/cookie mode: the OAPLA session is our own, in the store, and the evidence pages have no
 * session at all); each page's form carries a token made from it.
 *
 * The evidence form is multipart and read as a stream, so there is no parsed body for the plugin to
 * read the token from: for a multipart request the hook first reads the fields that come before the
 * first file (the page puts `_csrf` first), the plugin checks the token among them, and the handler
 * then goes on from where the hook stopped (`formParts`). No file byte is read before the check.
 */
import csrfProtection from '@fastify/csrf-protection';
import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler, RouteOptions } from 'fastify';

export const CSRF_COOKIE = 'plazos_csrf';

/** A multipart body fastify or busboy could not read: no boundary, cut short, garbage. */
export class DamagedFormError extends Error {
  readonly statusCode = 400;
  readonly code = 'PLAZOS_FORM_DAMAGED';
  constructor(cause: unknown) {
    super('multipart body could not be read', { cause });
  }
}

interface OpenForm {
  fields: MultipartValue[];
  file?: MultipartFile;
  rest: AsyncIterator<Multipart>;
}

const openForms = new WeakMap<FastifyRequest, OpenForm>();

/** Errors of the body itself become a 400; fastify's own (too large, too many parts) keep their status. */
export async function fromBody<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (typeof (err as { statusCode?: unknown }).statusCode === 'number') throw err;
    throw new DamagedFormError(err);
  }
}

async function readLeadingFields(req: FastifyRequest): Promise<void> {
  if (!req.isMultipart()) return;
  const rest = (await fromBody(Promise.resolve().then(() => req.parts())))[Symbol.asyncIterator]();
  const open: OpenForm = { fields: [], rest };
  for (;;) {
    const next = await fromBody(rest.next());
    if (next.done) break;
    if (next.value.type === 'file') {
      open.file = next.value;
      break;
    }
    open.fields.push(next.value);
  }
  openForms.set(req, open);
}

/** The parts of a multipart form in order, those the CSRF hook read first included. */
export async function* formParts(req: FastifyRequest): AsyncGenerator<Multipart> {
  const open = openForms.get(req);
  if (!open) throw new Error('formParts: the form was not opened by the CSRF hook');
  yield* open.fields;
  if (!open.file) return;
  yield open.file;
  for (;;) {
    const next = await fromBody(open.rest.next());
    if (next.done) return;
    yield next.value;
  }
}

function tokenOf(req: FastifyRequest): string | undefined {
  const open = openForms.get(req);
  const value = open ? open.fields.find((f) => f.fieldname === '_csrf')?.value : (req.body as Record<string, unknown> | undefined)?._csrf;
  // Only the form field: our pages never send the token in a header.
  return typeof value === 'string' ? value : undefined;
}

export async function registerForms(app: FastifyInstance, opts: { secure: boolean }): Promise<void> {
  await app.register(csrfProtection, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: opts.secure, signed: true },
    getToken: tokenOf,
  });
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.method !== 'POST') return;
    const own = route.preHandler ? [route.preHandler].flat() : [];
    // The plugin's check, as its docs use it: a callback hook that answers 403 itself.
    const checkToken: preHandlerHookHandler = (req, reply, done) => app.csrfProtection(req, reply, done);
    route.preHandler = [readLeadingFields, checkToken, ...own];
  });
}

/** The token for the page's form; the secret cookie is set on first use. */
export function formToken(reply: FastifyReply): string {
  return reply.generateCsrf();
}

/**
 * A new secret after a form did what it asked (and after every sign-in attempt): tokens of the
 * pages shown before no longer match, so a recorded or repeated submission is refused rather than
 * done twice. A page rendered afterwards takes its token from the new secret.
 */
export function renewCsrf(reply: FastifyReply): void {
  delete reply.request.cookies[CSRF_COOKIE];
  reply.generateCsrf();
}
