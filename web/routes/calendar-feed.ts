/**
 * `/calendario/<token>.ics`: the calendar an area (or OAPLA) subscribed to. The token is the whole
 * credential: it is checked before visibility is read, and a revoked, unknown or forged one gets
 * the same short 404, which says nothing about whether such a feed ever existed. The route is
 * counted by the app's rate limit like every other, and the request log names its pattern only.
 */
import type { FastifyInstance } from 'fastify';
import { feedAlarms, feedDeliverables, feedIcs } from '../../client/calendar-feed';
import type { Ctx } from '../context';

/**
 * An event no feed has listed for this long is forgotten: its workflow closed or its plan is past.
 * Longer than a plan's year, as the namespace's retention (400 days), so a deliverable whose feed
 * was not read for months still continues its SEQUENCE when it is.
 */
export const EVENT_UNSEEN_MS = 400 * 86_400_000;
/** At most one sweep a day per web app, after a feed was served, of at most this many rows. */
export const EVENT_SWEEP_EVERY_MS = 86_400_000;
export const EVENT_SWEEP_LIMIT = 5_000;

const TOKEN_PARAMS = {
  type: 'object',
  required: ['token'],
  // The store's tokens are 43 base64url characters; anything else is not one (the app's params error is a 404).
  properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
} as const;

const NOT_FOUND = 'Calendario no encontrado: la dirección no existe o fue revocada. Pida una nueva a la Oficina Asesora de Planeación.\n';

export function calendarFeedRoutes(app: FastifyInstance, ctx: Ctx): void {
  const domain = new URL(ctx.baseUrl).hostname;
  let sweptAt: number | null = null;
  app.get<{ Params: { token: string } }>('/calendario/:token.ics', { schema: { params: TOKEN_PARAMS } }, async (req, reply) => {
    const feed = await ctx.records.calendarFeeds.find(req.params.token);
    if (!feed) return reply.code(404).type('text/plain; charset=utf-8').send(NOT_FOUND);
    const now = ctx.now();
    const events = await feedDeliverables(ctx.client, feed.scope, domain, new Date(now));
    // Read once: the alarms the store versions are the ones this response carries.
    const calendar = ctx.loadCalendar();
    const versions = await ctx.records.calendarEvents.revise(
      events.map((e) => ({ uid: e.uid, due: e.listed.due, alarms: feedAlarms(e.listed.due, calendar) })),
      now,
    );
    const ics = feedIcs({ scope: feed.scope, events, versions, calendar, now: new Date(now) });
    // After this feed's events were marked seen, never on every request: the table keeps one row per
    // deliverable ever published, and those of closed workflows would otherwise stay for good.
    if (sweptAt === null || now - sweptAt >= EVENT_SWEEP_EVERY_MS) {
      sweptAt = now;
      // Housekeeping: a failure is logged and tried again tomorrow; the feed is served all the same.
      try {
        const swept = await ctx.records.calendarEvents.sweep(EVENT_UNSEEN_MS, now, EVENT_SWEEP_LIMIT);
        if (swept > 0) req.log.info({ swept }, 'calendar event versions no feed lists any more removed');
      } catch (err) {
        req.log.warn({ err }, 'calendar event versions sweep failed');
      }
    }
    return (
      reply
        .type('text/calendar; charset=utf-8')
        // A subscription is fetched by the calendar's servers, not shown in a browser: no cache keeps it.
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="plazos-${feed.scope === 'all' ? 'todos' : feed.scope}.ics"`)
        .send(ics)
    );
  });
}
