/** The progress report of a plan: CSV for spreadsheets and a printable page with bars per area. */
import type { FastifyInstance } from 'fastify';
import { areaBars } from '../charts';
import { message, page, type Ctx } from '../context';
import { planRows } from '../plan-data';
import { countsByArea, reportCsv } from '../plan-view';
import { requireUser } from './auth';
import { PLAN_ID_PATTERN } from '../../plans/rules';

export function reportRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Params: { plan: string } }>('/planes/:plan/informe.csv', async (req, reply) => {
    if (!requireUser(ctx, req, reply)) return reply;
    if (!PLAN_ID_PATTERN.test(req.params.plan)) return message(ctx, reply, 404, 'Plan no encontrado', 'El identificador del plan no es válido.');
    const rows = (await planRows(ctx.client, req.params.plan)).sort((a, b) => a.number - b.number || (a.period ?? '').localeCompare(b.period ?? ''));
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="informe-${req.params.plan}.csv"`)
      // The BOM makes Excel read the accents as UTF-8.
      .send(`\ufeff${reportCsv(rows)}`);
  });

  app.get<{ Params: { plan: string } }>('/planes/:plan/informe', async (req, reply) => {
    const user = requireUser(ctx, req, reply);
    if (!user) return reply;
    if (!PLAN_ID_PATTERN.test(req.params.plan)) return message(ctx, reply, 404, 'Plan no encontrado', 'El identificador del plan no es válido.');
    const rows = (await planRows(ctx.client, req.params.plan)).sort((a, b) => a.number - b.number || (a.period ?? '').localeCompare(b.period ?? ''));
    if (rows.length === 0) return message(ctx, reply, 404, 'Plan no encontrado', `No hay actividades del plan "${req.params.plan}".`);
    const areas = countsByArea(rows);
    return page(ctx, reply, 200, 'report', { title: `Informe de avance · ${req.params.plan}`, user, planId: req.params.plan, rows, areas, bars: areaBars(areas), today: ctx.today() });
  });
}
