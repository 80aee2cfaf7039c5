/**
 * Every activity plazos registers, built from the dependencies given: nothing here reaches for a
 * global, so tests pass real pieces pointed at test servers and the worker passes production ones.
 * Workflows import this file as a type only.
 */
import { BusinessCalendar } from '../calendar/business-calendar';
import { createDigestActivities, loadDigestTemplates, type DigestDeps } from './digest';
import { createEmailActivities, type EmailDeps } from './email';
import { createEvidenceActivities, type EvidenceActivityDeps } from './evidence';

/** The digest's pieces default to the shipped templates and the Colombian calendar. */
export type ActivityDeps = EmailDeps & EvidenceActivityDeps & Partial<Pick<DigestDeps, 'digestTemplates' | 'calendar' | 'client'>>;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createEmailActivities(deps),
    ...createEvidenceActivities(deps),
    ...createDigestActivities({ ...deps, digestTemplates: deps.digestTemplates ?? loadDigestTemplates(), calendar: deps.calendar ?? new BusinessCalendar() }),
  };
}
