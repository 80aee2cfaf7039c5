/**
 * `/calendario/<token>.ics`: the calendar an area (or OAPLA) subscribed to. The token is the whole
 * credential: it is checked before visibility is read, and a revoked, unknown or forged one gets
 * the same short 404, which says nothing about whether such a feed ever existed. The route is
 * counted by the app's rate limit like every other, and the request log names its pattern only.
 */
import type { FastifyInstance } from 'fastify';
import { feedAlarms, feedDeliverables, feedIcs } from '../../client/calendar-feed';
import type { Ctx } from '../context';

const TOKEN_PARAMS = {
  type: 'object',
  required: ['token'],
  // The store's tokens are 43 base64url characters; anything else is not one (the app's params error is a 404).
  properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
} as const;

const NOT_FOUND = 'Calendario no encontrado: la dirección no existe o fue revocada. Pida una nueva a la Oficina Asesora de Planeación.\n';

export function calendarFeedRoutes(app: FastifyInstance, ctx: Ctx): void {
  const domain = new URL(ctx.baseUrl).hostname;
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
