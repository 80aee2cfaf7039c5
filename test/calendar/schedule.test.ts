/**
 * The notice schedule of seed activities, every date counted by hand on the 2023 Colombian
 * calendar (holidays: 9 Jan, 20 Mar, 6-7 Apr, 1 May, 22 May, 12 Jun, 19 Jun, 3 Jul, 20 Jul, 7 Aug,
 * 21 Aug, 16 Oct, 6 Nov, 13 Nov, 8 Dec, 25 Dec; 2024 starts with 1 Jan and 8 Jan).
 */
import fc from 'fast-check';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { activityPeriods } from '../../calendar/periods';
import { activityNotices, planNotices, type ScheduledNotice } from '../../calendar/schedule';
import { DEFAULT_NOTICE_POLICY, type NoticePolicy, type PlanActivity } from '../../plans/model';
import { activity, dates, plan, seed } from './seed';

const calendar = new BusinessCalendar();

function schedule(a: PlanActivity, cal = calendar): ScheduledNotice[] {
  return planNotices(plan([a]), cal);
}

describe('a plain activity: activity 3, OAPLA, 4 to 20 January 2023', () => {
  const notices = schedule(seed.a3);

  it('sends kickoff, two reminders, due, three escalations and missed, at 08:00 Bogotá time', () => {
    expect(notices.map((n) => [n.key, n.at])).toEqual([
      ['kickoff', '2023-01-04T08:00:00-05:00'],
      ['reminder-10', '2023-01-05T08:00:00-05:00'],
      ['reminder-3', '2023-01-17T08:00:00-05:00'],
      ['due', '2023-01-20T08:00:00-05:00'],
      ['escalation-1', '2023-01-23T08:00:00-05:00'],
      ['escalation-2', '2023-01-30T08:00:00-05:00'],
      ['escalation-3', '2023-02-06T08:00:00-05:00'],
      ['missed', '2023-02-13T08:00:00-05:00'],
    ]);
  });

  it('counts the ten-day reminder over Reyes Magos (Monday 9 January) to Thursday 5 January', () => {
    const reminder = notices.find((n) => n.key === 'reminder-10');
    expect(reminder?.reason).toMatchObject({ rule: 'before-due', offset: -10, base: '2023-01-20', anchorOff: null });
    expect(reminder?.reason.skipped).toEqual([{ date: '2023-01-09', kind: 'holiday', name: { es: 'Reyes Magos', en: 'Epiphany' } }]);
  });

  it('writes to OAPLA alone, since OAPLA both leads the activity and owns the plan', () => {
    for (const n of notices) expect([n.to, n.cc]).toEqual([['OAPLA'], []]);
    expect(new Set(notices.map((n) => n.activity))).toEqual(new Set([3]));
    expect(new Set(notices.map((n) => n.period))).toEqual(new Set([null]));
  });
});

describe('holidays inside the schedule', () => {
  it('activity 13 (ARVIV, June 2023): reminds over Sagrado Corazón and escalates over San Pedro to OAPLA', () => {
    const notices = schedule(seed.a13);
    expect(dates(notices)).toEqual([
      ['kickoff', '2023-06-01'],
      ['reminder-10', '2023-06-15'],
      ['reminder-3', '2023-06-27'],
      ['due', '2023-06-30'],
      ['escalation-1', '2023-07-04'],
      ['escalation-2', '2023-07-11'],
      ['escalation-3', '2023-07-18'],
      ['missed', '2023-07-26'],
    ]);
    expect(notices[1]?.reason.skipped.map((s) => s.name.es)).toEqual(['Sagrado Corazón de Jesús']);
    expect(notices[4]?.reason.skipped.map((s) => s.name.es)).toEqual(['San Pedro y San Pablo']);
    expect(notices[7]?.reason.skipped.map((s) => s.name.es)).toEqual(['San Pedro y San Pablo', 'Grito de la Independencia']);
    expect(notices.filter((n) => n.kind === 'escalation' || n.kind === 'missed').map((n) => [n.to, n.cc])).toEqual(Array(4).fill([['OAPLA'], ['ARVIV']]));
    expect(notices.filter((n) => n.kind !== 'escalation' && n.kind !== 'missed').map((n) => [n.to, n.cc])).toEqual(Array(4).fill([['ARVIV'], []]));
  });

  it('activity 10 (due Friday 28 July 2023): the ten-day reminder skips 20 de julio, escalations skip 7 and 21 August', () => {
    expect(dates(schedule(seed.a10))).toEqual([
      ['kickoff', '2023-04-10'],
      ['reminder-10', '2023-07-13'],
      ['reminder-3', '2023-07-25'],
      ['due', '2023-07-28'],
      ['escalation-1', '2023-07-31'],
      ['escalation-2', '2023-08-08'],
      ['escalation-3', '2023-08-15'],
      ['missed', '2023-08-23'],
    ]);
  });

  it('activity 7 (due Friday 29 December 2023): escalates into January 2024 over Año Nuevo and Reyes Magos', () => {
    expect(dates(schedule(seed.a7))).toEqual([
      ['kickoff', '2023-02-08'],
      ['reminder-10', '2023-12-14'],
      ['reminder-3', '2023-12-26'],
      ['due', '2023-12-29'],
      ['escalation-1', '2024-01-02'],
      ['escalation-2', '2024-01-10'],
      ['escalation-3', '2024-01-17'],
      ['missed', '2024-01-24'],
    ]);
  });

  it("moves a notice over the entity's own day off: a 19 January anniversary pushes activity 3's reminder to the 16th", () => {
    const entity = new BusinessCalendar(undefined, [{ date: '2023-01-19', name: 'Aniversario de la entidad' }]);
    const notices = schedule(seed.a3, entity);
    // Ten business days before the 20th now land on the kickoff (4 January), so that reminder goes.
    expect(dates(notices).slice(0, 3)).toEqual([
      ['kickoff', '2023-01-04'],
      ['reminder-3', '2023-01-16'],
      ['due', '2023-01-20'],
    ]);
    expect(notices[1]?.reason.skipped).toEqual([
      { date: '2023-01-19', kind: 'entity', name: { es: 'Aniversario de la entidad', en: 'Aniversario de la entidad' } },
    ]);
  });
});

