/**
 * OAPLA's page of calendar subscriptions (`/calendarios`), the web form of `plazos calendar feed`:
 * the feeds handed out, one more for an area or for every plan, and revoking one. A new address is
 * shown once, on the page that created it: the store keeps only a hash of its token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { PLAN_TIMEZONE } from '../../calendar/policy';
import { ALL_AREAS, checkFeedScope, feedUrls } from '../../client/calendar-feed';
import { AREA_CODE_PATTERN } from '../../plans/rules';
import { page, type Ctx } from '../context';
import { FEED_BODY } from '../route-schemas';
import { formToken, renewCsrf } from '../forms';

const FEED_ID = /^[0-9a-f]{8}$/;

const when = (ms: number) => DateTime.fromMillis(ms, { zone: PLAN_TIMEZONE }).toFormat('yyyy-MM-dd HH:mm');

async function feedsPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  code: number,
  extra: { created?: { id: string; scope: string; url: string; webcal: string }; note?: { ok: boolean; text: string } } = {},
): Promise<FastifyReply> {
  const feeds = (await ctx.records.calendarFeeds.list()).map((f) => ({
    id: f.id,
    scope: f.scope === ALL_AREAS ? 'todos los planes' : f.scope,
    created: when(f.createdAt),
    revoked: f.revokedAt === null ? null : when(f.revokedAt),
  }));
  return page(ctx, reply, code, 'calendar-feeds', { title: 'Calendarios de fechas límite', user: req.oaplaUser, csrf: formToken(reply), feeds, ...extra });
}

export function calendarFeedAdminRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Querystring: { hecho?: string } }>('/calendarios', async (req, reply) =>
    feedsPage(ctx, req, reply, 200, req.query.hecho === 'revocado' ? { note: { ok: true, text: 'Calendario revocado: su dirección ya no responde.' } } : {}),
  );

  app.post<{ Body: { area?: string } }>('/calendarios', { schema: { body: FEED_BODY } }, async (req, reply) => {
    const area = (req.body?.area ?? '').trim();
    if (area !== ALL_AREAS && !AREA_CODE_PATTERN.test(area))
      return feedsPage(ctx, req, reply, 400, {
        note: { ok: false, text: 'Escriba el código de un área en mayúsculas (p. ej. ARCOM), o all para todos los planes.' },
      });
    const check = checkFeedScope(area, ctx.loadAreas());
    if (!check.ok)
      return feedsPage(ctx, req, reply, 400, {
        note: {
          ok: false,
          text:
            `El área ${area} no está en el directorio de áreas; ` +
            (check.known.length > 0 ? `las áreas conocidas son ${check.known.join(', ')}` : 'no se leyó ningún área') +
            `, o all para todos los planes.${check.problem ? ` El directorio tiene errores: ${check.problem}` : ''}`,
        },
      });
    const { feed, token } = await ctx.records.calendarFeeds.create(area, ctx.now());
    renewCsrf(reply);
    return feedsPage(ctx, req, reply, 200, {
      created: { id: feed.id, scope: area === ALL_AREAS ? 'todos los planes' : area, ...feedUrls(ctx.baseUrl, token) },
    });
  });

  app.post<{ Params: { id: string } }>('/calendarios/:id/revocar', async (req, reply) => {
    const revoked = FEED_ID.test(req.params.id) && (await ctx.records.calendarFeeds.revoke(req.params.id, ctx.now()));
    if (!revoked) return feedsPage(ctx, req, reply, 404, { note: { ok: false, text: `No hay un calendario activo con el id ${req.params.id}.` } });
    renewCsrf(reply);
    return reply.redirect('/calendarios?hecho=revocado', 303);
  });
}
