/**
 * The national calendar as dated rules (calendar/holiday-law.ts), checked three ways:
 * - the official list of 2026 typed in by hand (2023-2025 are in business-calendar.test.ts), and
 *   2027 as Ley 51 de 1983 and Ley 2578 de 2026 give it;
 * - every year the calendar covers against a second maintained library, date-holidays, with each
 *   divergence named and explained;
 * - the override of colombian-holidays, which fails the day the package catches up or diverges.
 */
import Holidays from 'date-holidays';
import { BusinessCalendar, colombianHolidays } from '../../calendar/business-calendar';
import { CALENDAR_YEARS, HOLIDAY_LAWS, libraryHolidays, nationalHolidays, observedDate, type HolidayLaw } from '../../calendar/holiday-law';

const LEY_51 = 'Ley 51 de 1983';
const LEY_2578 = 'Ley 2578 de 2026';
const CHIQUINQUIRA = 'Nuestra Señora del Rosario de Chiquinquirá';

const listed = (year: number) => nationalHolidays(year).map((h) => [h.date, h.name.es, h.law]);

describe('the official lists', () => {
  it('2026 has 19 national holidays: Ley 2578 de 2026 adds Monday 13 July (9 July, Chiquinquirá, moved)', () => {
    expect(listed(2026)).toEqual([
      ['2026-01-01', 'Año Nuevo', LEY_51],
      ['2026-01-12', 'Reyes Magos', LEY_51],
      ['2026-03-23', 'San José', LEY_51],
      ['2026-04-02', 'Jueves Santo', LEY_51],
      ['2026-04-03', 'Viernes Santo', LEY_51],
      ['2026-05-01', 'Día del Trabajo', LEY_51],
      ['2026-05-18', 'Ascensión del Señor', LEY_51],
      ['2026-06-08', 'Corpus Christi', LEY_51],
      ['2026-06-15', 'Sagrado Corazón de Jesús', LEY_51],
      ['2026-06-29', 'San Pedro y San Pablo', LEY_51],
      ['2026-07-13', CHIQUINQUIRA, LEY_2578],
      ['2026-07-20', 'Grito de la Independencia', LEY_51],
      ['2026-08-07', 'Batalla de Boyacá', LEY_51],
      ['2026-08-17', 'Asunción de la Virgen', LEY_51],
      ['2026-10-12', 'Día de la Raza', LEY_51],
      ['2026-11-02', 'Todos los Santos', LEY_51],
      ['2026-11-16', 'Independencia de Cartagena', LEY_51],
      ['2026-12-08', 'Inmaculada Concepción', LEY_51],
      ['2026-12-25', 'Navidad', LEY_51],
    ]);
  });

  it('2027 has 19 as the two laws give them: Chiquinquirá on Monday 12 July, Easter on 28 March', () => {
    expect(listed(2027)).toEqual([
      ['2027-01-01', 'Año Nuevo', LEY_51],
      ['2027-01-11', 'Reyes Magos', LEY_51],
      ['2027-03-22', 'San José', LEY_51],
      ['2027-03-25', 'Jueves Santo', LEY_51],
      ['2027-03-26', 'Viernes Santo', LEY_51],
      ['2027-05-01', 'Día del Trabajo', LEY_51],
      ['2027-05-10', 'Ascensión del Señor', LEY_51],
      ['2027-05-31', 'Corpus Christi', LEY_51],
      ['2027-06-07', 'Sagrado Corazón de Jesús', LEY_51],
      ['2027-07-05', 'San Pedro y San Pablo', LEY_51],
      ['2027-07-12', CHIQUINQUIRA, LEY_2578],
      ['2027-07-20', 'Grito de la Independencia', LEY_51],
      ['2027-08-07', 'Batalla de Boyacá', LEY_51],
      ['2027-08-16', 'Asunción de la Virgen', LEY_51],
      ['2027-10-18', 'Día de la Raza', LEY_51],
      ['2027-11-01', 'Todos los Santos', LEY_51],
      ['2027-11-15', 'Independencia de Cartagena', LEY_51],
      ['2027-12-08', 'Inmaculada Concepción', LEY_51],
      ['2027-12-25', 'Navidad', LEY_51],
    ]);
  });

  it('Ley 2578 de 2026 does not reach back: Monday 14 July 2025 was a business day, Monday 13 July 2026 is not', () => {
    const calendar = new BusinessCalendar();
    expect(calendar.isBusinessDay('2025-07-14')).toBe(true);
    expect(nationalHolidays(2025).some((h) => h.law === LEY_2578)).toBe(false);
    expect(calendar.nonWorkingReason('2026-07-13')).toEqual({
      kind: 'holiday',
      name: { es: CHIQUINQUIRA, en: 'Our Lady of the Rosary of Chiquinquirá' },
      law: LEY_2578,
    });
    // Friday 10 July 2026 plus one business day skips the new Monday holiday.
    expect(calendar.addBusinessDays('2026-07-10', 1)).toBe('2026-07-14');
  });

  it('a 9 July that falls on a Monday stays there (2029)', () => {
    expect(observedDate(2029, { month: 7, day: 9, movesToMonday: true })).toBe('2029-07-09');
    expect(nationalHolidays(2029).find((h) => h.law === LEY_2578)?.date).toBe('2029-07-09');
  });
});

