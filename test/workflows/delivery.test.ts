/**
 * What reaches the SMTP server when things go wrong: a mailbox that refuses mail, and a worker
 * that dies after the SMTP server accepted a message but before Temporal heard of it.
 */
import { cancelSignal, statusQuery } from '../../workflows/shared';
import { startEngine, type Engine } from '../../simulation/engine';
import { startActivity } from '../helpers/engine';
import { seedActivity, seedAreas, seedPlan } from '../helpers/seed';
import '../helpers/temporal';

const areas = seedAreas();
const ARVIV = areas.ARVIV!.email[0]!;
const OAPLA = areas.OAPLA!.email[0]!;

describe('a mailbox that refuses mail (SMTP 550)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({ areas });
  });
  afterAll(async () => engine?.close());

  it('records the kickoff as not delivered and tells OAPLA which area did not get it', async () => {
    engine.mail.refuse(ARVIV, 550);
    const activity = seedActivity(13);
    const run = await startActivity(engine, seedPlan([activity]), activity, '2023-05-31T12:00');
    await run.advanceTo('2023-06-01T09:00');
    const status = await run.handle.query(statusQuery);
    if (status.kind !== 'period') throw new Error('expected a plain activity');
    expect(status.sent.map((s) => [s.kind, s.failed ?? []])).toEqual([
      ['kickoff', ['ARVIV']],
      ['delivery-failed', []],
    ]);
    // Nothing reached ARVIV; OAPLA got the failure report naming the area.
    expect(engine.mail.messages.filter((m) => m.envelopeTo.includes(ARVIV))).toHaveLength(0);
    const report = engine.mail.messages.find((m) => m.envelopeTo.includes(OAPLA));
    expect(report?.text).toContain('ARVIV');
    await run.handle.signal(cancelSignal, { reason: 'fin de la prueba' });
    await run.handle.result();
  });
});

describe('a worker that dies right after the SMTP server accepted a notice', () => {
  let engine: Engine;
  const crashed = new Set<string>();
  beforeAll(async () => {
    engine = await startEngine({
      areas,
      wrapActivities: (real) => ({
        ...real,
        // The first attempt of each notice really sends, then fails as a killed worker would:
        // Temporal never hears of the send and retries the activity.
        async sendNotice(input) {
          const receipt = await real.sendNotice(input);
          if (!crashed.has(input.idempotencyKey)) {
            crashed.add(input.idempotencyKey);
            throw new Error('worker lost after sending');
          }
          return receipt;
        },
      }),
    });
  });
  afterAll(async () => engine?.close());

  it('every notice still reaches the SMTP server exactly once', async () => {
    const activity = seedActivity(3);
    const run = await startActivity(engine, seedPlan([activity]), activity, '2023-01-03T12:00');
    const result = await run.handle.result();
    expect(result.status).toBe('missed');
    expect(crashed.size).toBe(8);
    const ids = engine.mail.messages.map((m) => m.messageId);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
    expect(new Set(result.sent.map((s) => s.messageId))).toEqual(new Set(ids));
  });
});
