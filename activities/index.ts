/**
 * Every activity plazos registers, built from the dependencies given: nothing here reaches for a
 * global, so tests pass real pieces pointed at test servers and the worker passes production ones.
 * Workflows import this file as a type only.
 */
import { BusinessCalendar } from '../calendar/business-calendar';
import { createDigestActivities, loadDigestTemplates, type DigestDeps } from './digest';
import { createEmailActivities, type EmailDeps } from './email';
import { createEvidenceActivities, type EvidenceActivityDeps } from './evidence';
import { createCutActivities, loadCutTemplates, memoryCutStore, type CutDeps } from './follow-up';

/**
 * The digest's pieces default to the shipped templates and the Colombian calendar; the cut reports
 * are kept in `cutStore` (the worker gives the one on plazos's stores), in memory otherwise. Both
 * read the plan's workflows through `planList`, which the worker builds on the client.
 */
export type ActivityDeps = EmailDeps &
  EvidenceActivityDeps &
  Pick<DigestDeps, 'planList'> &
  Partial<Pick<DigestDeps, 'digestTemplates' | 'calendar'>> &
  Partial<Pick<CutDeps, 'cutStore' | 'cutTemplates' | 'now'>>;

export function createActivities(deps: ActivityDeps) {
  const calendar = deps.calendar ?? new BusinessCalendar();
  return {
    ...createEmailActivities(deps),
    ...createEvidenceActivities(deps),
    ...createDigestActivities({ ...deps, digestTemplates: deps.digestTemplates ?? loadDigestTemplates(), calendar }),
    ...createCutActivities({
      ...deps,
      calendar,
      cutStore: deps.cutStore ?? memoryCutStore(),
      cutTemplates: deps.cutTemplates ?? loadCutTemplates(),
    }),
  };
}
