/**
 * A monthly activity: one child workflow per period, each with its own notices and review, on the
 * time-skipping server with a real SMTP server.
 */
import { BusinessCalendar } from '../../calendar/business-calendar';
import { applyCalendarUpdate, cancelSignal, reviewUpdate, statusQuery, submitEvidenceUpdate } from '../../workflows/shared';
import { activityPeriods } from '../../calendar/periods';
import { planNotices } from '../../calendar/schedule';
import { startEngine, type Engine } from '../../simulation/engine';
import { calendar, startActivity } from '../helpers/engine';
import { seedAreas, seedPlan } from '../helpers/seed';
import '../helpers/temporal';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ areas: seedAreas() });
});
afterAll(async () => {
  await engine?.close();
});

const monthly = {
  number: 11,
  title: 'Realizar seguimiento mensual a los contenidos del sitio WEB.',
  start: '2023-02-01',
  due: '2023-04-30',
  responsible: ['ARCOM'],
  deliverable: 'Informe de seguimiento contenidos sitio web.',
  recurrence: { frequency: 'monthly' as const, due: { rule: 'end-of-period' as const } },
};

describe('a monthly activity', () => {
  it('runs February, March and April as three periods; March answered on time, February late, April never', async () => {
    const plan = seedPlan([monthly]);
    const run = await startActivity(engine, plan, monthly, '2023-01-31T12:00');
    const submit = async (period: string, at: string, approveAt: string) => {
      await run.advanceTo(at);
      const child = engine.env.client.workflow.getHandle(`${plan.id}/11/${period}`);
      await child.executeUpdate(submitEvidenceUpdate, {
        args: [{ evidence: { kind: 'url', url: engine.evidence.url(`web-${period}.pdf`) }, submittedBy: 'ARCOM' }],
      });
      await run.advanceTo(approveAt);
      await child.executeUpdate(reviewUpdate, { args: [{ decision: 'approve' }] });
    };
    // February is due Tuesday 28 February; its first escalation goes out on 1 March.
    await submit('2023-02', '2023-03-02T10:00', '2023-03-02T11:00');
    await submit('2023-03', '2023-03-27T10:00', '2023-03-27T11:00');
    // The parent learns of a period's outcome when it processes the child's completion.
    await run.advanceTo('2023-03-27T11:05');
    const status = await run.handle.query(statusQuery);
    expect(status.kind).toBe('recurring');
    if (status.kind !== 'recurring') return;
    expect(status.periods.map((p) => [p.key, p.status])).toEqual([
      ['2023-02', 'late'],
      ['2023-03', 'on-time'],
      ['2023-04', 'not-started'],
    ]);

    const result = await run.handle.result();
    expect(result.periods?.map((p) => [p.period, p.status])).toEqual([
      ['2023-02', 'late'],
      ['2023-03', 'on-time'],
      ['2023-04', 'missed'],
    ]);
    expect(result.status).toBe('missed');
    // April, left alone, sent exactly what the preview lists for it.
    const april = result.periods!.find((p) => p.period === '2023-04')!;
    const preview = planNotices(plan, calendar).filter((n) => n.period === '2023-04');
    expect(april.sent.map((s) => [s.kind, s.scheduledAt])).toEqual(preview.map((n) => [n.kind, n.at]));
    expect(activityPeriods(monthly, calendar)).toHaveLength(3);
  });
});

describe("the seed's monthly activity over its whole span", () => {
  it('keeps every history far below Temporal limits: 22 periods, parent and children each a few hundred events (limit 51,200)', async () => {
    const activity11 = { ...monthly, start: '2022-02-01', due: '2023-11-30' };
    const plan = seedPlan([activity11]);
    const run = await startActivity(engine, plan, activity11, '2022-01-31T12:00');
    const result = await run.handle.result();
    expect(result.periods).toHaveLength(22);
    const parent = await run.handle.fetchHistory();
    const children = await Promise.all(result.periods!.map((p) => engine.env.client.workflow.getHandle(`${plan.id}/11/${p.period}`).fetchHistory()));
    const sizes = children.map((h) => h.events?.length ?? 0);
    const bytes = (h: typeof parent) => Buffer.byteLength(JSON.stringify(h));
    // Temporal's limits: 51,200 events and 50 MB per history (warnings from 10,240 events / 10 MB).
    expect(parent.events!.length).toBeLessThan(500);
    expect(Math.max(...sizes)).toBeLessThan(200);
    expect(bytes(parent)).toBeLessThan(1024 * 1024);
    process.stdout.write(
      `history of activity 11: parent ${parent.events!.length} events (${bytes(parent)} bytes as JSON), periods ${Math.min(...sizes)}-${Math.max(...sizes)} events\n`,
    );
  });
});

describe('a monthly activity due 5 business days after each month, when a day off is declared', () => {
  it('moves the due date of the periods not yet begun, and the period started later counts with the new calendar', async () => {
    const fiveAfter = {
      ...monthly,
      number: 12,
      due: '2023-05-31',
      recurrence: { frequency: 'monthly' as const, due: { rule: 'business-days-after' as const, days: 5 } },
    };
    const plan = seedPlan([fiveAfter]);
    const run = await startActivity(engine, plan, fiveAfter, '2023-01-31T12:00');
    const dues = async () => {
      const s = await run.handle.query(statusQuery);
      return s.kind === 'recurring' ? s.periods.map((p) => [p.key, p.due]) : [];
    };
    // March ends on Friday 31; five business days after, past Holy Thursday and Friday, is Tuesday 11 April.
    expect(await dues()).toEqual([
      ['2023-02', '2023-03-07'],
      ['2023-03', '2023-04-11'],
      ['2023-04', '2023-05-08'],
      ['2023-05', '2023-05-31'],
    ]);
    const dayOff = new BusinessCalendar(undefined, [{ date: '2023-04-05', name: 'Día cívico' }]);
    const applied = await run.handle.executeUpdate(applyCalendarUpdate, { args: [{ calendar: dayOff.toData(2022, 2025) }] });
    expect(applied).toEqual({ status: 'active', moved: [] });
    expect(await dues()).toEqual([
      ['2023-02', '2023-03-07'],
      ['2023-03', '2023-04-12'],
      ['2023-04', '2023-05-08'],
      ['2023-05', '2023-05-31'],
    ]);
    await run.advanceTo('2023-03-01T09:00');
    const march = await engine.env.client.workflow.getHandle(`${plan.id}/12/2023-03`).query(statusQuery);
    expect(march.kind === 'period' && march.due).toBe('2023-04-12');
    await run.handle.signal(cancelSignal, { reason: 'Fin de la prueba.' });
    expect((await run.handle.result()).status).toBe('cancelled');
  });
});
