/**
 * Why a notice falls on its date, as the agenda and the e-mails say it, in Spanish and English.
 */
import fc from 'fast-check';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { describeReason, formatDate, formatMonth, weekdayOf } from '../../calendar/reason';
import { planNotices, type ScheduledNotice } from '../../calendar/schedule';
import type { PlanActivity } from '../../plans/model';
import { activity, plan, seed } from './seed';

const calendar = new BusinessCalendar();

function notice(a: PlanActivity, key: string): ScheduledNotice {
  const found = planNotices(plan([a]), calendar).find((n) => n.key === key);
  if (!found) throw new Error(`activity ${a.number} has no ${key}`);
  return found;
}

function both(n: ScheduledNotice): [string, string] {
  return [describeReason(n.reason, 'es'), describeReason(n.reason, 'en')];
}

const dueSunday = activity({ number: 20, title: 'x', start: '2023-07-04', due: '2023-07-30', responsible: ['ASERA'] });

describe('describeReason', () => {
  it('says a reminder skipped 20 de julio on its way back from the due date', () => {
    expect(both(notice(seed.a10, 'reminder-10'))).toEqual([
      '10 días hábiles antes del vencimiento (viernes 28 de julio de 2023); se saltó el jueves 20 de julio (Grito de la Independencia)',
      '10 business days before the due date (Friday 28 July 2023); skipped Thursday 20 July (Declaration of Independence)',
    ]);
  });

  it('says a Sunday due date is brought forward to Friday', () => {
    expect(both(notice(dueSunday, 'due'))).toEqual([
      'el vencimiento, domingo 30 de julio de 2023, no es día hábil: se adelanta al viernes 28',
      'the due date, Sunday 30 July 2023, is not a business day: brought forward to Friday 28',
    ]);
  });

  it('says a reminder counts from the Friday the Sunday due date was brought forward to', () => {
    expect(both(notice(dueSunday, 'reminder-3'))).toEqual([
      '3 días hábiles antes del vencimiento (viernes 28 de julio de 2023, adelantado desde el domingo 30)',
      '3 business days before the due date (Friday 28 July 2023, brought forward from Sunday 30)',
    ]);
  });

  it('names the holiday a due date falls on, and the month it moves back into', () => {
    const onSanPedro = activity({ number: 21, title: 'x', start: '2023-06-01', due: '2023-07-03', responsible: ['ARVIV'] });
    expect(both(notice(onSanPedro, 'due'))).toEqual([
      'el vencimiento, lunes 3 de julio de 2023 (San Pedro y San Pablo), no es día hábil: se adelanta al viernes 30 de junio',
      'the due date, Monday 3 July 2023 (Saint Peter and Saint Paul), is not a business day: brought forward to Friday 30 June',
    ]);
  });

  it('lists Jueves and Viernes Santo when a Saturday due date moves back to Wednesday 5 April', () => {
    const easter = activity({ number: 22, title: 'x', start: '2023-04-01', due: '2023-04-08', responsible: ['ASERA'] });
    expect(describeReason(notice(easter, 'due').reason, 'es')).toBe(
      'el vencimiento, sábado 8 de abril de 2023, no es día hábil: se adelanta al miércoles 5; se saltaron el jueves 6 de abril (Jueves Santo) y el viernes 7 de abril (Viernes Santo)',
    );
    expect(describeReason(notice(easter, 'missed').reason, 'en')).toBe(
      '16 business days after the due date (Wednesday 5 April 2023, brought forward from Saturday 8); skipped Thursday 6 April (Maundy Thursday), Friday 7 April (Good Friday) and Monday 1 May (Labour Day)',
    );
  });

  it('says a kickoff opens the period, or moves from a Saturday over Reyes Magos to Tuesday', () => {
    expect(both(notice(seed.a3, 'kickoff'))).toEqual(['inicio del periodo (miércoles 4 de enero de 2023)', 'start of the period (Wednesday 4 January 2023)']);
    const saturday = activity({ number: 23, title: 'x', start: '2023-01-07', due: '2023-01-31', responsible: ['ASERA'] });
    expect(both(notice(saturday, 'kickoff'))).toEqual([
      'el inicio, sábado 7 de enero de 2023, no es día hábil: se pasa al martes 10; se saltó el lunes 9 de enero (Reyes Magos)',
      'the start, Saturday 7 January 2023, is not a business day: moved to Tuesday 10; skipped Monday 9 January (Epiphany)',
    ]);
  });

  it('explains a kickoff held back to the due date', () => {
    const weekend = activity({ number: 24, title: 'x', start: '2023-07-29', due: '2023-07-30', responsible: ['ASERA'] });
    expect(both(notice(weekend, 'kickoff'))).toEqual([
      'el inicio, sábado 29 de julio de 2023, no es día hábil y el siguiente es posterior al vencimiento: se envía el viernes 28',
      'the start, Saturday 29 July 2023, is not a business day and the next one is after the due date: sent on Friday 28',
    ]);
  });

  it('uses the singular for one business day and names the due date itself plainly', () => {
    expect(both(notice(seed.a3, 'escalation-1'))).toEqual([
      '1 día hábil después del vencimiento (viernes 20 de enero de 2023)',
      '1 business day after the due date (Friday 20 January 2023)',
    ]);
    expect(both(notice(seed.a3, 'due'))).toEqual(['día del vencimiento (viernes 20 de enero de 2023)', 'due date (Friday 20 January 2023)']);
  });

  it('lists two skipped holidays after a due date, joined with "y" and "and"', () => {
    expect(both(notice(seed.a13, 'missed'))).toEqual([
      '16 días hábiles después del vencimiento (viernes 30 de junio de 2023); se saltaron el lunes 3 de julio (San Pedro y San Pablo) y el jueves 20 de julio (Grito de la Independencia)',
      '16 business days after the due date (Friday 30 June 2023); skipped Monday 3 July (Saint Peter and Saint Paul) and Thursday 20 July (Declaration of Independence)',
    ]);
  });

  it('crosses into 2024 over Año Nuevo after a due date on Friday 29 December 2023', () => {
    expect(both(notice(seed.a7, 'escalation-1'))).toEqual([
      '1 día hábil después del vencimiento (viernes 29 de diciembre de 2023); se saltó el lunes 1 de enero (Año Nuevo)',
      "1 business day after the due date (Friday 29 December 2023); skipped Monday 1 January (New Year's Day)",
    ]);
  });
});

describe('date names', () => {
  it('names dates in full, without the year, or by weekday and day', () => {
    expect(formatDate('2023-07-20', 'es')).toBe('jueves 20 de julio de 2023');
    expect(formatDate('2023-07-20', 'es', 'no-year')).toBe('jueves 20 de julio');
    expect(formatDate('2023-07-20', 'en', 'day')).toBe('Thursday 20');
    expect(formatDate('2024-02-29', 'en')).toBe('Thursday 29 February 2024');
  });

  it('heads months as "Enero de 2023" and "January 2023"', () => {
    expect(formatMonth('2023-01-31', 'es')).toBe('Enero de 2023');
    expect(formatMonth('2023-09-01', 'en')).toBe('September 2023');
  });

  it('knows the weekday of any date from 1900 to 2199 as a UTC Date does', () => {
    const date = fc.integer({ min: -25567, max: 83_948 }).map((i) => new Date(i * 86_400_000));
    fc.assert(fc.property(date, (d) => weekdayOf(d.toISOString().slice(0, 10)) === (d.getUTCDay() || 7)));
  });
});
