/**
 * The Colombian calendar, checked against the published holiday lists (Ley 51 de 1983) and by
 * hand-counted business days, then by properties over ten years of dates.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar, colombianHolidays } from '../../calendar/business-calendar';
import { libraryHolidays } from '../../calendar/holiday-law';

const DAY_MS = 86_400_000;

/** Test-side date stepping, independent of the calendar's luxon arithmetic. */
function isoPlus(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/** Every ISO date from 2020-01-01 to 2030-12-31. */
const anyDate = fc.integer({ min: 0, max: 4017 }).map((i) => isoPlus('2020-01-01', i));

function sortedHolidays(year: number): [string, string][] {
  return colombianHolidays(year)
    .map((h): [string, string] => [h.date, h.name.es])
    .sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
}

const calendar = new BusinessCalendar();

describe('Colombian public holidays match the official calendars', () => {
  it('lists the 18 holidays of 2023, Reyes Magos on Monday 9 January and Easter on 6-7 April', () => {
    expect(sortedHolidays(2023)).toEqual([
      ['2023-01-01', 'Año Nuevo'],
      ['2023-01-09', 'Reyes Magos'],
      ['2023-03-20', 'San José'],
      ['2023-04-06', 'Jueves Santo'],
      ['2023-04-07', 'Viernes Santo'],
      ['2023-05-01', 'Día del Trabajo'],
      ['2023-05-22', 'Ascensión del Señor'],
      ['2023-06-12', 'Corpus Christi'],
      ['2023-06-19', 'Sagrado Corazón de Jesús'],
      ['2023-07-03', 'San Pedro y San Pablo'],
      ['2023-07-20', 'Grito de la Independencia'],
      ['2023-08-07', 'Batalla de Boyacá'],
      ['2023-08-21', 'Asunción de la Virgen'],
      ['2023-10-16', 'Día de la Raza'],
      ['2023-11-06', 'Todos los Santos'],
      ['2023-11-13', 'Independencia de Cartagena'],
      ['2023-12-08', 'Inmaculada Concepción'],
      ['2023-12-25', 'Navidad'],
    ]);
  });

  it('lists the 18 holidays of 2024, San José moved into Holy Week', () => {
    expect(sortedHolidays(2024)).toEqual([
      ['2024-01-01', 'Año Nuevo'],
      ['2024-01-08', 'Reyes Magos'],
      ['2024-03-25', 'San José'],
      ['2024-03-28', 'Jueves Santo'],
      ['2024-03-29', 'Viernes Santo'],
      ['2024-05-01', 'Día del Trabajo'],
      ['2024-05-13', 'Ascensión del Señor'],
      ['2024-06-03', 'Corpus Christi'],
      ['2024-06-10', 'Sagrado Corazón de Jesús'],
      ['2024-07-01', 'San Pedro y San Pablo'],
      ['2024-07-20', 'Grito de la Independencia'],
      ['2024-08-07', 'Batalla de Boyacá'],
      ['2024-08-19', 'Asunción de la Virgen'],
      ['2024-10-14', 'Día de la Raza'],
      ['2024-11-04', 'Todos los Santos'],
      ['2024-11-11', 'Independencia de Cartagena'],
      ['2024-12-08', 'Inmaculada Concepción'],
      ['2024-12-25', 'Navidad'],
    ]);
  });

  it('lists the 18 holidays of 2025, two of them on Monday 30 June', () => {
    expect(sortedHolidays(2025)).toEqual([
      ['2025-01-01', 'Año Nuevo'],
      ['2025-01-06', 'Reyes Magos'],
      ['2025-03-24', 'San José'],
      ['2025-04-17', 'Jueves Santo'],
      ['2025-04-18', 'Viernes Santo'],
      ['2025-05-01', 'Día del Trabajo'],
      ['2025-06-02', 'Ascensión del Señor'],
      ['2025-06-23', 'Corpus Christi'],
      ['2025-06-30', 'Sagrado Corazón de Jesús'],
      ['2025-06-30', 'San Pedro y San Pablo'],
      ['2025-07-20', 'Grito de la Independencia'],
      ['2025-08-07', 'Batalla de Boyacá'],
      ['2025-08-18', 'Asunción de la Virgen'],
      ['2025-10-13', 'Día de la Raza'],
      ['2025-11-03', 'Todos los Santos'],
      ['2025-11-17', 'Independencia de Cartagena'],
      ['2025-12-08', 'Inmaculada Concepción'],
      ['2025-12-25', 'Navidad'],
    ]);
  });

  it('keeps both names when two holidays share 30 June 2025, and counts the day once', () => {
    const june30 = calendar.nonWorkingDays(2025).filter((d) => d.date === '2025-06-30');
    expect(june30).toEqual([
      {
        date: '2025-06-30',
        kind: 'holiday',
        name: { es: 'Sagrado Corazón de Jesús / San Pedro y San Pablo', en: 'Sacred Heart / Saint Peter and Saint Paul' },
        law: 'Ley 51 de 1983',
      },
    ]);
    expect(calendar.nonWorkingDays(2025)).toHaveLength(17);
  });

  it('leaves fixed holidays on their weekend day instead of moving them (1 Jan 2023, 20 Jul 2024, 8 Dec 2024)', () => {
    expect(calendar.nonWorkingReason('2023-01-01')).toEqual({ kind: 'weekend', weekday: 7 });
    expect(calendar.nonWorkingDays(2023).map((d) => d.date)).toContain('2023-01-01');
    expect(calendar.nonWorkingDays(2024).map((d) => d.date)).toEqual(expect.arrayContaining(['2024-07-20', '2024-12-08']));
    expect(calendar.isBusinessDay('2024-07-22')).toBe(true);
    expect(calendar.isBusinessDay('2024-12-09')).toBe(true);
  });

  it('moves Monday holidays into the next month when needed (San Pedro 2023 on 3 July, Todos los Santos 2025 on 3 November)', () => {
    expect(calendar.isBusinessDay('2023-06-29')).toBe(true);
    expect(calendar.nonWorkingReason('2023-07-03')).toEqual({
      kind: 'holiday',
      name: { es: 'San Pedro y San Pablo', en: 'Saint Peter and Saint Paul' },
      law: 'Ley 51 de 1983',
    });
    expect(calendar.nonWorkingReason('2025-11-03')).toMatchObject({ kind: 'holiday', name: { es: 'Todos los Santos' } });
  });

  it('keeps a moved holiday that already falls on a Monday (Independencia de Cartagena, 11 Nov 2024)', () => {
    expect(calendar.nonWorkingReason('2024-11-11')).toMatchObject({ name: { es: 'Independencia de Cartagena' } });
    expect(calendar.isBusinessDay('2024-11-18')).toBe(true);
  });

  it('follows Easter 2026 (5 April): Holy Thursday 2 Apr, Ascension 18 May, Corpus 8 Jun, Sacred Heart 15 Jun', () => {
    const easter = colombianHolidays(2026)
      .filter((h) => ['Jueves Santo', 'Viernes Santo', 'Ascensión del Señor', 'Corpus Christi', 'Sagrado Corazón de Jesús'].includes(h.name.es))
      .map((h) => h.date)
      .sort();
    expect(easter).toEqual(['2026-04-02', '2026-04-03', '2026-05-18', '2026-06-08', '2026-06-15']);
  });

  it('follows Easter 2027 (28 March): Holy Week right after San José on 22 March, Corpus on 31 May', () => {
    const march = calendar.nonWorkingDays(2027).filter((d) => d.date.startsWith('2027-03'));
    expect(march.map((d) => [d.date, d.name.es])).toEqual([
      ['2027-03-22', 'San José'],
      ['2027-03-25', 'Jueves Santo'],
      ['2027-03-26', 'Viernes Santo'],
    ]);
    expect(calendar.nonWorkingReason('2027-05-31')).toMatchObject({ name: { es: 'Corpus Christi' } });
    expect(calendar.nonWorkingReason('2027-06-07')).toMatchObject({ name: { es: 'Sagrado Corazón de Jesús' } });
    expect(calendar.nonWorkingReason('2027-07-05')).toMatchObject({ name: { es: 'San Pedro y San Pablo' } });
  });
});

/**
 * An independent reading of Ley 51 de 1983, written for this test only: the fixed holidays, those
 * moved to the next Monday, and those counted from Easter Sunday (Meeus/Jones/Butcher computus).
 * The package must agree with it for every year the law has applied and the next decades.
 */
const LEY_51: readonly { monday: boolean; date?: [number, number]; easter?: number }[] = [
  { monday: false, date: [1, 1] },
  { monday: true, date: [1, 6] },
  { monday: true, date: [3, 19] },
  { monday: false, easter: -3 },
  { monday: false, easter: -2 },
  { monday: false, date: [5, 1] },
  { monday: true, easter: 39 },
  { monday: true, easter: 60 },
  { monday: true, easter: 68 },
  { monday: true, date: [6, 29] },
  { monday: false, date: [7, 20] },
  { monday: false, date: [8, 7] },
  { monday: true, date: [8, 15] },
  { monday: true, date: [10, 12] },
  { monday: true, date: [11, 1] },
  { monday: true, date: [11, 11] },
  { monday: false, date: [12, 8] },
  { monday: false, date: [12, 25] },
];

function easterSunday(year: number): DateTime {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return DateTime.utc(year, Math.floor(n / 31), (n % 31) + 1);
}

function ley51(year: number): string[] {
  const easter = easterSunday(year);
  return LEY_51.map((rule) => {
    const day = rule.date ? DateTime.utc(year, rule.date[0], rule.date[1]) : easter.plus({ days: rule.easter ?? 0 });
    const observed = rule.monday ? day.plus({ days: (8 - day.weekday) % 7 }) : day;
    return observed.toISODate() as string;
  }).sort();
}

describe('the colombian-holidays package, cross-checked', () => {
  it('observes the dates of an independent reading of Ley 51 in every year from 1984 to 2100', () => {
    for (let y = 1984; y <= 2100; y++) {
      expect([
        y,
        libraryHolidays(y)
          .map((h) => h.date)
          .sort(),
      ]).toEqual([y, ley51(y)]);
    }
  });

  it('refuses years before Ley 51 de 1983 took effect, and after the last year the rules are checked for', () => {
    expect(() => colombianHolidays(1983)).toThrow(RangeError);
    expect(() => new BusinessCalendar().isBusinessDay('1983-12-30')).toThrow(RangeError);
    expect(() => colombianHolidays(2101)).toThrow(RangeError);
    expect(new BusinessCalendar().covers(2100)).toBe(true);
    expect(new BusinessCalendar().covers(2101)).toBe(false);
  });
});

describe('business-day arithmetic, counted by hand', () => {
  it('skips Jueves and Viernes Santo 2023: one business day after Wednesday 5 April is Monday 10 April', () => {
    expect(calendar.addBusinessDays('2023-04-05', 1)).toBe('2023-04-10');
    expect(calendar.addBusinessDays('2023-04-10', -1)).toBe('2023-04-05');
    expect(calendar.addBusinessDays('2023-04-03', 5)).toBe('2023-04-12');
  });

  it('finds the next and previous business days around Easter 2023', () => {
    expect(calendar.nextBusinessDay('2023-04-05')).toBe('2023-04-10');
    expect(calendar.nextBusinessDay('2023-04-06', true)).toBe('2023-04-10');
    expect(calendar.nextBusinessDay('2023-04-05', true)).toBe('2023-04-05');
    expect(calendar.previousBusinessDay('2023-04-09')).toBe('2023-04-05');
    expect(calendar.previousBusinessDay('2023-04-10')).toBe('2023-04-05');
    expect(calendar.previousBusinessDay('2023-04-10', true)).toBe('2023-04-10');
  });

  it('counts 7 business days from Monday 3 to Friday 14 April 2023, and -7 backwards', () => {
    expect(calendar.businessDaysBetween('2023-04-03', '2023-04-14')).toBe(7);
    expect(calendar.businessDaysBetween('2023-04-14', '2023-04-03')).toBe(-7);
    expect(calendar.businessDaysBetween('2023-04-06', '2023-04-09')).toBe(0);
  });

  it('skips Thursday 20 July 2023: Wednesday 19 plus one business day is Friday 21', () => {
    expect(calendar.addBusinessDays('2023-07-19', 1)).toBe('2023-07-21');
    expect(calendar.addBusinessDays('2023-07-21', -1)).toBe('2023-07-19');
    expect(calendar.businessDaysBetween('2023-07-17', '2023-07-24')).toBe(4);
    expect(calendar.nonWorkingReason('2023-07-20')).toEqual({
      kind: 'holiday',
      name: { es: 'Grito de la Independencia', en: 'Declaration of Independence' },
      law: 'Ley 51 de 1983',
    });
  });

  it('counts from a Saturday: one business day after Saturday 7 January 2023 is Tuesday 10 (Reyes Magos on Monday)', () => {
    expect(calendar.addBusinessDays('2023-01-07', 1)).toBe('2023-01-10');
    expect(calendar.addBusinessDays('2023-01-07', 0)).toBe('2023-01-07');
  });

  it('crosses the new year: 2 business days after Friday 29 December 2023 is Wednesday 3 January 2024', () => {
    expect(calendar.addBusinessDays('2023-12-29', 2)).toBe('2024-01-03');
    expect(calendar.businessDaysBetween('2023-12-22', '2024-01-03')).toBe(6);
  });

  it('refuses dates that are not ISO calendar dates and fractional day counts', () => {
    expect(() => calendar.isBusinessDay('2023-02-30')).toThrow(RangeError);
    expect(() => calendar.isBusinessDay('4-ene-23')).toThrow(RangeError);
    expect(() => calendar.addBusinessDays('2023-01-04', 1.5)).toThrow(RangeError);
  });
});

describe('business-day arithmetic, by property', () => {
  const holidays = new Set<string>();
  for (let y = 2019; y <= 2032; y++) for (const h of colombianHolidays(y)) holidays.add(h.date);
  const businessDay = anyDate.filter((d) => !isWeekend(d) && !holidays.has(d));
  const steps = fc.integer({ min: -250, max: 250 });

  it('agrees with "not a weekend and not a listed holiday" on every date', () => {
    fc.assert(fc.property(anyDate, (d) => calendar.isBusinessDay(d) === (!isWeekend(d) && !holidays.has(d))));
  });

  it('lands on a business day whenever it moves at least one business day', () => {
    fc.assert(
      fc.property(
        anyDate,
        steps.filter((n) => n !== 0),
        (d, n) => calendar.isBusinessDay(calendar.addBusinessDays(d, n)),
      ),
    );
  });

  it('counts back exactly the business days it added, from a business day', () => {
    fc.assert(fc.property(businessDay, steps, (d, n) => calendar.businessDaysBetween(d, calendar.addBusinessDays(d, n)) === n));
  });

  it('returns to the same business day after adding n and then -n', () => {
    fc.assert(fc.property(businessDay, steps, (d, n) => calendar.addBusinessDays(calendar.addBusinessDays(d, n), -n) === d));
  });

  it('finds next and previous business days with only days off in between', () => {
    fc.assert(
      fc.property(anyDate, fc.boolean(), (d, inclusive) => {
        const next = calendar.nextBusinessDay(d, inclusive);
        const previous = calendar.previousBusinessDay(d, inclusive);
        expect(calendar.isBusinessDay(next) && calendar.isBusinessDay(previous)).toBe(true);
        expect(next >= d && previous <= d).toBe(true);
        if (!inclusive) expect(next > d && previous < d).toBe(true);
        for (let x = isoPlus(d, 1); x < next; x = isoPlus(x, 1)) expect(calendar.isBusinessDay(x)).toBe(false);
        for (let x = isoPlus(d, -1); x > previous; x = isoPlus(x, -1)) expect(calendar.isBusinessDay(x)).toBe(false);
        if (inclusive && next !== d) expect(calendar.isBusinessDay(d)).toBe(false);
      }),
    );
  });

  it("honours the entity's own days off: never lands on one and counts one day fewer per day off", () => {
    const weekday = businessDay.filter((d) => d >= '2023-01-01' && d <= '2024-12-31');
    fc.assert(
      fc.property(fc.uniqueArray(weekday, { minLength: 1, maxLength: 8 }), weekday, steps, (offDays, d, n) => {
        const entity = new BusinessCalendar(
          undefined,
          offDays.map((date) => ({ date, name: 'Día de la entidad' })),
        );
        for (const off of offDays) {
          expect(entity.nonWorkingReason(off)).toEqual({ kind: 'entity', name: { es: 'Día de la entidad', en: 'Día de la entidad' } });
        }
        const landed = entity.addBusinessDays(d, n);
        if (n !== 0) expect(offDays).not.toContain(landed);
        const [from, to] = d <= landed ? [d, landed] : [landed, d];
        const inside = offDays.filter((o) => o > from && o <= to).length;
        expect(Math.abs(calendar.businessDaysBetween(from, to)) - inside).toBe(Math.abs(entity.businessDaysBetween(from, to)));
      }),
    );
  });
});

describe('a calendar carried as data (workflow input)', () => {
  const original = new BusinessCalendar(undefined, [
    { date: '2023-03-15', name: { es: 'Aniversario de la entidad', en: 'Entity anniversary' } },
    { date: '2025-09-12', name: 'Jornada de bienestar' },
  ]);
  // JSON round trip: that is how Temporal carries it into the workflow.
  const copy = BusinessCalendar.fromData(JSON.parse(JSON.stringify(original.toData(2022, 2026))));
  const inRange = anyDate.filter((d) => d >= '2022-01-01' && d <= '2026-12-31');
  const safelyInside = anyDate.filter((d) => d >= '2022-04-01' && d <= '2026-09-30');
  const outside = anyDate.filter((d) => d < '2022-01-01' || d > '2026-12-31');

  it("answers exactly as the original inside its years, the entity's days included", () => {
    expect(copy.nonWorkingReason('2023-03-15')).toEqual({ kind: 'entity', name: { es: 'Aniversario de la entidad', en: 'Entity anniversary' } });
    fc.assert(
      fc.property(inRange, (d) => {
        expect(copy.nonWorkingReason(d)).toEqual(original.nonWorkingReason(d));
      }),
    );
    fc.assert(
      fc.property(safelyInside, fc.integer({ min: -40, max: 40 }), (d, n) => {
        expect(copy.addBusinessDays(d, n)).toBe(original.addBusinessDays(d, n));
        expect(copy.nextBusinessDay(d)).toBe(original.nextBusinessDay(d));
        expect(copy.previousBusinessDay(d)).toBe(original.previousBusinessDay(d));
      }),
    );
  });

  it('refuses any date outside its years, weekends included, instead of guessing', () => {
    expect(() => copy.isBusinessDay('2030-01-05')).toThrow(/2022-2026/);
    fc.assert(
      fc.property(outside, (d) => {
        expect(() => copy.isBusinessDay(d)).toThrow(RangeError);
      }),
    );
    expect(() => copy.addBusinessDays('2026-12-30', 5)).toThrow(RangeError);
  });
});
