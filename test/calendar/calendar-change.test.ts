/**
 * What a calendar change carries to a running workflow, without a server: how the new calendar is
 * laid over the one the workflow holds, what it adds and takes away, how a moved notice is
 * explained, and which workflows and years `calendar apply` asks for.
 */
import { BusinessCalendar, diffCalendarData, mergeCalendarData } from '../../calendar/business-calendar';
import { describeMove, type MovedNotice } from '../../calendar/reason';
import { runningQuery, yearsFor } from '../../client/calendar-apply';
import { CalendarUpdateSchema } from '../../workflows/shared';

const national = new BusinessCalendar();
const civic = new BusinessCalendar(undefined, [{ date: '2026-07-10', name: 'Día cívico', law: 'Decreto 0001 de 2026' }]);

describe('laying a new calendar over the one a workflow holds', () => {
  it('takes the years the new one covers from it and keeps the others', () => {
    const held = national.toData(2025, 2028);
    const merged = mergeCalendarData(held, civic.toData(2026, 2027));
    expect([merged.fromYear, merged.toYear]).toEqual([2025, 2028]);
    expect(merged.days.filter((d) => d.date.startsWith('2025'))).toEqual(held.days.filter((d) => d.date.startsWith('2025')));
    expect(merged.days.map((d) => d.date)).toContain('2026-07-10');
    expect(BusinessCalendar.fromData(merged).isBusinessDay('2026-07-10')).toBe(false);
  });

  it('widens the years when the new one reaches further', () => {
    const merged = mergeCalendarData(national.toData(2025, 2026), national.toData(2026, 2029));
    expect([merged.fromYear, merged.toYear]).toEqual([2025, 2029]);
  });

  it('names the days a change adds and takes away, and nothing when it changes nothing', () => {
    const held = national.toData(2026, 2026);
    expect(diffCalendarData(held, mergeCalendarData(held, civic.toData(2026, 2026)))).toEqual({
      added: [{ date: '2026-07-10', name: { es: 'Día cívico', en: 'Día cívico' }, kind: 'entity', law: 'Decreto 0001 de 2026' }],
      removed: [],
    });
    const back = mergeCalendarData(civic.toData(2026, 2026), held);
    expect(diffCalendarData(civic.toData(2026, 2026), back).removed.map((d) => d.date)).toEqual(['2026-07-10']);
    expect(diffCalendarData(held, mergeCalendarData(held, held))).toEqual({ added: [], removed: [] });
  });
});

describe('why a notice moved', () => {
  const moved: MovedNotice = {
    key: 'reminder-10',
    kind: 'reminder',
    from: '2026-07-13T08:00:00-05:00',
    to: '2026-07-10T08:00:00-05:00',
    causes: [
      {
        date: '2026-07-13',
        change: 'added',
        kind: 'holiday',
        name: { es: 'Nuestra Señora del Rosario de Chiquinquirá', en: 'Our Lady of the Rosary of Chiquinquirá' },
        law: 'Ley 2578 de 2026',
      },
    ],
  };

  it('says where it went and which new holiday, by which law, moved it (es and en)', () => {
    expect(describeMove(moved, 'es')).toBe(
      'se movió al viernes 10 de julio: el lunes 13 de julio es festivo por la Ley 2578 de 2026 (Nuestra Señora del Rosario de Chiquinquirá)',
    );
    expect(describeMove(moved, 'en')).toBe(
      'moved to Friday 10 July: Monday 13 July is a public holiday under Ley 2578 de 2026 (Our Lady of the Rosary of Chiquinquirá)',
    );
  });

  it('says so when a day off was taken away', () => {
    const back: MovedNotice = {
      ...moved,
      from: moved.to,
      to: moved.from,
      causes: [{ ...moved.causes[0]!, change: 'removed', kind: 'entity', name: { es: 'Día cívico', en: 'Civic day' } }],
    };
    expect(describeMove(back, 'es')).toBe('se movió al lunes 13 de julio: el lunes 13 de julio ya no es día no laborable (Día cívico)');
  });
});

describe('what calendar apply sends', () => {
  it('asks visibility for the running workflows of a plan, or of every plan, and refuses what is not a plan id', () => {
    expect(runningQuery('participacion-ciudadana-2027')).toBe('PlazosPlan = "participacion-ciudadana-2027" AND ExecutionStatus = "Running"');
    expect(runningQuery(null)).toBe('PlazosPlan IS NOT NULL AND ExecutionStatus = "Running"');
    expect(() => runningQuery('x" OR PlazosPlan IS NOT NULL OR "')).toThrow(RangeError);
  });

  it('sends the years from the one before today to two after the due date, within the calendar', () => {
    const due = new Date('2027-07-01T05:00:00Z');
    expect(yearsFor(due, '2026-12-03', national)).toEqual({ fromYear: 2025, toYear: 2029 });
    expect(yearsFor(undefined, '2026-12-03', national)).toEqual({ fromYear: 2025, toYear: 2028 });
    expect(yearsFor(new Date('2100-06-01T05:00:00Z'), '2100-01-10', national)).toEqual({ fromYear: 2099, toYear: 2100 });
  });

  it('the workflow refuses an update that spans too many years or lists days outside its years', () => {
    expect(CalendarUpdateSchema.safeParse({ calendar: national.toData(2025, 2027) }).success).toBe(true);
    expect(CalendarUpdateSchema.safeParse({ calendar: national.toData(2000, 2030) }).success).toBe(false);
    const stray = { ...national.toData(2026, 2026), days: national.toData(2027, 2027).days };
    expect(CalendarUpdateSchema.safeParse({ calendar: stray }).success).toBe(false);
  });
});
