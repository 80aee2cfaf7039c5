/**
 * How every worker loads plazos's workflow code: the production worker, the simulation, the tests
 * and the replay of recorded histories. One definition, so a test never runs the workflows in a
 * sandbox set up differently from production's (a preloaded module is deep-frozen by the SDK,
 * which changes what code may do: see workflows/shared-libraries.ts).
 *
 * The compiled build (`npm run build`, `npm run setup`) also bundles the workflows ahead of time
 * into dist/workflow-bundle.js (workers/bundle.ts). A worker that finds it fresh loads it instead of
 * running webpack at start: that is seconds less to start and about 100 MB less resident, since
 * webpack's modules and caches stay in the heap after bundling (the open-workflows benchmark). Tests run from the
 * TypeScript sources, where there is no bundle, and bundle at start with the same options.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';

type WorkflowCode = Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle' | 'reuseV8Context' | 'bundlerOptions'>;

/** Where the build writes the bundle: dist/workflow-bundle.js beside dist/workers/. */
export const PREBUILT_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');
/** Written by every TypeScript build of dist/; a bundle older than it may hold older workflow code. */
const BUILD_INFO = join(__dirname, '..', '.tsbuildinfo');

/** What webpack is given, at build time or at a worker's start. */
export function bundleOptions(): Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> {
  return {
    workflowsPath: require.resolve('../workflows'),
    // The reused V8 context evaluates the bundle's modules again for every cached workflow; zod,
    // luxon and colombian-holidays are evaluated once and shared instead (see workflows/shared-libraries.ts).
    preloadModules: [require.resolve('../workflows/shared-libraries')],
  };
}

/**
 * The prebuilt bundle when it is as new as the compiled code; null when running from the sources
 * (tests), when there is none, or when `tsc` ran after it (the worker then bundles at start, as it
 * must never run older workflow code than it was built with).
 */
export function prebuiltBundle(): string | null {
  if (!__filename.endsWith('.js')) return null;
  return isFreshBundle(PREBUILT_BUNDLE, BUILD_INFO) ? PREBUILT_BUNDLE : null;
}

/** A bundle exists and no build of the compiled code happened after it. */
export function isFreshBundle(bundle: string, buildInfo: string): boolean {
  if (!existsSync(bundle)) return false;
  return !existsSync(buildInfo) || statSync(buildInfo).mtimeMs <= statSync(bundle).mtimeMs;
}

/** The worker options for plazos's workflows: a bundle file when given or prebuilt, else bundle at start. */
export function workflowCode(options: { bundle?: string } = {}): WorkflowCode {
  const bundle = options.bundle ?? prebuiltBundle();
  if (bundle) return { workflowBundle: { codePath: bundle }, reuseV8Context: true };
  const { workflowsPath, preloadModules } = bundleOptions();
  return { workflowsPath, reuseV8Context: true, bundlerOptions: { preloadModules } };
}
