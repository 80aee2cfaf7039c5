/** What every route gets: built once in web/app.ts from the dependencies given, no globals. */
import type { Client } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import { DateTime } from 'luxon';
import type { EvidenceStore } from '../activities/evidence';
import type { CutStore } from '../activities/follow-up/store';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { LoadAreasResult } from '../config/load-areas';
import type { WriteBounds, WriteGate, WriteKind } from '../client/write-gate';
import type { Records } from '../store/records';
import type { Keys } from './keys';
import type { SignInBounds, SignInThrottle } from './signin-throttle';
import type { OidcSignIn } from './oidc';
import type { Users } from './users';
import type { Render } from './views';
import { causeOf, recordCause } from './request-log';
import { formToken } from './forms';
import { navOf } from './viewer';
import { PLAN_TIMEZONE } from '../calendar/policy';

export interface WebDeps {
  client: Client;
  store: EvidenceStore;
  secret: Buffer;
  users: Users;
  /** Sign-in with the entity's account (PLAZOS_OIDC_ISSUER), already discovered; the users file stays as the break-glass way in. */
  oidc?: OidcSignIn;
  /** Public base URL (PLAZOS_WEB_URL): https turns on Secure cookies. */
  baseUrl: string;
  /** Milliseconds since the epoch; tests pass their own. */
  now: () => number;
  maxUploadBytes: number;
  /** The entity's calendar as it is now (config/calendar.yaml); read at each use, so an edit needs no restart. */
  loadCalendar?: () => BusinessCalendar;
  /** The areas directory as it is now (config/areas.yaml, or PLAZOS_AREAS); read at each use, as the calendar. */
  loadAreas?: () => LoadAreasResult;
  /** The kept cut reports (`<dataDir>/follow-up`, as the worker keeps them); without it, every cut report is rebuilt. */
  cutStore?: CutStore;
  /**
   * Sessions and sign-in counters, shared by every web app on the same store; the notices mail could
   * not send yet; the calendar subscriptions and the versions of their events.
   */
  records: Pick<Records, 'sessions' | 'throttle' | 'unsent' | 'calendarFeeds' | 'calendarEvents'>;
  /** Bounds other than the defaults (tests): sign-in waits, link writes, requests per address. */
  limits?: Partial<WebLimits>;
}

export interface WebLimits {
  signIn: SignInBounds;
  writes: Readonly<Record<WriteKind, WriteBounds>>;
  /** Requests per address (all routes but /health and the stylesheet), counted in the store. */
  requests: { max: number; windowMs: number };
}

export interface Ctx extends WebDeps {
  keys: Keys;
  render: Render;
  signIn: SignInThrottle;
  /** What link holders may write into a workflow (client/write-gate.ts); OAPLA's actions never pass it. */
  writeGate: WriteGate;
  secureCookies: boolean;
  today(): string;
  loadCalendar: () => BusinessCalendar;
  loadAreas: () => LoadAreasResult;
}

export function todayIn(nowMs: number, zone = PLAN_TIMEZONE): string {
  return DateTime.fromMillis(nowMs, { zone }).toISODate() as string;
}

/** A page; a 5xx one shows the request id (the log has the same id and the cause). */
export function page(ctx: Ctx, reply: FastifyReply, code: number, view: string, data: Record<string, unknown>): FastifyReply {
  if (code >= 500) {
    const said = [data.title, data.text ?? data.error].filter((s) => typeof s === 'string' && s).join(': ');
    if (!causeOf(reply.request)) recordCause(reply.request, `página ${view} ${code}${said ? `: ${said}` : ''}`);
    data = { ...data, requestId: reply.request.id };
  }
  // The layout shows a signed-in user the sign-out form, which needs its token on every page.
  if (data.user && data.csrf === undefined) data = { ...data, csrf: formToken(reply) };
  // Which links the navigation offers, and whether OAPLA's forms show: Control Interno sees none.
  const viewer = reply.request.viewer;
  if (viewer && data.nav === undefined) data = { ...data, nav: navOf(viewer) };
  return reply.code(code).type('text/html; charset=utf-8').send(ctx.render(view, data));
}

/** A plain page with a title and a message: refusals, errors, confirmations. */
export function message(ctx: Ctx, reply: FastifyReply, code: number, title: string, text: string): FastifyReply {
  return page(ctx, reply, code, 'message', { title, text });
}
