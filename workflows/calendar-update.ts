/**
 * A calendar change reaching a running workflow (`plazos calendar apply`): the validator's check,
 * shared by a period's workflow and a recurring activity's parent.
 *
 * Versioning: the update handlers are new, and a handler adds no command, so histories recorded
 * before them replay unchanged (test/replay). What a handled change does to the timers is marked
 * with CALENDAR_PATCH, so that a later change to how a workflow recomputes its notices can keep
 * the histories that took a calendar under this code on this path.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { diffCalendarData, mergeCalendarData, type CalendarData, type CalendarDiff } from '../calendar/business-calendar';
import { CalendarUpdateSchema } from './shared';
import { parseOrThrow } from './validation';

export const CALENDAR_PATCH = 'calendar-apply-v1';

/** The failure type of an update that would change nothing: not an error, and kept out of the history. */
export const CALENDAR_UNCHANGED = 'CalendarUnchanged';

/** The merged calendar and what it changes, or a refusal thrown for the validator. */
export function checkCalendarUpdate(current: CalendarData, payload: unknown): { merged: CalendarData; diff: CalendarDiff } {
  const update = parseOrThrow(CalendarUpdateSchema, payload);
  const merged = mergeCalendarData(current, update.calendar);
  const diff = diffCalendarData(current, merged);
  if (diff.added.length === 0 && diff.removed.length === 0) {
    // Refused in the validator, so re-running `calendar apply` writes nothing to the history.
    throw ApplicationFailure.create({ type: CALENDAR_UNCHANGED, message: 'El calendario de esta actividad ya está al día.', nonRetryable: true });
  }
  return { merged, diff };
}
