/**
 * How an update OAPLA or an area sends gets through a refusal that is only for now (a run continuing as
 * new, updates in flight at the server's limit), and how the workflow's own refusal still comes back at
 * once, in its words. The errors are built as @temporalio/client throws them after its own retries.
 */
import { Metadata } from '@grpc/grpc-js';
import { ApplicationFailure } from '@temporalio/common';
import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { BUSY_MESSAGE, refusedForNow, sendUpdate, tryUpdate } from '../../client/operations';

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });
}
const closing = () => new ServiceError('Workflow Update failed', { cause: grpcError(8, 'workflow operation can not be applied because workflow is closing') });
const inFlight = () =>
  new ServiceError('Workflow Update failed', { cause: grpcError(8, 'limit on number of concurrent in-flight updates has been reached (10)') });
const totalCap = () => new ServiceError('Workflow Update failed', { cause: grpcError(9, 'limit on number of total updates has been reached (2000)') });
const refusal = () =>
  new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ message: 'La nueva fecha 2020-01-01 ya pasó (hoy es 2026-12-07).' }));

function failing<T>(errors: Error[], value: T) {
  let calls = 0;
  const send = () => {
    calls++;
    const err = errors.shift();
    return err ? Promise.reject(err) : Promise.resolve(value);
  };
  return { send, calls: () => calls };
}

describe('an update the server refuses for now', () => {
  it('is told apart from the refusals that would be the same the next time', () => {
    expect(refusedForNow(closing())).toBe(true);
    expect(refusedForNow(inFlight())).toBe(true);
    expect(refusedForNow(totalCap())).toBe(true);
    expect(refusedForNow(refusal())).toBe(false);
    expect(refusedForNow(new ServiceError('Workflow Update failed', { cause: grpcError(9, 'something else') }))).toBe(false);
    expect(refusedForNow(new ServiceError('Workflow Update failed', { cause: grpcError(14, 'unavailable') }))).toBe(false);
    expect(refusedForNow(new Error('x'))).toBe(false);
  });

  it('is sent again while the run continues as new, and its answer comes from the new run', async () => {
    const s = failing([closing(), inFlight()], { status: 'active', due: '2026-12-31' });
    await expect(tryUpdate(s.send, { firstDelayMs: 1 })).resolves.toEqual({ ok: true, value: { status: 'active', due: '2026-12-31' } });
    expect(s.calls()).toBe(3);
  });

  it('is sent a bounded number of times, then the last error goes to the caller', async () => {
    const s = failing([inFlight(), inFlight(), inFlight(), inFlight(), inFlight()], 'never');
    await expect(sendUpdate(s.send, { attempts: 3, firstDelayMs: 1 })).rejects.toBeInstanceOf(ServiceError);
    expect(s.calls()).toBe(3);
  });

  it('still refused after every attempt: a refusal in Spanish saying nothing was applied, never "Workflow Update failed"', async () => {
    const s = failing([totalCap(), totalCap(), totalCap()], 'never');
    const outcome = await tryUpdate(s.send, { attempts: 3, firstDelayMs: 1 });
    expect(outcome).toEqual({ ok: false, message: BUSY_MESSAGE });
    expect(BUSY_MESSAGE).toMatch(/no se aplicó nada\. Intente de nuevo/);
    expect(s.calls()).toBe(3);
    const mailbox = failing([totalCap(), totalCap()], 'never');
    await expect(tryUpdate(mailbox.send, { attempts: 2, firstDelayMs: 1, throwWhenBusy: true })).rejects.toBeInstanceOf(ServiceError);
  });
});

describe("the workflow's own refusal", () => {
  it('is never sent again, and comes back in Spanish as a value', async () => {
    const s = failing([refusal()], 'never');
    await expect(tryUpdate(s.send, { firstDelayMs: 1 })).resolves.toEqual({ ok: false, message: 'La nueva fecha 2020-01-01 ya pasó (hoy es 2026-12-07).' });
    expect(s.calls()).toBe(1);
  });
});
