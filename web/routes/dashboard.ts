/**
 * The OAPLA dashboard: plans, a plan's overview (counts per area, traffic lights, the year), an
 * activity's timeline and evidence, and the same actions as the CLI (approve, reject, extend,
 * cancel) with the workflow's refusals shown as it words them.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleOf, readStatus, tryUpdate, type IndexedStatus } from '../../client/operations';
import { applyCalendar } from '../../client/calendar-apply';
import { timelineFromHistory } from '../../client/timeline';
import { messageSentence } from '../../client/timeline-text';
import { describeMove, formatDate, formatMonth } from '../../calendar/reason';
import { CalendarConfigError } from '../../config/load-calendar';
import { BlobCorruptError } from '../../store/blobs';
import { cancelSignal, CancelSchema, extendDeadlineUpdate, ExtendDeadlineSchema, isClosed, reviewUpdate, ReviewSchema } from '../../workflows/shared';
import { activityView, indexedActivityView, unavailableNote } from '../activity-view';
import { message, page, type Ctx } from '../context';
import { formToken, renewCsrf } from '../forms';
import { KIND_ES, parseDateInput, STATUS_ES } from '../labels';
import { mailAlertOf, readMailState, unsentByPlan, type MailAlert } from '../mail-alert';
import { entityRows, planRows } from '../plan-data';
import { FILTER_QUERYSTRING, filterOf, type FilterQuery } from '../plan-filter';
import { planPageView } from '../plan-page';
import { owedThisMonth, planSummaries } from '../portfolio';
import { ACTION_BODY, AREA_PARAMS, PLAN_PARAMS } from '../route-schemas';
import { WORKFLOW_ID_PATTERN } from '../../plans/rules';

const DONE: Record<string, string> = {
  approve: 'Evidencia aprobada.',
  reject: 'Evidencia rechazada; el área tiene la nueva fecha de entrega.',
  extend: 'Prórroga registrada; los avisos pendientes se recalcularon.',
  cancel: 'Cancelación enviada; el área recibirá el aviso.',
};

function timelineLines(history: Awaited<ReturnType<ReturnType<typeof handleOf>['fetchHistory']>>) {
  return timelineFromHistory(history).map((e) => ({
    at: e.at.slice(0, 16).replace('T', ' '),
    what:
      e.kind === 'update' || e.kind === 'signal'
        ? messageSentence(e)
        : e.kind === 'closed'
          ? `cerrada: ${STATUS_ES[e.name as keyof typeof STATUS_ES] ?? e.name}`
          : (KIND_ES[e.name] ?? e.name),
    detail: [
      e.to?.length ? `→ ${e.to.join(', ')}` : '',
      e.cc?.length ? `cc ${e.cc.join(', ')}` : '',
      e.why ?? '',
      e.failed ? `NO ENTREGADO a ${e.failed.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  }));
}

async function activityPage(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, user: string, id: string, code = 200, notice?: { ok: boolean; text: string }) {
  const reading = await readStatus(ctx.client, id);
  if (!reading) return message(ctx, reply, 404, 'Actividad no encontrada', `No existe la actividad ${id}.`);
  // The history is kept by the server: the audit trail shows even when the worker does not answer.
  const history = await handleOf(ctx.client, id).fetchHistory();
  const planId = reading.source === 'index' ? reading.index.planId : reading.status.planId;
  const mailAlert = mailAlertOf(await readMailState(ctx, req, planId ?? undefined), id);
  if (reading.source === 'index')
    return indexedActivityPage(ctx, req, reply, user, reading.index, reading.deadlineMs, timelineLines(history), notice, mailAlert);
  const status = reading.status;
  const common = {
    title: `${id} · ${status.activity.title}`,
    user,
    csrf: formToken(reply),
    timeline: timelineLines(history),
    notice,
    planId: status.planId,
    mailAlert,
  };
  if (status.kind === 'recurring') {
    const periods = status.periods.map((p) => ({ ...p, statusLabel: STATUS_ES[p.status] }));
    return page(ctx, reply, code, 'recurring', { ...common, activity: status.activity, workflowId: id, periods });
  }
  return page(ctx, reply, code, 'activity', { ...common, ...activityView(status), closed: isClosed(status.status), inReview: status.status === 'in-review' });
}

/** What the index knows, with the audit trail, and no actions: each needs the full status (and the worker). */
function indexedActivityPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  user: string,
  index: IndexedStatus,
  deadlineMs: number,
  timeline: ReturnType<typeof timelineLines>,
  notice: { ok: boolean; text: string } | undefined,
  mailAlert: MailAlert | null,
) {
  const view = indexedActivityView(index, deadlineMs);
  const title = `${index.workflowId}${view.activity.title ? ` · ${view.activity.title}` : ''}`;
  return page(ctx, reply, 200, 'activity-index', { ...view, title, user, csrf: formToken(reply), timeline, notice, mailAlert });
}

type Action = { ok: true; run: () => Promise<{ ok: boolean; message?: string }> } | { ok: false; error: string };

