/**
 * Test double of an activity's `reportProgress` handler (which the progress work adds to
 * workflows/period.ts): it keeps what it is sent, so the test reads what the reply mailbox sent.
 */
import { condition, defineQuery, setHandler } from '@temporalio/workflow';
import { reportProgressUpdate, type ProgressReport } from '../../workflows/shared';

export const reportsQuery = defineQuery<ProgressReport[]>('reports');

export async function progressDouble(): Promise<void> {
  const reports: ProgressReport[] = [];
  setHandler(reportProgressUpdate, (report) => {
    reports.push(report);
    return { percent: report.percent, receivedAt: '2023-06-01T13:00:00.000Z', status: 'active' };
  });
  setHandler(reportsQuery, () => reports);
  await condition(() => false);
}
