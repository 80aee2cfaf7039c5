/**
 * Every recorded history replays against today's workflow code. A change that would break a
 * workflow already running in production (a year-long one, started with older code) fails here:
 * version such a change with patched() and keep the old histories.
 *
 * They replay against a bundle written the way the build writes production's
 * (workers/bundle.ts), so what is checked is what a worker loads.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { writeWorkflowBundle } from '../../workers/bundle';
import { workflowCode } from '../../workers/workflow-code';
import '../helpers/temporal';

const root = join(__dirname, 'histories');

function historyFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? historyFiles(path) : name.endsWith('.binpb') ? [path] : [];
  });
}

const files = historyFiles(root);
const dir = mkdtempSync(join(tmpdir(), 'plazos-replay-'));
let bundle: string;

beforeAll(async () => {
  bundle = await writeWorkflowBundle(join(dir, 'workflow-bundle.js'));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('has recorded histories to replay (each lifecycle path, children included)', () => {
  expect(files.length).toBeGreaterThanOrEqual(8);
});

it.each(files.map((f) => [f.slice(root.length + 1), f]))('replays %s without nondeterminism', async (_name, file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(file));
  await expect(Worker.runReplayHistory({ ...workflowCode({ bundle }), replayName: 'plazos-replay' }, history)).resolves.toBeUndefined();
});
