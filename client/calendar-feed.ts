/**
 * A calendar subscription (RFC 5545) of the running deliverables of one area, or of every plan: each
 * due date as an all-day event with its reminders as alarms. Read from visibility alone, like the
 * dashboard's lists (client/plan-list.ts): one paginated List however many activities there are.
 *
 * Written by ical-generator, not by hand like the kickoff mail's one event (activities/email/
 * calendar-event.ts): a feed has thousands of events of user text, and the library's escaping and
 * line folding are kept by others and read back by calendar clients every day.
 *
 * Reminders are alarms on the deadline's own event rather than events of their own: an extension
 * moves the event and its alarms together under one UID, and an area's calendar shows one entry
 * per deliverable. A client that ignores a subscribed calendar's alarms (Google does; it applies
 * the calendar's own default notifications) still shows the deadline.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventBusyStatus, ICalEventTransparency } from 'ical-generator';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { AreasDirectory } from '../plans/areas';
import { DEFAULT_NOTICE_POLICY } from '../calendar/policy';
import { STATUS_LABELS } from '../domain/labels';
import type { ListedWorkflow } from '../domain/listed-workflow';
import { byNumber, deliverables, listWorkflows } from './plan-list';
import { ANY_PLAN, areaIs } from './visibility-query';

/** What OAPLA's feed covers instead of an area code. */
export const ALL_AREAS = 'all';

/**
 * Deliverables per feed: 3,000 events of about 700 bytes keep a feed near 2 MB, which calendar
 * clients fetch without complaint; the nearest due dates are the ones kept.
 */
export const FEED_MAX_EVENTS = 3_000;

/** A title in a calendar entry: long plan text is cut, the whole of it is on the plan's page. */
const SUMMARY_TITLE_MAX = 200;

/** Bogotá has no daylight saving: 08:00 there is 13:00 UTC every day of the year. */
const BOGOTA_OFFSET = '-05:00';

export interface FeedVersion {
  sequence: number;
  modifiedAt: number;
}

export interface FeedEvent {
  uid: string;
  listed: ListedWorkflow;
}

/**
 * Whether a feed may be created for `scope`: `all`, or an area of the directory (config/areas.yaml,
 * as the plans are checked against). A feed of a misspelt or retired code would be an address that
 * answers, empty, for ever. `known` lists the directory's codes for the refusal; `problem` is the
 * directory's own first error when it could not be read whole.
 */
export function checkFeedScope(
  scope: string,
  directory: { areas: AreasDirectory | null; errors: readonly { message: string }[] },
): { ok: true } | { ok: false; known: string[]; problem: string | null } {
  if (scope === ALL_AREAS || (directory.areas && Object.hasOwn(directory.areas, scope))) return { ok: true };
  const problem = directory.errors.length > 0 ? (directory.errors[0]?.message ?? null) : null;
  return { ok: false, known: Object.keys(directory.areas ?? {}).sort(), problem };
}

