/**
 * `plazos status` (the real CLI, as a child process) when the worker does not answer: the real
 * workflows on the dev server, the worker in this process and shut down half-way. A plan's list
 * comes from visibility and does not notice; one activity, asked directly, still answers from the
 * server's index, marked so in the text and in --json, and says why on stderr.
 *
 * The tests run in order: the worker is shut down after the first describe block.
 */
import type { StatusRow } from '../../cli/status';
import { startPlan } from '../../client/start-plan';
import { settled, startStatusStack, type StatusStack } from '../client/status-stack';
import { webTestPlan } from '../web/stack';
import { buildCli, plazosAsync, type Run } from './helpers';

const { calendar, due, plan } = webTestPlan(2);
const INDEX_MARK = '[según el índice del servidor: el motor no respondió en 3 s]';

let stack: StatusStack;
beforeAll(async () => {
  await buildCli();
  stack = await startStatusStack('plazos-cli-status');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await Promise.all([1, 2].map((n) => settled(stack.env.client, `${plan.id}/${n}`)));
}, 180_000);
afterAll(() => stack?.stop());

function plazos(args: string[]): Promise<Run> {
  return plazosAsync(args, { TEMPORAL_ADDRESS: stack.env.address, PLAZOS_TASK_QUEUE: stack.taskQueue, PLAZOS_DATA_DIR: stack.dataDir, PLAZOS_LOCALE: 'es' });
}

async function statusJson(...args: string[]): Promise<StatusRow[]> {
  const run = await plazos(['status', plan.id, ...args, '--json']);
  expect(run.status).toBe(0);
  return (JSON.parse(run.stdout) as { activities: StatusRow[] }).activities;
}

function lineOf(stdout: string, n: number): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${plan.id}/${n} `));
  if (!line) throw new Error(`no line for ${plan.id}/${n} in:\n${stdout}`);
  return line;
}

describe('while the worker answers', () => {
  it('one activity comes from the worker, with its evidence count and next notice and why, and no note', async () => {
    const run = await plazos(['status', plan.id, '1']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(lineOf(run.stdout, 1)).toContain('evidencias 0');
    expect(lineOf(run.stdout, 1)).toContain('próximo: recordatorio');
    expect(run.stdout).not.toContain('índice del servidor');
    expect((await statusJson('1')).map((r) => r.source)).toEqual(['worker']);
  });

  it("the plan's list comes from visibility: every row says so", async () => {
    expect((await statusJson()).map((r) => r.source)).toEqual(['visibility', 'visibility']);
  });
});

describe('after the worker is shut down', () => {
  beforeAll(() => stack.stopWorker());

  it("the plan's list answers as before, in full, with no note: it never asked the worker", async () => {
    const run = await plazos(['status', plan.id]);
    expect(run.status).toBe(0);
    for (const [n, areas] of [
      [1, 'ARVIV'],
      [2, 'ASERA,ARCOM'],
    ] as const) {
      const line = lineOf(run.stdout, n);
      expect(line).toMatch(/ en curso /);
      expect(line).toContain(`vence ${due}`);
      expect(line).toContain(areas);
      expect(line).toContain('evidencias 0');
      expect(line).toContain('próximo aviso ');
      expect(line).not.toContain(INDEX_MARK);
    }
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(run.stderr).toBe('');
  });

  it('one activity still answers from the server index, marked so, and stderr says why in Spanish', async () => {
    const run = await plazos(['status', plan.id, '2']);
    expect(run.status).toBe(0);
    const line = lineOf(run.stdout, 2);
    expect(line).toMatch(/ en curso /);
    expect(line).toContain(`vence ${due}`);
    expect(line).toContain('ASERA,ARCOM');
    expect(line).toContain(INDEX_MARK);
    expect(run.stderr).toContain('Nota: el motor no respondió a tiempo para la actividad; su estado, vencimiento y áreas vienen del índice del servidor');
  });

  it('--json gives source "index" with the status, due date, areas and title the server knows, and no evidence count or next notice', async () => {
    const rows = await statusJson('2');
    expect(rows).toEqual([
      {
        workflowId: `${plan.id}/2`,
        activity: 2,
        period: null,
        title: 'Divulgar trámites y servicios',
        responsible: ['ASERA', 'ARCOM'],
        status: 'active',
        due,
        next: null,
        evidence: null,
        source: 'index',
        deadlineMs: 3000,
        execution: 'RUNNING',
      },
    ]);
  });
});
