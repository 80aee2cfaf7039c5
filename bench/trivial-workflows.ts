/**
 * The baselines' workflows: what Temporal costs with no plazos code in it. `benchSleep` sleeps as
 * a plan activity does between notices; `benchNoop` is never run (plan start measures starts only);
 * `benchTimerThenMail` waits for an instant and then sends one plain message through an activity,
 * which is the burst with Temporal and SMTP but without plazos's templates, ledger and attributes.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BenchActivities } from './trivial-activities';

const { benchMail } = proxyActivities<BenchActivities>({ startToCloseTimeout: '1 minute' });

export async function benchSleep(days: number): Promise<void> {
  await sleep(days * 24 * 60 * 60 * 1000);
}

export function benchNoop(): Promise<void> {
  // Nothing: the baseline of a start is the start itself.
  return Promise.resolve();
}

export async function benchTimerThenMail(fireAtMs: number, n: number): Promise<void> {
  // Date.now() inside the workflow sandbox is the deterministic time of the workflow task.
  await sleep(Math.max(1, fireAtMs - Date.now()));
  await benchMail(n);
}
