/**
 * The one place a reply that reports only progress ("Avance: 60 %") reaches its workflow: the
 * `reportProgress` update, deduplicated by the reply's update ID and, inside the workflow, by the
 * report's `sourceId` (the reply's Message-ID).
 */
import type { Client } from '@temporalio/client';
import { reportProgressUpdate, type ProgressReceipt, type ProgressReport } from '../workflows/shared';

export function reportProgressByMail(client: Client, workflowId: string, report: ProgressReport, updateId: string): Promise<ProgressReceipt> {
  return client.workflow.getHandle(workflowId).executeUpdate(reportProgressUpdate, { args: [report], updateId });
}
