/**
 * What the digest and the cut reports read of a plan: its workflows as Temporal's visibility lists
 * them, one paginated List that wakes no workflow. The worker passes it in (workers/deps.ts builds it
 * on client/plan-list.ts): the client sits above the activities, so they receive it, never import it.
 */
import type { ListedWorkflow } from '../domain/listed-workflow';

export interface PlanList {
  /** The plan's deliverables (each one-off activity and each started period), in activity and period order. */
  deliverables(planId: string, zone: string): Promise<ListedWorkflow[]>;
  /** Its deliverables still running, in no particular order. */
  running(planId: string, zone: string): Promise<ListedWorkflow[]>;
  /** How many of its workflows are missed. */
  missed(planId: string): Promise<number>;
}
