/**
 * The progress report of a plan: CSV for spreadsheets and a printable page with bars per area. Both
 * take the plan page's filter, so a download holds what the page listed (every page of it).
 */
import type { FastifyInstance } from 'fastify';
import { areaBars } from '../charts';
import { message, page, type Ctx } from '../context';
import { planRows } from '../plan-data';
import { applyFilter, FILTER_QUERYSTRING, filterOf, sortRows, type FilterQuery } from '../plan-filter';
import { countsByArea, reportCsv } from '../plan-view';
import { PLAN_PARAMS } from '../route-schemas';

type Route = { Params: { plan: string }; Querystring: FilterQuery };

export function reportRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<Route>('/planes/:plan/informe.csv', { schema: { params: PLAN_PARAMS, querystring: FILTER_QUERYSTRING } }, async (req, reply) => {
    const filter = filterOf(req.query, 'numero');
    const rows = sortRows(applyFilter(await planRows(ctx.client, req.params.plan, ctx.today()), filter), filter.orden);
    return (
      reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="informe-${req.params.plan}.csv"`)
        // The BOM makes Excel read the accents as UTF-8.
        .send(`\ufeff${reportCsv(rows)}`)
    );
  });

  app.get<Route>('/planes/:plan/informe', { schema: { params: PLAN_PARAMS, querystring: FILTER_QUERYSTRING } }, async (req, reply) => {
    const user = req.oaplaUser;
    const all = await planRows(ctx.client, req.params.plan, ctx.today());
    if (all.length === 0) return message(ctx, reply, 404, 'Plan no encontrado', `No hay actividades del plan "${req.params.plan}".`);
    const filter = filterOf(req.query, 'numero');
    const rows = sortRows(applyFilter(all, filter), filter.orden);
    const areas = countsByArea(rows);
    return page(ctx, reply, 200, 'report', {
      title: `Informe de avance · ${req.params.plan}`,
      user,
      planId: req.params.plan,
      rows,
      areas,
      bars: areaBars(areas),
      today: ctx.today(),
    });
  });
}
