/**
 * The plan as what runs for it carries it: its id, title and year, the entity, the area that leads
 * it, its time zone and its notice policy; never another activity, never a person's name. One shape:
 * the activity workflows take it whole, and every other use (a notice, the digest, a cut report, a
 * reply's registration) takes its part with Pick.
 */
import type { NoticePolicyOverride } from '../calendar/policy';

export interface PlanRef {
  id: string;
  title: string;
  year: number;
  entity?: string;
  /** Area code of the plan's lead (OAPLA): escalations, the digest and the cut reports go to it. */
  owner: string;
  timezone: string;
  policy?: NoticePolicyOverride;
}
