/**
 * A test that needs something outside the project (a Compose CLI): when it is missing the test is
 * skipped, and says what and why on the test output, where jest alone would only count it.
 */
export function itWhen(ready: boolean, why: string): jest.It {
  if (ready) return it;
  process.stderr.write(`[prueba omitida] ${why}\n`);
  return it.skip;
}
