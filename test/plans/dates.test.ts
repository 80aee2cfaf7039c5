import fc from 'fast-check';
import { daysInMonth, parsePlanDate } from '../../plans/dates';

const ABBR = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];
const FULL = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

describe('reading the dates planners write', () => {
  it.each([
    ['4-ene-23', '2023-01-04'],
    ['04/ene/2023', '2023-01-04'],
    ['4-ENE-23', '2023-01-04'],
    ['4-Ene.-23', '2023-01-04'],
    ['30-sept-23', '2023-09-30'],
    ['30-sep-2023', '2023-09-30'],
    ['4 de enero de 2023', '2023-01-04'],
    ['29-dic-23', '2023-12-29'],
    ['2023-01-04', '2023-01-04'],
    ['04/01/2023', '2023-01-04'],
    ['4/1/23', '2023-01-04'],
    ['29-feb-24', '2024-02-29'],
    ['  31-ene-23 ', '2023-01-31'],
  ])('reads "%s" as %s', (text, iso) => {
    expect(parsePlanDate(text)).toEqual({ ok: true, date: iso });
  });

  it.each([
    ['31-abr-23', 'abril tiene 30 días'],
    ['29-feb-23', '2023 no es bisiesto: febrero tiene 28 días'],
    ['32-ene-23', 'enero tiene 31 días'],
    ['15/13/2023', 'el mes 13 no existe'],
    ['2023-13-01', 'el mes 13 no existe'],
    ['0-ene-23', 'el día 0 no existe'],
    ['31/06/2023', 'junio tiene 30 días'],
    ['4-xyz-23', 'no se reconoce el mes "xyz"'],
    ['mañana', 'formato no reconocido'],
    ['', 'la fecha está vacía'],
  ])('refuses "%s" and says why: %s', (text, reason) => {
    const result = parsePlanDate(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});

describe("a two-digit year is read near the plan's year", () => {
  it.each<[string, number | null, string]>([
    ['4-ene-22', 2023, '2022-01-04'],
    ['4-ene-90', 1990, '1990-01-04'],
    ['31/12/99', 2000, '1999-12-31'],
    ['4-ene-00', 2099, '2100-01-04'],
    // Far from the plan's year it is still the nearest reading; the validation refuses it, located.
    ['4-ene-50', 2023, '2050-01-04'],
    // Without a plan year (while the importer works it out from the due dates): this century.
    ['4-ene-90', null, '2090-01-04'],
    // Four digits say the century themselves.
    ['4-ene-1990', 2023, '1990-01-04'],
  ])('"%s" in a plan of %s is %s', (text, planYear, date) => {
    expect(parsePlanDate(text, planYear)).toEqual({ ok: true, date });
  });

  it("reads back every date of the plan's window written with two digits, for any plan year the calendar covers", () => {
    const cases = fc
      .integer({ min: 1984, max: 2100 })
      .chain((planYear) => fc.record({ planYear: fc.constant(planYear), date: dates(planYear - 2, planYear + 1), format: fc.integer({ min: 0, max: 1 }) }));
    fc.assert(
      fc.property(cases, ({ planYear, date, format }) => {
        const { y, m, d } = date;
        const text = format === 0 ? `${d}-${ABBR[m - 1]}-${two(y % 100)}` : `${two(d)}/${two(m)}/${two(y % 100)}`;
        expect(parsePlanDate(text, planYear)).toEqual({ ok: true, date: iso(date) });
      }),
      { numRuns: 1000 },
    );
  });
});

/** Any real calendar date in the range a plan can use; 2-digit formats only cover 2000-2099. */
const dates = (minYear: number, maxYear: number) =>
  fc
    .record({ y: fc.integer({ min: minYear, max: maxYear }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
    .map(({ y, m, d }) => ({ y, m, d: Math.min(d, daysInMonth(y, m)) }));

const two = (n: number) => String(n).padStart(2, '0');
const iso = ({ y, m, d }: { y: number; m: number; d: number }) => `${y}-${two(m)}-${two(d)}`;
const randomCase = (s: string, upper: boolean[]) => [...s].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');

describe('date parser properties', () => {
  it('reads back any valid date written in each supported format', () => {
    const formats = fc.record({
      date: dates(2000, 2099),
      upper: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
      dot: fc.boolean(),
      format: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(formats, ({ date, upper, dot, format }) => {
        const { y, m, d } = date;
        const abbr = randomCase(ABBR[m - 1] as string, upper) + (dot ? '.' : '');
        const text = [
          `${d}-${abbr}-${two(y % 100)}`,
          `${two(d)}/${abbr}/${y}`,
          `${d} de ${randomCase(FULL[m - 1] as string, upper)} de ${y}`,
          iso(date),
          `${two(d)}/${two(m)}/${y}`,
          `${d}-${FULL[m - 1]}-${two(y % 100)}`,
        ][format] as string;
        expect(parsePlanDate(text)).toEqual({ ok: true, date: iso(date) });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back four-digit years from 1900 to 2199 in ISO and dd/mm/yyyy', () => {
    fc.assert(
      fc.property(dates(1900, 2199), fc.boolean(), (date, isoFormat) => {
        const text = isoFormat ? iso(date) : `${two(date.d)}/${two(date.m)}/${date.y}`;
        expect(parsePlanDate(text)).toEqual({ ok: true, date: iso(date) });
      }),
    );
  });

  it('never rolls a day past the end of its month over into the next month', () => {
    const past = fc
      .record({ y: fc.integer({ min: 2000, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), extra: fc.integer({ min: 1, max: 5 }) })
      .map(({ y, m, extra }) => ({ y, m, d: daysInMonth(y, m) + extra }));
    fc.assert(
      fc.property(past, ({ y, m, d }) => {
        expect(parsePlanDate(`${d}-${ABBR[m - 1]}-${two(y % 100)}`).ok).toBe(false);
        expect(parsePlanDate(`${y}-${two(m)}-${two(d)}`).ok).toBe(false);
      }),
    );
  });

  it('never throws on random text, and whatever it accepts is a real ISO date', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^\d{1,3}[-/ .]{1,2}[a-zA-Z]{0,10}\.?[-/ .]{1,2}\d{1,5}$/));
    fc.assert(
      fc.property(text, (t) => {
        const result = parsePlanDate(t);
        if (result.ok) {
          expect(result.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(parsePlanDate(result.date)).toEqual(result);
        } else expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});