describe('recipients', () => {
  it('activity 8 (ASERA with ARCOM): ASERA receives, ARCOM is copied; escalations go to OAPLA copying both', () => {
    const notices = schedule(seed.a8);
    expect(notices.map((n) => [n.key, n.date, n.to, n.cc])).toEqual([
      ['kickoff', '2023-04-10', ['ASERA'], ['ARCOM']],
      ['reminder-10', '2023-11-16', ['ASERA'], ['ARCOM']],
      ['reminder-3', '2023-11-27', ['ASERA'], ['ARCOM']],
      ['due', '2023-11-30', ['ASERA'], ['ARCOM']],
      ['escalation-1', '2023-12-01', ['OAPLA'], ['ASERA', 'ARCOM']],
      ['escalation-2', '2023-12-11', ['OAPLA'], ['ASERA', 'ARCOM']],
      ['escalation-3', '2023-12-18', ['OAPLA'], ['ASERA', 'ARCOM']],
      ['missed', '2023-12-26', ['OAPLA'], ['ASERA', 'ARCOM']],
    ]);
  });

  it('activity 9 (OAPLA with ARCOM): escalations to OAPLA copy ARCOM but not OAPLA itself', () => {
    const notices = schedule(seed.a9);
    expect(notices.map((n) => [n.key, n.date, n.to, n.cc])).toEqual([
      ['kickoff', '2023-03-06', ['OAPLA'], ['ARCOM']],
      ['reminder-10', '2023-04-14', ['OAPLA'], ['ARCOM']],
      ['reminder-3', '2023-04-25', ['OAPLA'], ['ARCOM']],
      ['due', '2023-04-28', ['OAPLA'], ['ARCOM']],
      ['escalation-1', '2023-05-02', ['OAPLA'], ['ARCOM']],
      ['escalation-2', '2023-05-09', ['OAPLA'], ['ARCOM']],
      ['escalation-3', '2023-05-16', ['OAPLA'], ['ARCOM']],
      ['missed', '2023-05-24', ['OAPLA'], ['ARCOM']],
    ]);
  });

  it("escalates to the plan's own owner when the plan names another one", () => {
    const notices = planNotices(plan([seed.a9], { owner: 'ARCOM' }), calendar);
    const escalation = notices.find((n) => n.key === 'escalation-1');
    expect([escalation?.to, escalation?.cc]).toEqual([['ARCOM'], ['OAPLA']]);
  });
});

