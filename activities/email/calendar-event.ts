/**
 * The due date as an all-day calendar event (.ics, METHOD:PUBLISH), attached to kickoff and reminder
 * mails so the responsible area can put the deadline in its calendar with one click.
 */
import { createEvent } from 'ics';
import { dateParts, nextDay } from './dates';
import { sha256Hex } from './message-id';
import type { NoticeEmailInput, NoticeLocale } from './types';

export interface CalendarEventInput {
  uid: string;
  dueDate: string;
  title: string;
  description: string;
  url: string | null;
}

const FILENAME: Record<NoticeLocale, (activity: number) => string> = {
  es: (n) => `fecha-limite-actividad-${n}.ics`,
  en: (n) => `due-date-activity-${n}.ics`,
};

export function calendarFilename(locale: NoticeLocale, activityNumber: number): string {
  return FILENAME[locale](activityNumber);
}

/**
 * One UID per deliverable (plan, activity, period), not per notice: the kickoff and every reminder
 * of the same deliverable then update one calendar entry instead of adding a new one each time.
 * It is a pure function of the notice, so a retried send attaches the same UID.
 */
export function calendarUid(input: Pick<NoticeEmailInput, 'plan' | 'activity' | 'period'>, domain: string): string {
  const deliverable = `${input.plan.id}/${input.activity.number}/${input.period ?? '-'}`;
  return `${sha256Hex(`calendar:${deliverable}`).slice(0, 32)}@${domain}`;
}

export function calendarEvent(event: CalendarEventInput): string {
  const { error, value } = createEvent({
    uid: event.uid,
    method: 'PUBLISH',
    productId: '-//plazos//avisos//ES',
    start: dateParts(event.dueDate),
    end: nextDay(event.dueDate),
    title: event.title,
    description: event.description,
    ...(event.url ? { url: event.url } : {}),
    // A deadline, not a meeting: it must not block the day in anyone's agenda.
    busyStatus: 'FREE',
    transp: 'TRANSPARENT',
  });
  if (error || !value) throw error ?? new Error('ics produced no calendar');
  return value;
}
