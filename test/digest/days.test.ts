/**
 * Which day the weekly digest goes out, checked against the official 2023 list of Colombian
 * holidays (Ministerio del Trabajo), and which activities it lists.
 */
import { BusinessCalendar } from '../../calendar/business-calendar';
import { digestContent, digestDayOfWeek, digestDays, digestExceptions, type DigestEntry } from '../../calendar/digest';
import { digestScheduleSpec, digestSpan } from '../../client/digest-schedule';
import { seedActivity, seedPlan } from '../helpers/seed';

const calendar = new BusinessCalendar();

// The Mondays of 2023 that were public holidays, from the official list (not from the library).
const MONDAY_HOLIDAYS_2023 = [
  '2023-01-09',
  '2023-03-20',
  '2023-05-01',
  '2023-05-22',
  '2023-06-12',
  '2023-06-19',
  '2023-07-03',
  '2023-08-07',
  '2023-08-21',
  '2023-10-16',
  '2023-11-06',
  '2023-11-13',
  '2023-12-25',
];
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('the digest day of each week', () => {
  it('is the Monday on an ordinary week, whatever day of the week is asked', () => {
    for (const day of ['2023-08-14', '2023-08-15', '2023-08-18', '2023-08-19', '2023-08-20']) {
      expect(digestDayOfWeek(calendar, day)).toBe('2023-08-14');
    }
  });

  it('moves to Tuesday when Monday is a holiday (Batalla de Boyacá, 7 Aug 2023)', () => {
    expect(digestDayOfWeek(calendar, '2023-08-07')).toBe('2023-08-08');
    expect(digestDayOfWeek(calendar, '2023-08-10')).toBe('2023-08-08');
  });

  it('over 2023: every Monday except the 13 Monday holidays, each replaced by the Tuesday after it', () => {
    const days = digestDays(calendar, '2023-01-01', '2023-12-31');
    expect(days).toHaveLength(52);
    const tuesdays = days.filter((d) => weekday(d) === 2);
    expect(tuesdays).toEqual(MONDAY_HOLIDAYS_2023.map(nextDay));
    expect(days.filter((d) => weekday(d) !== 1 && weekday(d) !== 2)).toEqual([]);
    expect(days.filter((d) => MONDAY_HOLIDAYS_2023.includes(d))).toEqual([]);
  });

  it('lists the skipped Mondays and their replacements as the Schedule needs them', () => {
    expect(digestExceptions(calendar, '2023-01-01', '2023-12-31')).toEqual({ skipped: MONDAY_HOLIDAYS_2023, moved: MONDAY_HOLIDAYS_2023.map(nextDay) });
  });

  it('counts the entity’s own days off too: a Tuesday off after a Monday holiday moves it to Wednesday', () => {
    const entity = new BusinessCalendar(undefined, [{ date: '2023-08-08', name: 'Día de la entidad' }]);
    expect(digestDayOfWeek(entity, '2023-08-07')).toBe('2023-08-09');
  });
});

describe('the schedule spec for the seed plan', () => {
  const plan = seedPlan([seedActivity(3), seedActivity(6), seedActivity(8), seedActivity(14)]);

  it('runs from the first start (or today, if later) to eight weeks after the last due date', () => {
    expect(digestSpan(plan, '2022-01-10')).toEqual({ from: '2022-02-20', to: '2024-01-25' });
    expect(digestSpan(plan, '2023-05-02')).toEqual({ from: '2023-05-02', to: '2024-01-25' });
  });

  it('is Monday 08:00 in Bogota minus the Monday holidays plus the Tuesdays after them', () => {
    const spec = digestScheduleSpec(plan, calendar, '2023-01-01');
    expect(spec.timezone).toBe('America/Bogota');
    expect(spec.calendars?.[0]).toMatchObject({ dayOfWeek: 'MONDAY', hour: 8, minute: 0 });
    expect(spec.skip).toContainEqual(expect.objectContaining({ year: 2023, month: 'AUGUST', dayOfMonth: 7, hour: 8 }));
    expect(spec.calendars).toContainEqual(expect.objectContaining({ year: 2023, month: 'AUGUST', dayOfMonth: 8, hour: 8 }));
    // 2024-01-08 (Reyes) falls inside the span too.
    expect(spec.skip).toContainEqual(expect.objectContaining({ year: 2024, month: 'JANUARY', dayOfMonth: 8 }));
    expect(spec.startAt?.toISOString()).toBe('2023-01-01T05:00:00.000Z');
  });
});

describe('what the digest lists', () => {
  const entry = (activity: number, due: string, status: string, period: string | null = null): DigestEntry => ({
    workflowId: `p/${activity}${period ? `/${period}` : ''}`,
    activity,
    period,
    title: `Actividad ${activity}`,
    responsible: ['ARCOM'],
    due,
    status,
  });
  // Monday 14 Aug 2023; five business days later is Tuesday 22 Aug (21 Aug is Asunción).
  const today = '2023-08-14';

  it('overdue: open and past due; due soon: up to five business days ahead, holidays skipped; in review: evidence waiting', () => {
    const content = digestContent(
      [
        entry(1, '2023-08-11', 'escalated'),
        entry(2, '2023-07-31', 'due'),
        entry(3, '2023-08-14', 'reminded'),
        entry(4, '2023-08-22', 'active'),
        entry(5, '2023-08-23', 'active'),
        entry(6, '2023-08-01', 'in-review'),
        entry(7, '2023-08-30', 'checking'),
        entry(8, '2023-08-01', 'on-time'),
        entry(9, '2023-08-01', 'missed'),
        entry(11, '2023-08-15', 'active', '2023-07'),
      ],
      today,
      calendar,
      4,
    );
    expect(content.horizon).toBe('2023-08-22');
    expect(content.overdue.map((e) => e.activity)).toEqual([2, 1]);
    expect(content.dueSoon.map((e) => e.activity)).toEqual([3, 11, 4]);
    expect(content.inReview.map((e) => e.activity)).toEqual([6, 7]);
    expect(content.missed).toBe(4);
  });

  it('an empty plan gives empty lists, not an error', () => {
    expect(digestContent([], today, calendar, 0)).toEqual({ date: today, horizon: '2023-08-22', overdue: [], dueSoon: [], inReview: [], missed: 0 });
  });
});
