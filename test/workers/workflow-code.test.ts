/**
 * A worker loads the bundle the build wrote only while it is as new as the compiled code: after a
 * `tsc` that skipped the bundling step it must bundle at start rather than run older workflows.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFreshBundle, workflowCode } from '../../workers/workflow-code';

const dir = mkdtempSync(join(tmpdir(), 'plazos-bundle-'));
const bundle = join(dir, 'workflow-bundle.js');
const buildInfo = join(dir, '.tsbuildinfo');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function touch(path: string, seconds: number): void {
  writeFileSync(path, '');
  utimesSync(path, seconds, seconds);
}

it('uses a bundle written after the last build', () => {
  touch(buildInfo, 1_000);
  touch(bundle, 2_000);
  expect(isFreshBundle(bundle, buildInfo)).toBe(true);
});

it('refuses a bundle older than the last build (tsc ran without bundling)', () => {
  touch(bundle, 1_000);
  touch(buildInfo, 2_000);
  expect(isFreshBundle(bundle, buildInfo)).toBe(false);
});

it('refuses a missing bundle', () => {
  rmSync(bundle, { force: true });
  expect(isFreshBundle(bundle, buildInfo)).toBe(false);
});

it('bundles at start, with the shared libraries preloaded, when running from the sources', () => {
  const code = workflowCode();
  expect(code.workflowBundle).toBeUndefined();
  expect(code.workflowsPath).toMatch(/workflows[\\/]index\.ts$/);
  expect(code.bundlerOptions?.preloadModules).toEqual([expect.stringMatching(/shared-libraries\.ts$/)]);
  expect(code.reuseV8Context).toBe(true);
});

it('loads a given bundle file without bundling', () => {
  expect(workflowCode({ bundle: '/some/workflow-bundle.js' })).toEqual({ workflowBundle: { codePath: '/some/workflow-bundle.js' }, reuseV8Context: true });
});