describe('a law is a dated rule', () => {
  it('a law with a first and a last year adds its day in those years only', () => {
    const laws: HolidayLaw[] = [
      ...HOLIDAY_LAWS,
      {
        law: 'Ley 9999 de 2029',
        firstYear: 2030,
        lastYear: 2031,
        days: [{ month: 3, day: 3, name: { es: 'Día de prueba', en: 'Test day' }, movesToMonday: false }],
      },
    ];
    const has = (year: number) => nationalHolidays(year, laws).some((h) => h.law === 'Ley 9999 de 2029');
    expect([2029, 2030, 2031, 2032].map(has)).toEqual([false, true, true, false]);
  });

  it('refuses the years it cannot speak for: before Ley 51 de 1983 and after the last year checked', () => {
    expect(() => nationalHolidays(CALENDAR_YEARS.first - 1)).toThrow(RangeError);
    expect(() => nationalHolidays(CALENDAR_YEARS.last + 1)).toThrow(RangeError);
    expect(nationalHolidays(CALENDAR_YEARS.first).length).toBeGreaterThanOrEqual(18);
    expect(nationalHolidays(CALENDAR_YEARS.last).length).toBeGreaterThanOrEqual(19);
  });

  it('the business calendar counts the rules: colombianHolidays is nationalHolidays as non-working days', () => {
    expect(colombianHolidays(2027).map((d) => [d.date, d.name.es, d.law])).toEqual(listed(2027));
  });
});

/**
 * Where date-holidays differs from the law, on purpose. Each entry says why; the test checks that
 * these are the only differences, so a change on either side shows up here.
 */
const KNOWN_DIVERGENCES = {
  // date-holidays types Easter Sunday ("Pascua") as a public holiday. No Colombian law makes it one:
  // it is a Sunday, already a day off, and Ley 51 de 1983 does not list it. It changes no count.
  onlyInDateHolidays: ['Pascua'],
} as const;

describe('every year from 1984 to 2100 against date-holidays', () => {
  const co = new Holidays('CO');

  /** The days date-holidays marks as public (observances such as Palm Sunday are not days off). */
  function theirs(year: number): { date: string; name: string }[] {
    return co
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
  }

  it('the same days off every year, but for the divergences listed and explained above', () => {
    const unexplained: string[] = [];
    const seen = new Set<string>();
    for (let year = CALENDAR_YEARS.first; year <= CALENDAR_YEARS.last; year++) {
      const ours = new Set(nationalHolidays(year).map((h) => h.date));
      const other = theirs(year);
      const otherDates = new Set(other.map((h) => h.date));
      for (const h of other) {
        if (ours.has(h.date)) continue;
        if ((KNOWN_DIVERGENCES.onlyInDateHolidays as readonly string[]).includes(h.name)) seen.add(h.name);
        else unexplained.push(`${h.date} ${h.name}: only in date-holidays`);
      }
      for (const date of ours) if (!otherDates.has(date)) unexplained.push(`${date}: only in plazos`);
    }
    expect(unexplained).toEqual([]);
    // A divergence that no longer occurs is stale: remove it from the list above.
    expect([...seen]).toEqual([...KNOWN_DIVERGENCES.onlyInDateHolidays]);
  });

  it('date-holidays also dates Chiquinquirá from 2026, on the Monday Ley 2578 gives', () => {
    for (let year = 2020; year <= 2040; year++) {
      const day = theirs(year).find((h) => /chiquinquir/i.test(h.name));
      const ours = nationalHolidays(year).find((h) => h.law === LEY_2578);
      expect([year, day?.date]).toEqual([year, ours?.date]);
    }
  });
});

describe('our override of colombian-holidays', () => {
  it('colombian-holidays still lacks Ley 2578 de 2026 (when this fails, it caught up: check it starts in 2026, then drop our rule)', () => {
    for (let year = CALENDAR_YEARS.first; year <= CALENDAR_YEARS.last; year++) {
      const chiquinquira = observedDate(year, { month: 7, day: 9, movesToMonday: true });
      const found = libraryHolidays(year).filter((h) => h.date === chiquinquira || /chiquinquir/i.test(h.name.es));
      expect([year, found]).toEqual([year, []]);
    }
  });

  it('the package gives 18 Ley 51 holidays every year, so Ley 2578 is the only day we add', () => {
    for (let year = CALENDAR_YEARS.first; year <= CALENDAR_YEARS.last; year++) {
      expect([year, libraryHolidays(year).length]).toEqual([year, 18]);
      expect([year, nationalHolidays(year).length]).toEqual([year, year >= 2026 ? 19 : 18]);
    }
  });
});
