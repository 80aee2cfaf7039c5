/**
 * The follow-up reports at the plan's cuts (Decreto 124 de 2016), for OAPLA: a page listing the
 * plan's cuts with their publication deadlines, and each cut's report as CSV, XLSX or PDF. A cut
 * whose report was kept gives the kept file, the one mailed to Control Interno; one with none gives a
 * report rebuilt now, which says so on its first lines (client/cut-report.ts).
 */
import type { FastifyInstance } from 'fastify';
import { CUT_FORMATS, CUT_MEDIA_TYPES, cutFileName, renderCut, type CutFormat } from '../../activities/follow-up/render';
import { memoryCutStore, type CutStore } from '../../activities/follow-up/store';
import { followUpCuts } from '../../calendar/cuts';
import { checkCut, cutPlanOf, cutReport } from '../../client/cut-report';
import { message, page, type Ctx } from '../context';
import { PLAN_PARAMS } from '../route-schemas';

const CUT_PARAMS = {
  type: 'object',
  required: ['plan', 'cut', 'format'],
  properties: {
    plan: PLAN_PARAMS.properties.plan,
    cut: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    format: { type: 'string', enum: [...CUT_FORMATS] },
  },
} as const;

const YEAR_QUERY = { type: 'object', properties: { anio: { type: 'string', pattern: '^20\\d\\d$' } }, additionalProperties: false } as const;

export function cutRoutes(app: FastifyInstance, ctx: Ctx): void {
  // Without a store (a test app), what is kept lasts as long as the app.
  const store: CutStore = ctx.cutStore ?? memoryCutStore();

  app.get<{ Params: { plan: string }; Querystring: { anio?: string } }>(
    '/planes/:plan/cortes',
    { schema: { params: PLAN_PARAMS, querystring: YEAR_QUERY } },
    async (req, reply) => {
      const year = Number(req.query.anio ?? ctx.today().slice(0, 4));
      const { plan, scheduled } = await cutPlanOf(ctx.client, req.params.plan, year);
      const cuts = await Promise.all(
        followUpCuts(req.query.anio ? year : plan.year, plan.followUpCuts, ctx.loadCalendar()).map(async (c) => ({
          ...c,
          past: c.cut <= ctx.today(),
          kept: (await store.snapshot(plan.id, c.cut)) !== null,
          links: CUT_FORMATS.map((f) => ({ format: f.toUpperCase(), href: `/planes/${plan.id}/cortes/${c.cut}.${f}` })),
        })),
      );
      return page(ctx, reply, 200, 'cuts', { title: `Informes de seguimiento · ${plan.id}`, user: req.oaplaUser, planId: plan.id, plan, scheduled, cuts });
    },
  );

  app.get<{ Params: { plan: string; cut: string; format: CutFormat } }>(
    '/planes/:plan/cortes/:cut.:format',
    { schema: { params: CUT_PARAMS } },
    async (req, reply) => {
      const { plan } = await cutPlanOf(ctx.client, req.params.plan, Number(req.params.cut.slice(0, 4)));
      const checked = checkCut(plan, req.params.cut, ctx.today(), ctx.loadCalendar());
      if (!checked.ok) {
        return checked.reason === 'future'
          ? message(ctx, reply, 404, 'Corte aún no llega', `El corte ${req.params.cut} aún no llega (hoy es ${checked.today}): no hay informe que descargar.`)
          : message(
              ctx,
              reply,
              404,
              'No es un corte del plan',
              `${req.params.cut} no es un corte del plan ${plan.id}. Sus cortes: ${checked.cuts.map((c) => c.cut).join(', ')}.`,
            );
      }
      const found = await cutReport(ctx.client, store, ctx.loadCalendar(), plan, req.params.cut, new Date(ctx.now()));
      const bytes = (found.kept ? await store.file(found.snapshot, req.params.format) : null) ?? (await renderCut(found.snapshot, req.params.format));
      return reply
        .type(CUT_MEDIA_TYPES[req.params.format])
        .header('Content-Disposition', `attachment; filename="${cutFileName(found.snapshot, req.params.format)}"`)
        .header('X-Plazos-Cut-Report', found.kept ? 'kept' : 'rebuilt')
        .send(bytes);
    },
  );
}
