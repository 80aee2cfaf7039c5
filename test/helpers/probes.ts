/**
 * What people see while the fault tests break things: a probe round reads a random activity's
 * status as `plazos status` does, asks every web app for /health, and opens the plan's dashboard on
 * one of them, signed in. Rounds run every second or so while faults happen; each result keeps the
 * phase of the test it was taken in, so a test can allow failures during an outage and none outside.
 */
import type { Client } from '@temporalio/client';
import { readStatus } from '../../client/status';
import type { Browser } from '../web/stack';

export type Phase = 'steady' | 'worker-killed' | 'postgres-down' | 'postgres-recovering' | 'temporal-down' | 'temporal-recovering' | 'after';

export interface ProbeResult {
  what: 'status' | 'health' | 'dashboard';
  phase: Phase;
  ok: boolean;
  detail?: string;
}

/** Gives up on a probe after `ms`: a hung request is an unanswered one. */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([work, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

export class Prober {
  phase: Phase = 'steady';
  readonly results: ProbeResult[] = [];
  private stopped = false;
  private loop: Promise<void> | null = null;

  /** `apps`: one browser per web app, sharing one signed-in cookie jar (Browser.at). */
  constructor(
    private readonly client: Client,
    private readonly apps: readonly { name: string; browser: Browser }[],
    private readonly workflowIds: readonly string[],
    private readonly dashboardPath: string,
  ) {}

  /** One round: a random activity's status, /health on every web app, and the plan's dashboard on a random one. */
  async round(): Promise<ProbeResult[]> {
    const phase = this.phase;
    const id = pick(this.workflowIds);
    const probe = async (what: ProbeResult['what'], work: () => Promise<void>): Promise<ProbeResult> => {
      try {
        await within(20_000, work());
        return { what, phase, ok: true };
      } catch (err) {
        return { what, phase, ok: false, detail: err instanceof Error ? err.message.slice(0, 200) : String(err) };
      }
    };
    const dashboard = pick(this.apps);
    const results = await Promise.all([
      probe('status', async () => {
        const reading = await readStatus(this.client, id);
        if (!reading) throw new Error(`${id}: no such workflow`);
      }),
      ...this.apps.map(({ name, browser }) =>
        probe('health', async () => {
          const res = await browser.get('/health');
          if (res.statusCode !== 200) throw new Error(`web ${name}: /health answered ${res.statusCode}`);
        }),
      ),
      probe('dashboard', async () => {
        const res = await dashboard.browser.get(this.dashboardPath);
        if (res.statusCode !== 200) throw new Error(`web ${dashboard.name}: ${this.dashboardPath} answered ${res.statusCode}`);
      }),
    ]);
    this.results.push(...results);
    return results;
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await this.round();
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
  }

  /** Rounds until one answers on every probe (bounded): the service is back for the people who use it. */
  async recovered(what: string, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const results = await this.round();
      if (results.every((r) => r.ok)) return;
      if (Date.now() > deadline) throw new Error(`status and dashboard did not answer again within ${timeoutMs} ms after ${what}: ${JSON.stringify(results)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Per kind of probe: how many were sent, and the phase of each that failed. */
  summary(): Record<ProbeResult['what'], { sent: number; failed: Phase[] }> {
    const of = (what: ProbeResult['what']) => {
      const mine = this.results.filter((r) => r.what === what);
      return { sent: mine.length, failed: mine.filter((r) => !r.ok).map((r) => r.phase) };
    };
    return { status: of('status'), health: of('health'), dashboard: of('dashboard') };
  }
}

/**
 * For a failing run: when each task queue last saw a poller. Twice in five runs here the surviving
 * worker stopped polling workflow tasks after the Temporal server restart while it kept polling
 * activity tasks, and the kickoffs still owed waited in the backlog.
 */
export async function pollers(client: Client, taskQueue: string): Promise<string> {
  const lines: string[] = [];
  for (const taskQueueType of [1, 2] as const) {
    try {
      const res = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType });
      const seen = res.pollers.map((p) => `${p.identity} last polled ${new Date(Number(p.lastAccessTime?.seconds ?? 0) * 1000).toISOString()}`);
      lines.push(`${taskQueueType === 1 ? 'workflow' : 'activity'} task queue: ${seen.join(', ') || 'no pollers'}`);
    } catch (err) {
      lines.push(`describeTaskQueue failed: ${String(err)}`);
    }
  }
  return `${lines.join('\n')} (now ${new Date().toISOString()})`;
}
