/** The workflows the worker registers. Only workflow functions are exported from here. */
export { planActivity, planActivityPeriod } from './activity-workflow';
export { planDigest } from './digest-workflow';
export { planFollowUpCut } from './follow-up-workflow';
