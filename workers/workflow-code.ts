/**
 * How every worker loads plazos's workflow code: the production worker, the simulation, the tests
 * and the replay of recorded histories. One definition, so a test never runs the workflows in a
 * sandbox set up differently from production's (a preloaded module is deep-frozen by the SDK,
 * which changes what code may do: see workflows/shared-libraries.ts).
 */
import type { WorkerOptions } from '@temporalio/worker';

export function workflowCode(): Pick<WorkerOptions, 'workflowsPath' | 'reuseV8Context' | 'bundlerOptions'> {
  return {
    workflowsPath: require.resolve('../workflows'),
    // The reused V8 context evaluates the bundle's modules again for every cached workflow; zod,
    // luxon and colombian-holidays are evaluated once and shared instead (issue 7, see the module).
    reuseV8Context: true,
    bundlerOptions: { preloadModules: [require.resolve('../workflows/shared-libraries')] },
  };
}
