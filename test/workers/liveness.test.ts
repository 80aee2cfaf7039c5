import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../config/paths';
import { judge, lastPollOf, reportsStuckRun, type LivenessState, type PollerSeen } from '../../workers/liveness';

const ME = '4242@worker-a';
const STALE = 300_000;
const at = (ms: number): PollerSeen['lastAccessTime'] => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

describe('the liveness watch', () => {
  it('reads its own last poll among the pollers the server lists, ignoring other workers', () => {
    const pollers: PollerSeen[] = [
      { identity: '1@other', lastAccessTime: at(9_000_000) },
      { identity: ME, lastAccessTime: at(1_000_500) },
      { identity: ME, lastAccessTime: at(2_000_250) },
    ];
    expect(lastPollOf(pollers, ME)).toBe(2_000_250);
    expect(lastPollOf(pollers, '7@nobody')).toBeUndefined();
  });

  it('calls a worker polling while its last poll is younger than the limit, and keeps that as its healthy moment', () => {
    const state: LivenessState = { healthySince: 0 };
    expect(judge(state, [{ identity: ME, lastAccessTime: at(1_000_000) }], ME, 1_000_000 + STALE - 1, STALE)).toEqual({ kind: 'polling' });
    expect(state.healthySince).toBe(1_000_000);
  });

  it('calls it stalled once the server has not seen it poll for the whole limit', () => {
    const state: LivenessState = { healthySince: 0 };
    expect(judge(state, [{ identity: ME, lastAccessTime: at(1_000_000) }], ME, 1_000_000 + STALE, STALE)).toEqual({
      kind: 'stalled',
      lastPoll: 1_000_000,
      quietMs: STALE,
    });
  });

  it('gives a worker the server does not list yet the whole limit from the start of the watch', () => {
    const state: LivenessState = { healthySince: 5_000_000 };
    expect(judge(state, [], ME, 5_000_000 + STALE - 1, STALE).kind).toBe('polling');
    expect(judge(state, [{ identity: '1@other', lastAccessTime: at(5_100_000) }], ME, 5_000_000 + STALE, STALE)).toEqual({
      kind: 'stalled',
      lastPoll: undefined,
      quietMs: STALE,
    });
  });

  it('does not count an outage: while the server does not answer, and for the whole limit after, the worker is not stalled', () => {
    const state: LivenessState = { healthySince: 0 };
    expect(judge(state, new Error('14 UNAVAILABLE'), ME, 10_000_000, STALE)).toEqual({ kind: 'outage' });
    // The server is back and lists an old poll (from before the outage): the clock restarted at the outage.
    expect(judge(state, [{ identity: ME, lastAccessTime: at(1_000_000) }], ME, 10_000_000 + STALE - 1, STALE).kind).toBe('polling');
    expect(judge(state, [{ identity: ME, lastAccessTime: at(1_000_000) }], ME, 10_000_000 + STALE, STALE).kind).toBe('stalled');
  });
});

describe('the stuck-run report', () => {
  it('is recognised in the words the bundled SDK core logs it, so an SDK upgrade that rewords or removes it fails here', () => {
    const source = readFileSync(
      join(REPO_ROOT, 'node_modules/@temporalio/core-bridge/sdk-core/crates/sdk-core/src/worker/workflow/workflow_stream.rs'),
      'utf8',
    );
    const logged = /dbg_panic!\("(Extra buffered run[^"]*)"\)/.exec(source);
    expect(logged).not.toBeNull();
    expect(reportsStuckRun(logged![1]!)).toBe(true);
    expect(reportsStuckRun('Task not found when completing')).toBe(false);
  });
});
