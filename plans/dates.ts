/**
 * Reading the dates planners write: `4-ene-23`, `04/ene/2023`, `4 de enero de 2023`, `04/01/2023`,
 * `2023-01-04`. Pure: no clock, no locale of the machine, no I/O.
 *
 * An impossible date (31 April, 29 February in a common year) is refused with the reason, never
 * rolled over to the next month the way `Date` would: a plan that says 31-abr is wrong, and the
 * planner must decide whether it meant 30-abr or 1-may.
 */
import type { IsoDate } from './model';

export type DateParseResult = { ok: true; date: IsoDate } | { ok: false; reason: string };

/** Spanish month names as Colombian plans write them, plus English ones that spreadsheets emit. */
const MONTHS: Record<string, number> = {
  ene: 1,
  enero: 1,
  jan: 1,
  january: 1,
  feb: 2,
  febrero: 2,
  february: 2,
  mar: 3,
  marzo: 3,
  march: 3,
  abr: 4,
  abril: 4,
  apr: 4,
  april: 4,
  may: 5,
  mayo: 5,
  jun: 6,
  junio: 6,
  june: 6,
  jul: 7,
  julio: 7,
  july: 7,
  ago: 8,
  agosto: 8,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  set: 9,
  septiembre: 9,
  setiembre: 9,
  september: 9,
  oct: 10,
  octubre: 10,
  october: 10,
  nov: 11,
  noviembre: 11,
  november: 11,
  dic: 12,
  diciembre: 12,
  dec: 12,
  december: 12,
};

export const MONTH_NAMES_ES = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
] as const;

/** Years outside this range are typos (`4-ene-1023`), not plans. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const NUMERIC_DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/;
// The separator class includes the dot, so `ene.-23` and `4.ene.23` read like `ene-23`.
const NAMED_MONTH = /^(\d{1,2})[\s/.-]+(?:de\s+)?([a-z]+)[\s/.-]+(?:del?\s+)?(\d{2}|\d{4})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Lowercase without accents, so `ENE.`, `Ene` and `éne` compare alike. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A two-digit year is the year ending in those digits nearest the plan's year (ties: the later
 * one), so `4-ene-90` in a 1990 plan is 1990 and `4-ene-00` in a 2099 plan is 2100. Without a
 * plan year (while the year is still being worked out) it is this century: plans are written
 * for the coming year, not for 1923. Whether the year read is one the plan admits is the
 * validation's to say (validate.ts), with the activity's line and field.
 */
function fullYear(text: string, planYear: number | null): number {
  const n = Number(text);
  if (text.length !== 2) return n;
  if (planYear === null) return 2000 + n;
  const near = planYear - (((planYear % 100) + 100) % 100) + n;
  const candidates = [near - 100, near, near + 100];
  return candidates.reduce((best, y) => (Math.abs(y - planYear) <= Math.abs(best - planYear) ? y : best));
}

/** Checks a day/month/year triple; the reason names what is impossible about it. */
export function checkDate(year: number, month: number, day: number): DateParseResult {
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, reason: `el año ${year} está fuera de rango` };
  if (month < 1 || month > 12) return { ok: false, reason: `el mes ${month} no existe` };
  const monthName = MONTH_NAMES_ES[month - 1] as string;
  if (day < 1) return { ok: false, reason: `el día ${day} no existe` };
  const last = daysInMonth(year, month);
  if (day > last) {
    if (month === 2 && day === 29) return { ok: false, reason: `${year} no es bisiesto: febrero tiene 28 días` };
    return { ok: false, reason: `${monthName} tiene ${last} días` };
  }
  return { ok: true, date: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

/**
 * Parses a plan date. Never throws: anything unreadable comes back with a reason in Spanish.
 * `planYear`, when known, is where a two-digit year is read (see fullYear).
 */
export function parsePlanDate(text: string, planYear: number | null = null): DateParseResult {
  const folded = foldText(text.trim()).replace(/\s+/g, ' ');
  if (folded === '') return { ok: false, reason: 'la fecha está vacía' };
  let m = ISO.exec(folded);
  if (m) return checkDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = NUMERIC_DMY.exec(folded);
  if (m) return checkDate(fullYear(m[3] as string, planYear), Number(m[2]), Number(m[1]));
  m = NAMED_MONTH.exec(folded);
  if (m) {
    const month = MONTHS[m[2] as string];
    if (month === undefined) return { ok: false, reason: `no se reconoce el mes "${m[2]}"` };
    return checkDate(fullYear(m[3] as string, planYear), month, Number(m[1]));
  }
  return { ok: false, reason: 'formato no reconocido (use p. ej. 4-ene-23, 04/01/2023 o 2023-01-04)' };
}

/** The calendar date of a spreadsheet date cell: exceljs gives UTC midnight, so read it in UTC. */
export function utcDateToIso(date: Date): IsoDate | null {
  if (Number.isNaN(date.getTime())) return null;
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}
