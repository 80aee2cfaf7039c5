/**
 * The bound on writes from outside the planning office, counted in plazos's store: two gates on the
 * same store stand for two web apps (or a web app and the mailbox reader) counting the same writes.
 */
import { createWriteGate, describeRefusal, WRITE_BOUNDS, type WriteBounds, type WriteKind } from '../../client/write-gate';
import type { Records } from '../../store/records';
import { ENGINES, opener, startEngine, type EngineUnderTest } from '../helpers/records';

const HOUR = 3_600_000;
// 2023-01-04 08:00 in Bogotá (UTC-5).
const T0 = Date.UTC(2023, 0, 4, 13, 0, 0);
const SMALL: Record<WriteKind, WriteBounds> = {
  progress: { sender: { max: 3, windowMs: HOUR }, activity: { max: 5, windowMs: HOUR } },
  evidence: { sender: { max: 2, windowMs: HOUR }, activity: { max: 2, windowMs: HOUR } },
};

describe.each(ENGINES)('the write gate on %s', (engineName) => {
  let engine: EngineUnderTest;
  let records: Records;
  let other: Records;
  let now = T0;
  const stores = opener();
  beforeAll(async () => {
    engine = await startEngine(engineName);
    const settings = engine.fresh();
    records = await stores.open(settings);
    other = await stores.open(settings);
  }, 120_000);
  afterAll(async () => {
    await stores.closeAll();
    engine.close();
  });
  beforeEach(() => {
    now += 10 * HOUR;
  });

  it('lets a sender write up to its bound, then refuses it until the window ends, counted across two web apps', async () => {
    const a = createWriteGate(records.throttle, { now: () => now, bounds: SMALL });
    const b = createWriteGate(other.throttle, { now: () => now, bounds: SMALL });
    const write = { kind: 'progress' as const, sender: { link: 'token-1' }, workflowId: 'plan-x/1' };
    const answers = [await a.admit(write), await b.admit(write), await a.admit(write), await b.admit(write)];
    expect(answers.map((x) => x.ok)).toEqual([true, true, true, false]);
    const refused = answers[3]!;
    if (refused.ok) throw new Error('expected a refusal');
    expect(refused.scope).toBe('sender');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(HOUR);
    now += refused.retryAfterMs;
    expect((await a.admit(write)).ok).toBe(true);
  });

  it('bounds the activity across senders, and a refused sender does not use up the activity', async () => {
    const gate = createWriteGate(records.throttle, { now: () => now, bounds: SMALL });
    const noisy = { kind: 'progress' as const, sender: { link: 'noisy' }, workflowId: 'plan-x/2' };
    for (let i = 0; i < 50; i++) await gate.admit(noisy);
    // The noisy link used 3 of the activity's 5; the area's reply by mail still gets in, twice.
    const lead = { kind: 'progress' as const, sender: { address: 'Lead@Entidad.gov.co' }, workflowId: 'plan-x/2' };
    expect((await gate.admit(lead)).ok).toBe(true);
    expect((await gate.admit(lead)).ok).toBe(true);
    const third = await gate.admit({ ...lead, sender: { address: 'otra@entidad.gov.co' } });
    expect(third).toMatchObject({ ok: false, scope: 'activity', kind: 'progress' });
    // Another activity is not affected.
    expect((await gate.admit({ ...lead, workflowId: 'plan-x/3' })).ok).toBe(true);
  });

  it('counts evidence apart from progress, and an address in any case is one sender', async () => {
    const gate = createWriteGate(records.throttle, { now: () => now, bounds: SMALL });
    const evidence = (address: string) => ({ kind: 'evidence' as const, sender: { address }, workflowId: 'plan-x/4' });
    expect((await gate.admit(evidence('lead@entidad.gov.co'))).ok).toBe(true);
    expect((await gate.admit(evidence(' LEAD@entidad.gov.co'))).ok).toBe(true);
    expect(await gate.admit(evidence('lead@entidad.gov.co'))).toMatchObject({ ok: false, scope: 'sender', kind: 'evidence' });
    expect((await gate.admit({ kind: 'progress', sender: { address: 'lead@entidad.gov.co' }, workflowId: 'plan-x/4' })).ok).toBe(true);
  });
});

describe('the write gate without its store', () => {
  it('lets the write through and says why (the workflow bounds itself)', async () => {
    const seen: unknown[] = [];
    const broken = {
      hit: () => Promise.reject(new Error('ECONNREFUSED')),
      clear: () => Promise.resolve(),
      block: () => Promise.resolve(),
      blockedFor: () => Promise.resolve(0),
      sweep: () => Promise.resolve(0),
    };
    const gate = createWriteGate(broken, { now: () => T0, onStoreError: (err) => seen.push(err) });
    expect(await gate.admit({ kind: 'progress', sender: { link: 't' }, workflowId: 'w' })).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
  });
});

describe('a refusal as the person reads it', () => {
  it('says when to try again, in Colombian time', () => {
    const text = describeRefusal({ ok: false, scope: 'sender', kind: 'progress', retryAfterMs: 40 * 60_000 }, T0, 'America/Bogota');
    expect(text.es).toBe(
      'Se recibieron demasiados reportes de avance desde este remitente en la última hora. Intente de nuevo después de las 08:40 (hora de Colombia).',
    );
    expect(text.en).toContain('08:40');
    expect(text.retryAt).toBe('2023-01-04T08:40:00.000-05:00');
    // "evidencias" is feminine: the adjective agrees.
    expect(describeRefusal({ ok: false, scope: 'activity', kind: 'evidence', retryAfterMs: 60_000 }, T0, 'America/Bogota').es).toContain(
      'Se recibieron demasiadas evidencias para esta actividad',
    );
  });

  it('has bounds far above a person reporting by hand and below the workflow’s own', () => {
    for (const kind of ['progress', 'evidence'] as const) {
      expect(WRITE_BOUNDS[kind].sender.max).toBeLessThanOrEqual(WRITE_BOUNDS[kind].activity.max);
      expect(WRITE_BOUNDS[kind].activity.max).toBeLessThan(100);
    }
  });
});

describe('a refusal of evidence as the person reads it', () => {
  it('agrees in gender: "demasiadas evidencias"', () => {
    const text = describeRefusal({ ok: false, scope: 'activity', kind: 'evidence', retryAfterMs: 60_000 }, T0, 'America/Bogota');
    expect(text.es).toMatch(/^Se recibieron demasiadas evidencias para esta actividad en la última hora\./);
  });
});
