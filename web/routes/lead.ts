/**
 * An area lead's own pages (`/entregables`). Signed in with the entity's account, a lead sees every
 * activity of their areas across all plans, overdue and due soon first, with OAPLA's last decision
 * on each, and hands in evidence or reports progress from there: the same form, checks and bounds
 * as a notice's link (routes/evidence.ts), counted per account instead of per link. OAPLA and
 * Control Interno see every area and may pick one; Control Interno hands in nothing.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DateTime } from 'luxon';
import { PLAN_TIMEZONE } from '../../calendar/policy';
import { checkFeedScope, feedUrls } from '../../client/calendar-feed';
import { readStatus, type StatusReading } from '../../client/operations';
import { AREA_CODE_PATTERN, WORKFLOW_ID_PATTERN } from '../../plans/rules';
import { message, page, type Ctx } from '../context';
import { formToken, renewCsrf } from '../forms';
import { leadGroups } from '../lead-view';
import { areaDeliverables } from '../plan-data';
import { readsDashboard, type Viewer } from '../viewer';
import { LEAD_ACCESS, LEAD_HOME } from './auth';
import { handIn, periodStatus, showForm, type HandIn } from './evidence';

const ACTIVITY_PATH = `${LEAD_HOME}/actividad`;
const FEEDS_PATH = `${LEAD_HOME}/calendario`;

/**
 * Active calendar addresses per area that its leads may hold: one per person and device is a
 * handful; past this the area asks OAPLA to revoke the ones nobody uses, so the store and the feed
 * route are not filled by one account creating addresses.
 */
export const AREA_FEEDS_MAX = 10;

const FEED_ID = /^[0-9a-f]{8}$/;
const FEED_FORM = {
  type: 'object',
  required: ['area'],
  properties: { area: { type: 'string', pattern: AREA_CODE_PATTERN.source }, revocar: { type: 'string', pattern: FEED_ID.source } },
} as const;

const LIST_QUERY = {
  type: 'object',
  properties: { area: { type: 'string', pattern: AREA_CODE_PATTERN.source } },
  additionalProperties: true,
} as const;

const ACTIVITY_QUERY = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 256 } },
  additionalProperties: true,
} as const;

/** The areas whose page this viewer asks for; null is every area (OAPLA and Control Interno only). */
function areasShown(viewer: Viewer, asked: string | undefined): readonly string[] | null | 'refused' {
  if (readsDashboard(viewer)) return asked ? [asked] : null;
  if (!asked) return viewer.roles.areas;
  return viewer.roles.areas.includes(asked) ? [asked] : 'refused';
}

/**
 * The area this viewer hands in for on this activity: the first of their areas the activity names,
 * or OAPLA's own for the planning office; or that they may only read it (Control Interno); or that
 * it is another area's activity.
 */
type Access = { kind: 'hands-in'; area: string } | { kind: 'reads' } | { kind: 'refused' };

function accessTo(viewer: Viewer, responsible: readonly string[]): Access {
  const own = responsible.find((a) => viewer.roles.areas.includes(a));
  if (own) return { kind: 'hands-in', area: own };
  if (viewer.roles.oapla) return { kind: 'hands-in', area: 'OAPLA' };
  return viewer.roles.control ? { kind: 'reads' } : { kind: 'refused' };
}

function responsibleOf(reading: StatusReading): readonly string[] {
  return reading.source === 'index' ? reading.index.areas : reading.status.activity.responsible;
}

const NOT_YOURS = {
  activity: ['Actividad de otra área', 'Esta actividad no es de su área'],
  list: ['Entregables de otra área', 'Esa área no es la suya'],
  calendar: ['Calendario de otra área', 'Solo puede crear o revocar calendarios de su área'],
} as const;

function notYours(ctx: Ctx, reply: FastifyReply, viewer: Viewer, what: keyof typeof NOT_YOURS = 'activity') {
  const [title, text] = NOT_YOURS[what];
  return page(ctx, reply, 403, 'message', {
    title,
    text: `${text} (${viewer.roles.areas.join(', ')}). Si le corresponde, pida a la Oficina Asesora de Planeación que la asigne a su área.`,
    user: viewer.username,
  });
}

/**
 * The activity as this viewer may see it: its full status with who they hand in as, or null once a
 * page has been sent (not found, another area's, or only what the index knows).
 */
async function leadHandIn(ctx: Ctx, reply: FastifyReply, viewer: Viewer, id: string, error?: string): Promise<HandIn | null> {
  // As the dashboard answers: an ID no plan could have is an activity that does not exist.
  const reading = WORKFLOW_ID_PATTERN.test(id) ? await readStatus(ctx.client, id) : null;
  if (!reading) {
    message(ctx, reply, 404, 'Actividad no encontrada', 'La actividad ya no está en seguimiento. Consulte a la Oficina Asesora de Planeación.');
    return null;
  }
  const access = accessTo(viewer, responsibleOf(reading));
  if (access.kind === 'refused') {
    notYours(ctx, reply, viewer);
    return null;
  }
  const area = access.kind === 'hands-in' ? access.area : responsibleOf(reading).join(', ');
  const status = periodStatus(ctx, reply, reading, area, error, viewer.username);
  if (!status) return null;
  return {
    workflowId: id,
    area,
    // OAPLA's own hand-ins always get through; a lead is counted per account, as a link is per link.
    sender: viewer.roles.oapla ? null : { account: viewer.username },
    action: `${ACTIVITY_PATH}?id=${encodeURIComponent(id)}`,
    status,
    user: viewer.username,
    list: LEAD_HOME,
    readOnly: access.kind === 'reads',
  };
}