type ActionBody = { id: string; accion: 'approve' | 'reject' | 'extend' | 'cancel'; motivo?: string; fecha?: string };

function actionOf(ctx: Ctx, id: string, body: ActionBody): Action {
  const handle = handleOf(ctx.client, id);
  const reason = body.motivo?.trim() ? body.motivo : undefined;
  // ISO from a date picker, or dd/mm/aaaa typed in a text box (as the plan's filter takes it); anything else goes to the schema's message.
  const due = body.fecha ? (parseDateInput(body.fecha) ?? body.fecha) : undefined;
  const fail = (r: { error: { issues: { message: string }[] } }): Action => ({ ok: false, error: r.error.issues[0]?.message ?? 'Datos inválidos.' });
  switch (body.accion) {
    case 'approve': {
      const r = ReviewSchema.safeParse({ decision: 'approve', reason });
      return r.success ? { ok: true, run: () => tryUpdate(() => handle.executeUpdate(reviewUpdate, { args: [r.data] })) } : fail(r);
    }
    case 'reject': {
      const r = ReviewSchema.safeParse({ decision: 'reject', reason: reason ?? '', newDue: due ?? '' });
      return r.success ? { ok: true, run: () => tryUpdate(() => handle.executeUpdate(reviewUpdate, { args: [r.data] })) } : fail(r);
    }
    case 'extend': {
      const r = ExtendDeadlineSchema.safeParse({ newDue: due ?? '', reason: reason ?? '' });
      return r.success ? { ok: true, run: () => tryUpdate(() => handle.executeUpdate(extendDeadlineUpdate, { args: [r.data] })) } : fail(r);
    }
    case 'cancel': {
      const r = CancelSchema.safeParse({ reason: reason ?? '' });
      return r.success ? { ok: true, run: async () => (await handle.signal(cancelSignal, r.data), { ok: true }) } : fail(r);
    }
    default:
      return { ok: false, error: 'Acción desconocida.' };
  }
}