/** The feed's address (web/routes/calendar-feed.ts); `webcal://` is the same for a client that subscribes by that scheme. */
export function feedUrls(baseUrl: string, token: string): { url: string; webcal: string } {
  const url = `${baseUrl}/calendario/${token}.ics`;
  return { url, webcal: url.replace(/^https?:\/\//, 'webcal://') };
}

/**
 * Closed runs older than this are left out of a feed's List. They are only read so that
 * deliverables() can tell a recurring activity's own workflow from its periods, and a period of a
 * running activity closes within its plan's year; without a bound, a feed would read every run of
 * every past year.
 */
const CLOSED_LOOKBACK_MS = 400 * 86_400_000;

/** The visibility query of a feed's scope; area codes are upper-case letters and digits. */
export function feedQuery(scope: string, now: Date): string {
  const who = scope === ALL_AREAS ? ANY_PLAN : areaIs(scope);
  const since = new Date(now.getTime() - CLOSED_LOOKBACK_MS).toISOString();
  return `${who} AND (ExecutionStatus = "Running" OR CloseTime > "${since}")`;
}

/**
 * One UID per deliverable (plan, activity, period), whatever its dates: a moved deadline is the
 * same event updated, and a rollover's new plan is new events. A namespace of its own, apart from
 * the mail's UID: the mail's event is one a person imported into their own calendar and may have
 * edited, and a subscribed calendar must not become an update to it.
 */
export function feedUid(w: Pick<ListedWorkflow, 'planId' | 'activity' | 'period'>, domain: string): string {
  const deliverable = `${w.planId}/${w.activity}/${w.period ?? '-'}`;
  return `${createHash('sha256').update(`calendar-feed:${deliverable}`).digest('hex').slice(0, 32)}@${domain}`;
}

/** The running deliverables of the scope with a due date, nearest first, at most FEED_MAX_EVENTS. */
export async function feedDeliverables(client: Client, scope: string, domain: string, now: Date): Promise<FeedEvent[]> {
  // Every workflow, closed ones too, so that deliverables() can tell a recurring activity's own
  // workflow from a period; only the running ones are published.
  const listed = deliverables(await listWorkflows(client, feedQuery(scope, now))).filter((w) => w.running && /^\d{4}-\d{2}-\d{2}$/.test(w.due));
  listed.sort((a, b) => a.due.localeCompare(b.due) || byNumber(a, b));
  return listed.slice(0, FEED_MAX_EVENTS).map((w) => ({ uid: feedUid(w, domain), listed: w }));
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000);

/**
 * The default policy's reminders, 08:00 in Bogotá on their business days. A plan's own policy is
 * not in visibility; for the few plans that change it, the mails are the reminders that count.
 */
function reminderInstants(due: string, calendar: BusinessCalendar): { days: number; at: Date }[] {
  const year = Number(due.slice(0, 4));
  if (!calendar.covers(year) || !calendar.covers(year - 1)) return [];
  return DEFAULT_NOTICE_POLICY.remindBusinessDaysBefore.map((days) => ({
    days,
    at: new Date(`${calendar.addBusinessDays(due, -days)}T${DEFAULT_NOTICE_POLICY.sendAt}:00${BOGOTA_OFFSET}`),
  }));
}

/**
 * What the store's version compares besides the due date: the alarms' instants. A day off declared
 * on a reminder's date (config/calendar.yaml, then `plazos calendar apply`) moves the alarm and not
 * the deadline; a subscribed calendar takes the new alarm only under a higher SEQUENCE.
 */
export function feedAlarms(due: string, calendar: BusinessCalendar): string {
  return reminderInstants(due, calendar)
    .map(({ at }) => at.toISOString())
    .join(' ');
}

export interface FeedOptions {
  scope: string;
  events: readonly FeedEvent[];
  versions: ReadonlyMap<string, FeedVersion>;
  calendar: BusinessCalendar;
  now: Date;
}

export function feedIcs({ scope, events, versions, calendar, now }: FeedOptions): string {
  const cal = ical({
    name: scope === ALL_AREAS ? 'Plazos: todos los planes' : `Plazos: ${scope}`,
    description: 'Fechas límite de los entregables en curso (plazos).',
    prodId: { company: 'plazos', product: 'calendario', language: 'ES' },
    method: ICalCalendarMethod.PUBLISH,
    // Outlook reads it as how often to refresh; Google refreshes on its own schedule.
    ttl: 3_600,
  });
  for (const { uid, listed: w } of events) {
    const version = versions.get(uid) ?? { sequence: 0, modifiedAt: now.getTime() };
    const title = clip(w.title || `Actividad ${w.activity}`, SUMMARY_TITLE_MAX);
    const where = `${w.planId}, actividad ${w.activity}${w.period ? `, periodo ${w.period}` : ''}`;
    const status = w.status ? STATUS_LABELS.es[w.status] : null;
    cal.createEvent({
      id: uid,
      allDay: true,
      start: new Date(`${w.due}T00:00:00Z`),
      end: nextDay(w.due),
      summary: `Fecha límite: ${title}`,
      description: [`Plan ${where}.`, `Áreas: ${w.areas.join(', ') || '(sin áreas)'}.`, ...(status ? [`Estado: ${status}.`] : [])].join('\n'),
      sequence: version.sequence,
      lastModified: new Date(version.modifiedAt),
      stamp: now,
      // A deadline, not a meeting: it must not block the day in anyone's agenda.
      transparency: ICalEventTransparency.TRANSPARENT,
      busystatus: ICalEventBusyStatus.FREE,
      alarms: reminderInstants(w.due, calendar).map(({ days, at }) => ({
        type: ICalAlarmType.display,
        trigger: at,
        description: `Faltan ${days} días hábiles: ${title}`,
      })),
    });
  }
  return cal.toString();
}
