/** An activity that heartbeats while it works is retried soon after its worker dies. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { whileHeartbeating } from '../../activities/heartbeat';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

it('heartbeats at each interval until the work is done, then stops', async () => {
  const env = new MockActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  // The interval is due several times before the 45 ms work ends (how many depends on the machine's load).
  await expect(env.run(() => whileHeartbeating(after(45, 'sent'), 10))).resolves.toBe('sent');
  const seen = beats.length;
  expect(seen).toBeGreaterThanOrEqual(1);
  await after(30, null);
  expect(beats.length).toBe(seen);
});

it('stops heartbeating when the work fails, and passes the failure on', async () => {
  const env = new MockActivityEnvironment();
  let beats = 0;
  env.on('heartbeat', () => beats++);
  const failing = after(25, null).then(() => Promise.reject(new Error('SMTP 421')));
  await expect(env.run(() => whileHeartbeating(failing, 10))).rejects.toThrow('SMTP 421');
  const seen = beats;
  await after(30, null);
  expect(beats).toBe(seen);
});

it('just runs the work outside an activity', async () => {
  await expect(whileHeartbeating(after(5, 42), 1)).resolves.toBe(42);
});