describe('dates that are not business days', () => {
  it('brings a Sunday due date (30 July 2023) forward to Friday 28 and counts reminders from there', () => {
    const notices = schedule(activity({ number: 20, title: 'Informe', start: '2023-07-04', due: '2023-07-30', responsible: ['ASERA'] }));
    expect(dates(notices)).toEqual([
      ['kickoff', '2023-07-04'],
      ['reminder-10', '2023-07-13'],
      ['reminder-3', '2023-07-25'],
      ['due', '2023-07-28'],
      ['escalation-1', '2023-07-31'],
      ['escalation-2', '2023-08-08'],
      ['escalation-3', '2023-08-15'],
      ['missed', '2023-08-23'],
    ]);
    expect(notices[3]?.reason).toMatchObject({ rule: 'on-due', anchor: '2023-07-30', base: '2023-07-28', anchorOff: { kind: 'weekend', weekday: 7 } });
  });

  it('brings a due date on a Monday holiday (San Pedro, 3 July 2023) forward to Friday 30 June', () => {
    const notices = schedule(activity({ number: 21, title: 'Informe', start: '2023-06-01', due: '2023-07-03', responsible: ['ARVIV'] }));
    expect(notices.find((n) => n.kind === 'due')?.date).toBe('2023-06-30');
    expect(notices.find((n) => n.key === 'escalation-1')?.date).toBe('2023-07-04');
  });

  it('moves a kickoff from Saturday 7 January 2023 over Reyes Magos to Tuesday 10', () => {
    const notices = schedule(activity({ number: 22, title: 'Informe', start: '2023-01-07', due: '2023-01-31', responsible: ['ASERA'] }));
    expect(notices[0]).toMatchObject({ key: 'kickoff', date: '2023-01-10', at: '2023-01-10T08:00:00-05:00' });
  });

  it('never sends the kickoff after the due notice: Saturday 29 to Sunday 30 July 2023 both go out on Friday 28', () => {
    const notices = schedule(activity({ number: 23, title: 'Informe', start: '2023-07-29', due: '2023-07-30', responsible: ['ASERA'] }));
    expect(dates(notices).slice(0, 2)).toEqual([
      ['kickoff', '2023-07-28'],
      ['due', '2023-07-28'],
    ]);
    expect(notices[0]?.reason.capped).toBe(true);
  });
});

describe('reminders that would come too early', () => {
  it('drops reminders on or before the kickoff: 18 to 24 July 2023 keeps no reminder at all', () => {
    const notices = schedule(activity({ number: 24, title: 'Informe', start: '2023-07-18', due: '2023-07-24', responsible: ['ARACF'] }));
    // Three business days before Monday 24 (skipping 20 de julio) is Tuesday 18, the kickoff itself.
    expect(dates(notices)).toEqual([
      ['kickoff', '2023-07-18'],
      ['due', '2023-07-24'],
      ['escalation-1', '2023-07-25'],
      ['escalation-2', '2023-08-01'],
      ['escalation-3', '2023-08-09'],
      ['missed', '2023-08-16'],
    ]);
  });

  it('drops a reminder that would fall before the kickoff without reading days before the calendar data starts', () => {
    // A workflow carries calendar data from the activity's start year; 15 business days before
    // 20 January 2023 would be in December 2022.
    const carried = BusinessCalendar.fromData(calendar.toData(2023, 2025));
    const notices = schedule({ ...seed.a3, policy: { remindBusinessDaysBefore: [15, 3] } }, carried);
    expect(dates(notices.filter((n) => n.kind === 'reminder'))).toEqual([['reminder-3', '2023-01-17']]);
  });

  it('sends one reminder when the policy lists the same number twice', () => {
    const notices = schedule({ ...seed.a3, policy: { remindBusinessDaysBefore: [3, 3] } });
    expect(notices.filter((n) => n.kind === 'reminder').map((n) => [n.key, n.date])).toEqual([['reminder-3', '2023-01-17']]);
  });
});

describe('notice policy overrides', () => {
  // Built without PlanSchema.parse on purpose: with zod 4, NoticePolicySchema.partial() still fills
  // in every default, so a parsed activity override would also reset the plan's escalation interval.
  const overridden = planNotices(
    {
      ...plan([]),
      policy: { escalationEveryBusinessDays: 3 },
      activities: [seed.a3, { ...seed.a12, policy: { remindBusinessDaysBefore: [5], escalateAfterBusinessDays: 2, maxEscalations: 1, sendAt: '07:30' } }],
    },
    calendar,
  );

  it("uses the activity's own policy over the plan's: activity 12 reminds 5 days before at 07:30 and escalates once", () => {
    expect(overridden.filter((n) => n.activity === 12).map((n) => [n.key, n.at])).toEqual([
      ['kickoff', '2023-04-24T07:30:00-05:00'],
      ['reminder-5', '2023-07-07T07:30:00-05:00'],
      ['due', '2023-07-14T07:30:00-05:00'],
      ['escalation-1', '2023-07-18T07:30:00-05:00'],
      ['missed', '2023-07-24T07:30:00-05:00'],
    ]);
  });

  it("uses the plan's policy where the activity has none: activity 3 escalates every 3 business days", () => {
    expect(dates(overridden.filter((n) => n.activity === 3 && n.date > '2023-01-20'))).toEqual([
      ['escalation-1', '2023-01-23'],
      ['escalation-2', '2023-01-26'],
      ['escalation-3', '2023-01-31'],
      ['missed', '2023-02-03'],
    ]);
  });

  it('records the activity as missed on the day of the first escalation when escalations are turned off', () => {
    expect(dates(schedule({ ...seed.a3, policy: { maxEscalations: 0 } })).slice(3)).toEqual([
      ['due', '2023-01-20'],
      ['missed', '2023-01-23'],
    ]);
  });
});