/** The areas whose calendar addresses this viewer may hand out and revoke from this page. */
function feedAreas(viewer: Viewer, shown: readonly string[] | null): string[] {
  if (!LEAD_ACCESS.writes(viewer) || shown === null) return [];
  return viewer.roles.oapla ? [...shown] : shown.filter((a) => viewer.roles.areas.includes(a));
}

interface FeedNote {
  created?: { area: string; url: string; webcal: string };
  note?: { ok: boolean; text: string };
}

async function listPage(ctx: Ctx, reply: FastifyReply, viewer: Viewer, asked: string | undefined, code = 200, feedNote: FeedNote = {}) {
  const areas = areasShown(viewer, asked);
  if (areas === 'refused') return notYours(ctx, reply, viewer, 'list');
  const today = ctx.today();
  const [items, feeds] = await Promise.all([areaDeliverables(ctx.client, today, areas), ctx.records.calendarFeeds.list()]);
  const everyArea = readsDashboard(viewer);
  // The areas to pick from: a lead's own; for OAPLA and Control Interno, those the list names.
  const choices = everyArea ? [...new Set(items.flatMap((i) => i.row.responsible))].sort() : viewer.roles.areas;
  const calendars = feedAreas(viewer, areas).map((area) => ({
    area,
    feeds: feeds
      .filter((f) => f.scope === area && f.revokedAt === null)
      .map((f) => ({ id: f.id, created: DateTime.fromMillis(f.createdAt, { zone: PLAN_TIMEZONE }).toFormat('yyyy-MM-dd HH:mm') })),
  }));
  return page(ctx, reply, code, 'lead', {
    title: areas === null ? 'Entregables de todas las áreas' : `Entregables de ${areas.join(', ')}`,
    user: viewer.username,
    csrf: formToken(reply),
    today,
    scope: areas === null ? 'todas las áreas' : areas.join(', '),
    picked: asked ?? '',
    choices: choices.length > 1 || asked ? choices : [],
    groups: leadGroups(items, today),
    total: items.length,
    activityPath: ACTIVITY_PATH,
    feedsPath: FEEDS_PATH,
    calendars,
    ...feedNote,
  });
}

export function leadRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Querystring: { area?: string } }>(LEAD_HOME, { schema: { querystring: LIST_QUERY } }, async (req, reply) =>
    listPage(ctx, reply, req.viewer as Viewer, req.query.area),
  );

  // A calendar address for one of the viewer's areas, shown once; or one of them revoked.
  app.post<{ Body: { area: string; revocar?: string } }>(FEEDS_PATH, { schema: { body: FEED_FORM } }, async (req, reply) => {
    const viewer = req.viewer as Viewer;
    const { area, revocar } = req.body;
    const asked = viewer.roles.oapla || viewer.roles.areas.length > 1 ? area : undefined;
    if (!feedAreas(viewer, [area]).includes(area)) return notYours(ctx, reply, viewer, 'calendar');
    renewCsrf(reply);
    const active = (await ctx.records.calendarFeeds.list()).filter((f) => f.scope === area && f.revokedAt === null);
    if (revocar) {
      // Only an address of this area: a lead cannot revoke another area's by its id.
      const revoked = active.some((f) => f.id === revocar) && (await ctx.records.calendarFeeds.revoke(revocar, ctx.now()));
      return listPage(ctx, reply, viewer, asked, revoked ? 200 : 404, {
        note: revoked
          ? { ok: true, text: `Calendario ${revocar} revocado: su dirección ya no responde.` }
          : { ok: false, text: `El área ${area} no tiene un calendario activo con el id ${revocar}.` },
      });
    }
    // A lead's areas were checked against the directory with the roles file; OAPLA names any code.
    if (!checkFeedScope(area, ctx.loadAreas()).ok)
      return listPage(ctx, reply, viewer, asked, 400, { note: { ok: false, text: `El área ${area} no está en el directorio de áreas.` } });
    if (active.length >= AREA_FEEDS_MAX)
      return listPage(ctx, reply, viewer, asked, 429, {
        note: {
          ok: false,
          text: `El área ${area} ya tiene ${AREA_FEEDS_MAX} calendarios activos. Revoque uno que no use (abajo) o pida a la Oficina Asesora de Planeación que lo haga.`,
        },
      });
    const { token } = await ctx.records.calendarFeeds.create(area, ctx.now());
    return listPage(ctx, reply, viewer, asked, 200, { created: { area, ...feedUrls(ctx.baseUrl, token) } });
  });

  app.get<{ Querystring: { id: string } }>(ACTIVITY_PATH, { schema: { querystring: ACTIVITY_QUERY } }, async (req, reply) => {
    const h = await leadHandIn(ctx, reply, req.viewer as Viewer, req.query.id);
    return h ? showForm(ctx, reply, h) : reply;
  });

  app.post<{ Querystring: { id: string } }>(ACTIVITY_PATH, { schema: { querystring: ACTIVITY_QUERY } }, async (req, reply) => {
    const viewer = req.viewer as Viewer;
    const h = await leadHandIn(ctx, reply, viewer, req.query.id, 'No se recibió la evidencia: envíela de nuevo cuando el motor responda.');
    if (!h) return reply;
    // Control Interno reads the activity and sends nothing (the scope already refused its POST).
    if (h.readOnly) return showForm(ctx, reply, h, 403, 'Su cuenta puede consultar esta actividad pero no entregar evidencias.');
    return handIn(ctx, req, reply, h);
  });
}
