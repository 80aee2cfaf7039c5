/**
 * Workflow IDs: codes and numbers only, never a person's name or address, since Temporal shows and
 * indexes them. Pure, so that the workflows, the activities' links and the client build the same ones.
 */

/** `participacion-ciudadana-2023/13`. */
export function activityWorkflowId(planId: string, activityNumber: number): string {
  return `${planId}/${activityNumber}`;
}

/** `participacion-ciudadana-2023/11/2023-03`: one child per period of a recurring activity. */
export function periodWorkflowId(planId: string, activityNumber: number, periodKey: string): string {
  return `${activityWorkflowId(planId, activityNumber)}/${periodKey}`;
}