describe('recurring activities', () => {
  it('activity 11 (monthly, February 2022 to November 2023) has 22 periods', () => {
    const periods = activityPeriods(seed.a11, calendar);
    expect(periods).toHaveLength(22);
    expect(periods[0]).toEqual({ key: '2022-02', start: '2022-02-01', due: '2022-02-28' });
    expect(periods[21]).toEqual({ key: '2023-11', start: '2023-11-01', due: '2023-11-30' });
    expect(periods.map((p) => p.key)).toContain('2022-12');
  });

  it('activity 11 sends the full set of notices in each of its 22 periods, all to ARCOM', () => {
    const notices = schedule(seed.a11);
    const keys = ['kickoff', 'reminder-10', 'reminder-3', 'due', 'escalation-1', 'escalation-2', 'escalation-3', 'missed'];
    const byPeriod = new Map<string | null, string[]>();
    for (const n of notices) byPeriod.set(n.period, [...(byPeriod.get(n.period) ?? []), n.key]);
    expect(byPeriod.size).toBe(22);
    for (const periodKeys of byPeriod.values()) expect([...periodKeys].sort()).toEqual([...keys].sort());
    expect(new Set(notices.filter((n) => n.kind === 'reminder').map((n) => n.to.join()))).toEqual(new Set(['ARCOM']));
  });

  it('activity 11, April 2023 (ends Sunday 30): kickoff Monday 3, due notice Friday 28', () => {
    const april = schedule(seed.a11).filter((n) => n.period === '2023-04');
    expect(dates(april)).toEqual([
      ['kickoff', '2023-04-03'],
      ['reminder-10', '2023-04-14'],
      ['reminder-3', '2023-04-25'],
      ['due', '2023-04-28'],
      ['escalation-1', '2023-05-02'],
      ['escalation-2', '2023-05-09'],
      ['escalation-3', '2023-05-16'],
      ['missed', '2023-05-24'],
    ]);
  });

  it('groups two months per period for a bimonthly activity, clipped to its start and due dates', () => {
    const periods = activityPeriods({ ...seed.a5, recurrence: { frequency: 'bimonthly', due: { rule: 'end-of-period' } } }, calendar);
    expect(periods).toEqual([
      { key: '2023-02', start: '2023-02-06', due: '2023-03-31' },
      { key: '2023-04', start: '2023-04-01', due: '2023-05-31' },
      { key: '2023-06', start: '2023-06-01', due: '2023-07-31' },
      { key: '2023-08', start: '2023-08-01', due: '2023-09-30' },
      { key: '2023-10', start: '2023-10-01', due: '2023-11-30' },
    ]);
  });

  it('makes a quarterly report due 5 business days after each quarter, over Easter, capped at the activity due', () => {
    const quarterly = { ...seed.a4, recurrence: { frequency: 'quarterly' as const, due: { rule: 'business-days-after' as const, days: 5 } } };
    expect(activityPeriods(quarterly, calendar)).toEqual([
      { key: '2023-01', start: '2023-01-11', due: '2023-04-11' },
      { key: '2023-04', start: '2023-04-01', due: '2023-07-10' },
      { key: '2023-07', start: '2023-07-01', due: '2023-10-06' },
      { key: '2023-10', start: '2023-10-01', due: '2023-11-30' },
    ]);
  });

  it('refuses, in Spanish, an activity due before it starts', () => {
    expect(() => activityPeriods({ start: '2023-03-01', due: '2023-02-01' }, calendar)).toThrow(
      'La actividad vence (2023-02-01) antes de empezar (2023-03-01).',
    );
  });
});

