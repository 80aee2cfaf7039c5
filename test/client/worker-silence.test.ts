/**
 * Which failed status queries mean "no worker answered" (answer from the index instead) and which
 * are real errors that must reach the person (the server is down, the query itself failed). The
 * errors are shaped as @grpc/grpc-js delivers them, wrapped the way the Temporal client wraps them.
 */
import { ServiceError } from '@temporalio/client';
import { workerSilence } from '../../client/status';

/** A gRPC status error as grpc-js builds it, inside the client's "Failed to query Workflow". */
function failedQuery(code: number, details: string): ServiceError {
  const grpc = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Failed to query Workflow', { cause: grpc });
}

describe('workerSilence', () => {
  it('a deadline exceeded, by the client or by the server ("query timed out before a worker could process it"), is the worker not answering in time', () => {
    expect(workerSilence(failedQuery(4, 'Deadline exceeded after 2.999s'))).toBe('deadline');
    expect(workerSilence(failedQuery(4, 'query timed out before a worker could process it'))).toBe('deadline');
  });

  it('"no poller seen for task queue recently" is no worker at all', () => {
    expect(workerSilence(failedQuery(9, 'no poller seen for task queue recently, worker may be down'))).toBe('no-worker');
  });

  it('a call cancelled once the deadline has passed (the server reset it first) counts as the deadline; before it, it is an error', () => {
    expect(workerSilence(failedQuery(1, 'Call cancelled'), true)).toBe('deadline');
    expect(workerSilence(failedQuery(1, 'Call cancelled'), false)).toBeNull();
  });

  it('the server unreachable, another precondition or a plain error are errors, not a silent worker', () => {
    expect(workerSilence(failedQuery(14, 'No connection established'), true)).toBeNull();
    expect(workerSilence(failedQuery(9, 'workflow execution already completed'))).toBeNull();
    expect(workerSilence(new Error('boom'), true)).toBeNull();
  });
});
