/**
 * Every activity plazos registers, built from the dependencies given: nothing here reaches for a
 * global, so tests pass real pieces pointed at test servers and the worker passes production ones.
 * Workflows import this file as a type only.
 */
import { createEmailActivities, type EmailDeps } from './email';
import { createEvidenceActivities, type EvidenceActivityDeps } from './evidence';

export type ActivityDeps = EmailDeps & EvidenceActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createEmailActivities(deps),
    ...createEvidenceActivities(deps),
  };
}