describe('the whole plan', () => {
  const all = planNotices(plan([seed.a13, seed.a10, seed.a3, seed.a11]), calendar);

  it('lists every notice in the order they go out; on one morning, lower activity and earlier period first', () => {
    expect(all).toHaveLength(8 * 3 + 8 * 22);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1] as ScheduledNotice, all[i] as ScheduledNotice];
      expect(a.at < b.at || (a.at === b.at && a.activity <= b.activity)).toBe(true);
    }
    const sameMorning = all.filter((n) => n.date === '2023-07-04');
    expect(sameMorning.map((n) => [n.activity, n.period, n.key])).toEqual([
      [11, '2023-06', 'escalation-1'],
      [11, '2023-07', 'kickoff'],
      [13, null, 'escalation-1'],
    ]);
  });

  it('keeps kickoff before due when both go out the same morning', () => {
    const both = planNotices(plan([activity({ number: 1, title: 'x', start: '2023-07-29', due: '2023-07-30', responsible: ['ASERA'] })]), calendar);
    expect(both.slice(0, 2).map((n) => n.key)).toEqual(['kickoff', 'due']);
  });

  it("states each instant in the plan's timezone: New York is UTC-4 in June", () => {
    const ny = planNotices(plan([seed.a13], { timezone: 'America/New_York' }), calendar);
    expect(ny[0]?.at).toBe('2023-06-01T08:00:00-04:00');
  });

  it('refuses, in Spanish, a timezone it does not know', () => {
    expect(() => planNotices(plan([seed.a3], { timezone: 'America/Bogotá' }), calendar)).toThrow('Zona horaria u hora de envío inválida: America/Bogotá 08:00');
  });

  it('gives the same schedule from a calendar carried as workflow data', () => {
    const carried = BusinessCalendar.fromData(JSON.parse(JSON.stringify(calendar.toData(2022, 2024))));
    expect(planNotices(plan([seed.a13, seed.a10, seed.a3, seed.a11, seed.a7]), carried)).toEqual(
      planNotices(plan([seed.a13, seed.a10, seed.a3, seed.a11, seed.a7]), calendar),
    );
  });
});

describe('any activity and policy, by property', () => {
  const start = fc.integer({ min: 0, max: 1600 }).map((i) => new Date(Date.UTC(2022, 0, 1 + i)).toISOString().slice(0, 10));
  const policy = fc.record({
    sendAt: fc.constantFrom('07:00', '08:00', '13:45'),
    remindBusinessDaysBefore: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 4 }),
    escalateAfterBusinessDays: fc.integer({ min: 1, max: 10 }),
    escalationEveryBusinessDays: fc.integer({ min: 1, max: 10 }),
    maxEscalations: fc.integer({ min: 0, max: 5 }),
  });
  const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  it('sends every notice on a business day, in order, the right number of business days from the due notice', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 0, max: 150 }), policy, (s, length, p: NoticePolicy) => {
        const a = activity({ number: 1, title: 'x', start: s, due: addDays(s, length), responsible: ['ASERA', 'ARCOM'] });
        const notices = activityNotices({
          activity: a,
          period: { key: null, start: a.start, due: a.due },
          owner: 'OAPLA',
          policy: p,
          timezone: 'America/Bogota',
          calendar,
        });
        const due = notices.find((n) => n.kind === 'due') as ScheduledNotice;
        expect(due.date).toBe(calendar.previousBusinessDay(a.due, true));
        expect(notices[0]?.kind).toBe('kickoff');
        for (const n of notices) {
          expect(calendar.isBusinessDay(n.date)).toBe(true);
          expect(n.at).toBe(`${n.date}T${p.sendAt}:00-05:00`);
        }
        for (let i = 1; i < notices.length; i++) {
          const [x, y] = [notices[i - 1] as ScheduledNotice, notices[i] as ScheduledNotice];
          expect(x.date < y.date || (x.kind === 'kickoff' && y.kind === 'due' && x.date === y.date)).toBe(true);
        }
        for (const n of notices.filter((x) => x.kind === 'reminder')) {
          expect(calendar.businessDaysBetween(n.date, due.date)).toBe(Number(n.key.slice('reminder-'.length)));
        }
        const after = notices.filter((n) => n.kind === 'escalation' || n.kind === 'missed');
        expect(after.map((n) => calendar.businessDaysBetween(due.date, n.date))).toEqual(
          Array.from({ length: p.maxEscalations + 1 }, (_, k) => p.escalateAfterBusinessDays + k * p.escalationEveryBusinessDays),
        );
        expect(new Set(notices.map((n) => n.key)).size).toBe(notices.length);
      }),
    );
  });

  it('uses the default policy of plans/model.ts: reminders 10 and 3, escalation after 1, every 5, three times', () => {
    expect(DEFAULT_NOTICE_POLICY).toEqual({
      sendAt: '08:00',
      remindBusinessDaysBefore: [10, 3],
      escalateAfterBusinessDays: 1,
      escalationEveryBusinessDays: 5,
      maxEscalations: 3,
    });
  });
});
