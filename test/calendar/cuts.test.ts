/** The follow-up cuts and their publication deadlines (Decreto 124 de 2016), on the Colombian calendar. */
import { BusinessCalendar } from '../../calendar/business-calendar';
import { cutOn, DEFAULT_FOLLOW_UP_CUTS, followUpCuts, isMonthDay, publicationDeadline } from '../../calendar/cuts';
import { PlanSchema } from '../../plans/model';

const calendar = new BusinessCalendar();

describe('follow-up cuts', () => {
  it('defaults to the PAAC cuts: 30 April, 31 August and 31 December', () => {
    expect(followUpCuts(2023, undefined, calendar).map((c) => c.cut)).toEqual(['2023-04-30', '2023-08-31', '2023-12-31']);
    expect(DEFAULT_FOLLOW_UP_CUTS).toEqual(['04-30', '08-31', '12-31']);
  });

  it('publishes by the tenth business day after each cut, skipping weekends and holidays', () => {
    // 2023: 1 May (Labour Day) and 22 May (Ascension, moved to Monday) are holidays.
    expect(publicationDeadline('2023-04-30', calendar)).toBe('2023-05-15');
    // 31 Aug 2023 is a Thursday; no holiday in the next two weeks.
    expect(publicationDeadline('2023-08-31', calendar)).toBe('2023-09-14');
    // 31 Dec 2023 is a Sunday; 1 and 8 January 2024 are holidays.
    expect(publicationDeadline('2023-12-31', calendar)).toBe('2024-01-16');
  });

  it('takes a plan’s own cuts, in year order, without repeats', () => {
    expect(followUpCuts(2024, ['06-30', '03-31', '06-30'], calendar).map((c) => c.cut)).toEqual(['2024-03-31', '2024-06-30']);
    expect(cutOn('2024-06-30', ['06-30', '03-31'], calendar)).toEqual({ cut: '2024-06-30', deadline: publicationDeadline('2024-06-30', calendar) });
    expect(cutOn('2024-04-30', ['06-30', '03-31'], calendar)).toBeNull();
  });

  it('refuses a cut that some years lack, or is not a day', () => {
    expect(isMonthDay('02-28')).toBe(true);
    expect(isMonthDay('02-29')).toBe(false);
    expect(isMonthDay('04-31')).toBe(false);
    expect(isMonthDay('4-30')).toBe(false);
  });

  it('a plan file with a bad cut is refused in Spanish, naming the field', () => {
    const parsed = PlanSchema.safeParse({ id: 'plan-a', title: 'Plan', year: 2024, followUpCuts: ['04-31'], activities: [] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['followUpCuts', 0], message: expect.stringContaining('Corte inválido') });
    const repeated = PlanSchema.safeParse({ id: 'plan-a', title: 'Plan', year: 2024, followUpCuts: ['04-30', '04-30'], activities: [] });
    expect(repeated.error?.issues[0]?.message).toBe('Hay cortes repetidos.');
  });
});
