/**
 * PostgreSQL restarted under load (an operator's `pg_ctl restart`, a failover): statements in flight
 * fail and are retried by their callers, and the process lives on. A client checked out of the pool
 * when the server ended its connection once emitted an unhandled 'error' and ended the worker, with
 * the notices it had sent but not yet recorded.
 */
import { openRecords } from '../../store/records';
import { postgresEngine } from '../helpers/records';

test('a PostgreSQL restart in the middle of 20 concurrent writers fails some statements and ends nothing; writes resume', async () => {
  const engine = await postgresEngine();
  const records = await openRecords(engine.fresh());
  try {
    let stop = false;
    let written = 0;
    let refused = 0;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          await records.sent.record({ idempotencyKey: `${w}/${i}`, messageId: `<${w}.${i}@entidad.gov.co>`, accepted: [], rejected: [] });
          written++;
        } catch {
          refused++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const writers = Array.from({ length: 20 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 500));
    for (let k = 0; k < 2; k++) {
      engine.server.stop();
      await new Promise((r) => setTimeout(r, 300));
      engine.server.start();
      await new Promise((r) => setTimeout(r, 700));
    }
    const before = written;
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all(writers);
    expect(refused).toBeGreaterThan(0);
    expect(written).toBeGreaterThan(before);
    await expect(records.sent.find('0/0')).resolves.toMatchObject({ messageId: '<0.0@entidad.gov.co>' });
  } finally {
    await records.close();
    engine.close();
  }
});
