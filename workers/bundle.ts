/**
 * Bundles the workflows ahead of time into dist/workflow-bundle.js (run by `npm run build`,
 * `npm run setup` and the Dockerfile, after `tsc`), so workers load it instead of running webpack
 * at start (see workers/workflow-code.ts). Written to a temporary file and renamed, so a worker
 * starting meanwhile reads the old bundle or the new one, never half of one.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundleOptions, PREBUILT_BUNDLE } from './workflow-code';

export async function writeWorkflowBundle(target = PREBUILT_BUNDLE): Promise<string> {
  const { code } = await bundleWorkflowCode({ ...bundleOptions(), logger: silentLogger() });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, target);
  return target;
}

/** webpack's progress lines are noise in a build's output; its warnings and errors are not. */
function silentLogger(): NonNullable<Parameters<typeof bundleWorkflowCode>[0]['logger']> {
  const quiet = (): void => undefined;
  const stderr = (message: string): void => void process.stderr.write(`${message}\n`);
  return { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: stderr, error: stderr };
}

if (require.main === module) {
  writeWorkflowBundle().then(
    (file) => process.stdout.write(`flujos empaquetados en ${file}\n`),
    (err: unknown) => {
      process.stderr.write(`No se pudieron empaquetar los flujos: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
