/** What every route gets: built once in web/app.ts from the dependencies given, no globals. */
import type { Client } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { EvidenceStore } from '../activities/evidence';
import type { CutStore } from '../activities/follow-up/store';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { getCookie, setCookie } from './cookies';
import type { Lockout } from './lockout';
import type { Records } from '../store/records';
import { csrfToken, newCsrfNonce, type Keys } from './tokens';
import type { Users } from './users';
import type { Render } from './views';
import { causeOf, recordCause } from './request-log';
import { PLAN_TIMEZONE } from '../calendar/policy';

export interface WebDeps {
  client: Client;
  store: EvidenceStore;
  secret: Buffer;
  users: Users;
  /** Public base URL (PLAZOS_WEB_URL): https turns on Secure cookies. */
  baseUrl: string;
  /** Milliseconds since the epoch; tests pass their own. */
  now: () => number;
  maxUploadBytes: number;
  /** The entity's calendar as it is now (config/calendar.yaml); read at each use, so an edit needs no restart. */
  loadCalendar?: () => BusinessCalendar;
  /** The kept cut reports (`<dataDir>/follow-up`, as the worker keeps them); without it, every cut report is rebuilt. */
  cutStore?: CutStore;
  /** Sessions and sign-in counters, shared by every web app on the same store. */
  records: Pick<Records, 'sessions' | 'throttle'>;
}

export interface Ctx extends WebDeps {
  keys: Keys;
  render: Render;
  /** Per user: a few failures lock the account for a while. */
  lockout: Lockout;
  /** Per address: more failures allowed (an office shares one address), then the address is locked. */
  ipLockout: Lockout;
  secureCookies: boolean;
  today(): string;
  loadCalendar: () => BusinessCalendar;
}

export function todayIn(nowMs: number, zone = PLAN_TIMEZONE): string {
  return DateTime.fromMillis(nowMs, { zone }).toISODate() as string;
}

const CSRF_COOKIE = 'plazos_csrf';

/** The form's CSRF token, setting the nonce cookie on first use. */
export function formToken(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): string {
  let nonce = getCookie(req, CSRF_COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{24}$/.test(nonce)) {
    nonce = newCsrfNonce();
    setCookie(reply, CSRF_COOKIE, nonce, { httpOnly: true, sameSite: 'strict', secure: ctx.secureCookies });
  }
  return csrfToken(ctx.keys.csrf, nonce);
}

/**
 * A new nonce after a form did what it asked: tokens of the pages shown before it no longer
 * match, so a recorded or repeated submission is refused rather than done twice.
 */
export function renewCsrf(ctx: Ctx, reply: FastifyReply): void {
  setCookie(reply, CSRF_COOKIE, newCsrfNonce(), { httpOnly: true, sameSite: 'strict', secure: ctx.secureCookies });
}

export function csrfNonce(req: FastifyRequest): string | undefined {
  return getCookie(req, CSRF_COOKIE);
}

/** A page; a 5xx one shows the request id (the log has the same id and the cause). */
export function page(ctx: Ctx, reply: FastifyReply, code: number, view: string, data: Record<string, unknown>): FastifyReply {
  if (code >= 500) {
    const said = [data.title, data.text ?? data.error].filter((s) => typeof s === 'string' && s).join(': ');
    if (!causeOf(reply.request)) recordCause(reply.request, `página ${view} ${code}${said ? `: ${said}` : ''}`);
    data = { ...data, requestId: reply.request.id };
  }
  return reply.code(code).type('text/html; charset=utf-8').send(ctx.render(view, data));
}

/** A plain page with a title and a message: refusals, errors, confirmations. */
export function message(ctx: Ctx, reply: FastifyReply, code: number, title: string, text: string): FastifyReply {
  return page(ctx, reply, code, 'message', { title, text });
}
