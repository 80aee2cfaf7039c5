/**
 * Polls until a condition holds, for tests that wait on a server, a worker or a process. It asserts
 * nothing about time: `timeoutMs` only bounds how many polls (`timeoutMs / everyMs`) are made before
 * the test fails saying what never happened and the last value read. An error from `read()` fails
 * at once (test/helpers/processes.ts has the variant that keeps polling through errors).
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  { timeoutMs = 15_000, everyMs = 100 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < timeoutMs / everyMs; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`never happened: ${what} (last: ${JSON.stringify(last)?.slice(0, 500)})`);
}
