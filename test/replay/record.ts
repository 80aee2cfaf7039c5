/**
 * Records the histories of test/replay/scenarios.ts into test/replay/histories/<version>/<name>/ (one
 * binary protobuf file per workflow, children included). Run with `npm run record-histories`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { startEngine } from '../../simulation/engine';
import { seedAreas } from '../helpers/seed';
import { SCENARIOS } from './scenarios';
import '../helpers/temporal';

const version = process.env.PLAZOS_HISTORY_VERSION ?? 'v1';
/** `PLAZOS_HISTORY_ONLY=started-overdue`: record only the named scenarios (the new paths of a version). */
const only = process.env.PLAZOS_HISTORY_ONLY?.split(',');

it(`records the replay histories (${version})`, async () => {
  for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
    const engine = await startEngine({ areas: seedAreas() });
    try {
      const run = await scenario.run(engine);
      const result = await run.handle.result();
      const dir = join(__dirname, 'histories', version, scenario.name);
      mkdirSync(dir, { recursive: true });
      // The time-skipping server cannot list workflows: the children are named by the result.
      const ids = [run.handle.workflowId, ...(result.periods ?? []).map((p) => `${run.handle.workflowId}/${p.period}`)];
      for (const id of ids) {
        // Every run of a workflow that continued as new: the first under the id's name, then _run2, _run3...
        const first = (await engine.env.client.workflow.getHandle(id).describe()).raw.workflowExecutionInfo?.firstRunId || undefined;
        let runId: string | undefined = first;
        for (let n = 1; ; n++) {
          const history = await engine.env.client.workflow.getHandle(id, runId).fetchHistory();
          // Binary protobuf: historyToJSON of SDK 1.24.0 throws ("type must be a Type").
          writeFileSync(join(dir, `${id.replace(/\//g, '_')}${n === 1 ? '' : `_run${n}`}.binpb`), temporal.api.history.v1.History.encode(history).finish());
          runId = history.events?.[history.events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
          if (!runId) break;
        }
      }
    } finally {
      await engine.close();
    }
  }
});
