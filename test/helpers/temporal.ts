/**
 * Starts the real Temporal servers for tests from the binaries that `npm run setup` unpacked: the
 * SDK's own download cannot work without internet, so its `existing-path` executable is used.
 */
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { temporalCliPath, testServerPath } from '../../config/tools';

// Worker state changes, bundle sizes and the expected activity failures of the fault tests drown the test report; errors still show.
// The runtime is process-wide and can be installed once, so a second test file's import is a no-op.
try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // already installed in this jest worker
}

/** The Temporal CLI's dev server (SQLite in memory unless a file is given). */
export function startDevServer(
  options: { dbFilename?: string; searchAttributes?: SearchAttributeKey<SearchAttributeType>[] } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      dbFilename: options.dbFilename,
      searchAttributes: options.searchAttributes,
      ip: '127.0.0.1',
    },
  });
}

/** Temporal's time-skipping test server: timers of a year pass in seconds. */
export function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
  });
}