function attachmentName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function dashboardRoutes(app: FastifyInstance, ctx: Ctx): void {
  // OAPLA's home: every plan of the entity, from one visibility List.
  app.get('/', async (req, reply) => {
    const user = req.oaplaUser;
    const today = ctx.today();
    const [rows, mail] = await Promise.all([entityRows(ctx.client, today), readMailState(ctx, req)]);
    const areas = [...new Set(rows.flatMap((r) => r.responsible))].sort();
    const unsent = unsentByPlan(mail);
    const plans = planSummaries(rows).map((p) => ({ ...p, unsent: unsent.get(p.planId) ?? 0 }));
    return page(ctx, reply, 200, 'plans', { title: 'Planes en seguimiento', user, csrf: formToken(reply), plans, areas, today, mailAlert: mailAlertOf(mail) });
  });

  // What one area owes this month, in every plan.
  app.get<{ Params: { area: string } }>('/areas/:area', { schema: { params: AREA_PARAMS } }, async (req, reply) => {
    const user = req.oaplaUser;
    const today = ctx.today();
    const rows = owedThisMonth(await entityRows(ctx.client, today, req.params.area), today).sort(
      (a, b) => a.due.localeCompare(b.due) || a.planId.localeCompare(b.planId) || a.number - b.number,
    );
    return page(ctx, reply, 200, 'area', {
      title: `Área ${req.params.area}: lo que debe este mes`,
      user,
      csrf: formToken(reply),
      area: req.params.area,
      rows,
      // "diciembre de 2026", not "2026-12": read in a sentence.
      month: formatMonth(today, 'es').toLowerCase(),
      today,
    });
  });

  app.get<{ Params: { plan: string }; Querystring: FilterQuery }>(
    '/planes/:plan',
    { schema: { params: PLAN_PARAMS, querystring: FILTER_QUERYSTRING } },
    async (req, reply) => {
      const user = req.oaplaUser;
      const today = ctx.today();
      const [listed, mail] = await Promise.all([planRows(ctx.client, req.params.plan, today), readMailState(ctx, req, req.params.plan)]);
      if (listed.length === 0) return message(ctx, reply, 404, 'Plan no encontrado', `No hay actividades del plan "${req.params.plan}".`);
      const rows = listed.map((r) => {
        const note = mail?.byWorkflow.get(r.workflowId);
        return note ? { ...r, unsent: note.text } : r;
      });
      const view = planPageView(req.params.plan, rows, filterOf(req.query), today);
      return page(ctx, reply, 200, 'plan', { title: `Plan ${req.params.plan}`, user, csrf: formToken(reply), ...view, mailAlert: mailAlertOf(mail) });
    },
  );

  app.get<{ Querystring: { id?: string; hecho?: string } }>('/actividad', async (req, reply) => {
    const user = req.oaplaUser;
    const id = req.query.id ?? '';
    if (!WORKFLOW_ID_PATTERN.test(id)) return message(ctx, reply, 404, 'Actividad no encontrada', 'El identificador de la actividad no es válido.');
    const done = req.query.hecho && DONE[req.query.hecho];
    return activityPage(ctx, req, reply, user, id, 200, done ? { ok: true, text: done } : undefined);
  });

  app.post<{ Body: ActionBody }>('/actividad/accion', { schema: { body: ACTION_BODY } }, async (req, reply) => {
    const user = req.oaplaUser;
    const body = req.body;
    const id = body.id;
    if (!WORKFLOW_ID_PATTERN.test(id)) return message(ctx, reply, 404, 'Actividad no encontrada', 'El identificador de la actividad no es válido.');
    const action = actionOf(ctx, id, body);
    if (!action.ok) return activityPage(ctx, req, reply, user, id, 400, { ok: false, text: action.error });
    const result = await action.run();
    if (!result.ok) return activityPage(ctx, req, reply, user, id, 409, { ok: false, text: `Rechazado por la actividad: ${result.message}` });
    renewCsrf(reply);
    return reply.redirect(`/actividad?id=${encodeURIComponent(id)}&hecho=${body.accion}`, 303);
  });

  // OAPLA's `plazos calendar apply` for one plan: a law or a día cívico added to the calendar
  // reaches the activities already running.
  app.post<{ Params: { plan: string } }>('/planes/:plan/calendario', { schema: { params: PLAN_PARAMS } }, async (req, reply) => {
    const user = req.oaplaUser;
    const planId = req.params.plan;
    let calendar;
    try {
      calendar = ctx.loadCalendar();
    } catch (err) {
      if (err instanceof CalendarConfigError) return message(ctx, reply, 409, 'Calendario de la entidad inválido', `No se aplicó nada: ${err.message}`);
      throw err;
    }
    const [report] = await applyCalendar(ctx.client, calendar, [planId], { today: ctx.today() });
    const outcomes = report?.outcomes ?? [];
    if (outcomes.length === 0)
      return message(ctx, reply, 404, 'Plan sin actividades en curso', `El plan "${planId}" no tiene actividades en curso a las que aplicar el calendario.`);
    const updated = outcomes.filter((o) => o.result === 'updated');
    const moved = updated.flatMap((o) =>
      o.result === 'updated'
        ? o.moved.map((m) => ({
            workflowId: o.workflowId,
            kind: KIND_ES[m.kind] ?? m.kind,
            from: formatDate(m.from.slice(0, 10), 'es', 'no-year'),
            why: describeMove(m, 'es'),
          }))
        : [],
    );
    const problems = outcomes.flatMap((o) =>
      o.result === 'refused'
        ? [{ workflowId: o.workflowId, text: `no lo aceptó: ${o.message}` }]
        : o.result === 'no-answer'
          ? [{ workflowId: o.workflowId, text: 'el motor no respondió a tiempo.' }]
          : [],
    );
    const unchanged = outcomes.filter((o) => o.result === 'unchanged').length;
    const summary =
      `${outcomes.length} actividades en curso: ${updated.length} tomaron el calendario nuevo (${moved.length} avisos cambiaron de fecha), ${unchanged} ya estaban al día` +
      (problems.length > 0 ? `, ${problems.length} no lo tomaron.` : '.');
    return page(ctx, reply, 200, 'calendar-applied', { title: `Calendario aplicado al plan ${planId}`, user, planId, summary, moved, problems });
  });

  app.get<{ Params: { sha256: string }; Querystring: { id?: string } }>('/archivo/:sha256', async (req, reply) => {
    const id = req.query.id ?? '';
    const reading = WORKFLOW_ID_PATTERN.test(id) ? await readStatus(ctx.client, id) : null;
    if (reading?.source === 'index') {
      reply.header('Retry-After', '60');
      return message(
        ctx,
        reply,
        503,
        'Archivo no disponible por ahora',
        `${unavailableNote(reading.deadlineMs)} Sin el motor no se puede comprobar que el archivo sea evidencia de esta actividad; intente de nuevo en unos minutos.`,
      );
    }
    const status = reading?.status;
    // Only files handed in as evidence of this activity, never any file of the store by its hash.
    const found = status?.kind === 'period' ? status.evidence.find((e) => e.evidence.kind === 'file' && e.evidence.sha256 === req.params.sha256) : undefined;
    const file = found?.evidence.kind === 'file' ? found.evidence : null;
    let stream: Readable | null;
    try {
      stream = file ? await ctx.store.open(file.sha256) : null;
    } catch (err) {
      // The stored copy no longer hashes to what was handed in (the store logged it with its key):
      // never served, since OAPLA would be reviewing a file nobody uploaded.
      if (!(err instanceof BlobCorruptError)) throw err;
      return message(
        ctx,
        reply,
        500,
        'Archivo dañado',
        'La copia guardada de este archivo ya no coincide con la que se entregó, así que no se descarga. Pida al área que lo cargue de nuevo e informe al administrador.',
      );
    }
    if (!file || !stream) return message(ctx, reply, 404, 'Archivo no encontrado', 'Esta actividad no tiene ese archivo.');
    return reply.type(file.mediaType).header('Content-Disposition', attachmentName(file.name)).send(stream);
  });
}
