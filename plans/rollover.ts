/**
 * Next year's plan from this year's (`plazos plan rollover`): the same activities, their dates
 * moved to the new year and onto business days, and a warning for every date that needed judgement.
 *
 * Pure: no I/O and no clock. Dates are ISO strings; calendar/days.ts does the day arithmetic.
 */
import type { BusinessCalendar, NonWorkingReason } from '../calendar/business-calendar';
import { addDays, daysBetween } from '../calendar/days';
import { CALENDAR_YEARS } from '../calendar/holiday-law';
import { formatDate, skippedBetween } from '../calendar/reason';
import { isLeapYear } from './dates';
import { planWindow } from './validate';
import { isIsoDate, PlanSchema, type Plan, type PlanActivity, type PlanIssue } from './model';

const yearOf = (date: string): number => Number(date.slice(0, 4));

export interface RolloverOptions {
  /** The new plan's year: every date moves by (year - plan.year) years. */
  year?: number;
  /** The new plan's earliest start: every date moves by the same number of days. */
  startOn?: string;
}

export interface RolloverResult {
  plan: Plan;
  warnings: PlanIssue[];
}

/** How the dates move, and the new plan's year. */
export type Shift = { kind: 'years'; years: number; year: number } | { kind: 'days'; days: number; year: number };

/** Why the options cannot roll this plan over; the CLI words each one for the planner. */
export type RolloverProblem =
  | { kind: 'missing' }
  | { kind: 'bad-year'; year: number }
  | { kind: 'same-year'; year: number }
  | { kind: 'bad-date'; date: string }
  | { kind: 'no-activities'; startOn: string }
  | { kind: 'start-out-of-range'; startOn: string; derivedYear: number }
  | { kind: 'inconsistent'; year: number; startOn: string; derivedYear: number };

/**
 * Dates the new plan cannot hold: where the holiday calendar does not reach (after its last year),
 * or outside the years a plan admits around its own (validate.ts, planWindow), which the plan's
 * importers would refuse when the new plan is read back. Each one located by activity, line and
 * field, so the planner sees which activity to shorten.
 */
export class RolloverDatesError extends Error {
  constructor(readonly issues: PlanIssue[]) {
    super(`The new plan has ${issues.length} dates it cannot hold`);
  }
}

export class RolloverOptionsError extends Error {
  constructor(readonly problem: RolloverProblem) {
    super(`Cannot roll the plan over: ${JSON.stringify(problem)}`);
  }
}

/** The years PlanSchema accepts, read from it so the two cannot drift apart. */
export const PLAN_YEARS = {
  first: PlanSchema.shape.year.minValue ?? CALENDAR_YEARS.first,
  last: PlanSchema.shape.year.maxValue ?? CALENDAR_YEARS.last,
} as const;

const inPlanYears = (year: number): boolean => Number.isInteger(year) && year >= PLAN_YEARS.first && year <= PLAN_YEARS.last;

/**
 * With --start-on the shift is in days, so the old plan's year lands across two years. The new
 * plan takes the one that holds most of it: the year its middle day (2 July) lands in.
 */
function yearAfterDays(planYear: number, days: number): number {
  return yearOf(addDays(`${planYear}-07-02`, days));
}

function earliestStart(plan: Plan): string | null {
  return plan.activities.reduce<string | null>((min, a) => (min === null || a.start < min ? a.start : min), null);
}

function daysShift(plan: Plan, startOn: string, year: number | undefined): Shift | RolloverProblem {
  if (!isIsoDate(startOn)) return { kind: 'bad-date', date: startOn };
  const first = earliestStart(plan);
  if (first === null) return { kind: 'no-activities', startOn };
  const days = daysBetween(first, startOn);
  const derivedYear = yearAfterDays(plan.year, days);
  if (year !== undefined && year !== derivedYear) return { kind: 'inconsistent', year, startOn, derivedYear };
  if (!inPlanYears(derivedYear)) return { kind: 'start-out-of-range', startOn, derivedYear };
  return { kind: 'days', days, year: derivedYear };
}

/**
 * The shift the options ask for, or why they cannot be used on this plan. --year alone on the
 * plan's own year is refused: the "new" plan would take the running plan's id.
 */
export function resolveShift(plan: Plan, opts: RolloverOptions): Shift | RolloverProblem {
  const { year, startOn } = opts;
  if (year === undefined && startOn === undefined) return { kind: 'missing' };
  if (year !== undefined && !inPlanYears(year)) return { kind: 'bad-year', year };
  if (startOn !== undefined) return daysShift(plan, startOn, year);
  const target = year as number;
  if (target === plan.year) return { kind: 'same-year', year: target };
  return { kind: 'years', years: target - plan.year, year: target };
}

function isShift(value: Shift | RolloverProblem): value is Shift {
  return value.kind === 'years' || value.kind === 'days';
}

/** A slug with the old year replaced as a whole segment, or the new year appended. */
export function rolloverId(id: string, oldYear: number, newYear: number): string {
  const segment = `(^|-)${oldYear}(?=-|$)`;
  if (new RegExp(segment).test(id)) return id.replace(new RegExp(segment, 'g'), `$1${newYear}`);
  // PlanSchema caps ids at 64 characters: shorten the base rather than produce an invalid plan.
  const base = id.slice(0, 64 - `-${newYear}`.length).replace(/-+$/, '');
  return `${base}-${newYear}`;
}

function yearPattern(year: number): RegExp {
  return new RegExp(`(?<!\\d)${year}(?!\\d)`, 'g');
}

type Field = 'start' | 'due';
const LABEL: Record<Field, string> = { start: 'fecha inicial', due: 'fecha final' };

/** A date's move and the warnings it earned, before the activity puts them in issues. */
interface Moved {
  date: string;
  notes: string[];
}

/** Same month and day in another year; 29 February becomes 28 February in a common year. */
function moveYears(date: string, years: number, field: Field): Moved {
  const year = yearOf(date) + years;
  const [month, dayOfMonth] = [date.slice(5, 7), date.slice(8, 10)];
  if (month === '02' && dayOfMonth === '29' && !isLeapYear(year)) {
    const moved = `${year}-02-28`;
    return { date: moved, notes: [`La ${LABEL[field]} ${date} es un 29 de febrero y ${year} no es bisiesto: se usó el 28 de febrero (${moved}).`] };
  }
  return { date: `${year}${date.slice(4)}`, notes: [] };
}

/** Weekday holidays the move passed over too ("; se saltó el lunes 3 de junio (Corpus Christi)"). */
function skippedWords(calendar: BusinessCalendar, from: string, to: string): string {
  const names = skippedBetween(calendar, from, to).map((s) => `el ${formatDate(s.date, 'es', 'no-year')} (${s.name.es})`);
  if (names.length === 0) return '';
  return `; ${names.length === 1 ? 'se saltó' : 'se saltaron'} ${names.join(' y ')}`;
}

function offWords(off: NonWorkingReason): string {
  if (off.kind === 'weekend') return off.weekday === 6 ? 'sábado' : 'domingo';
  const law = off.law ? ` (${off.law})` : '';
  return off.kind === 'holiday' ? `festivo: ${off.name.es}${law}` : `día no laborable de la entidad: ${off.name.es}${law}`;
}

/** A start on a non-working day begins on the next business day: the area gets the full span. */
function toBusinessStart(old: string, moved: string, calendar: BusinessCalendar): Moved {
  const off = calendar.nonWorkingReason(moved);
  if (!off) return { date: moved, notes: [] };
  const date = calendar.nextBusinessDay(moved, true);
  const note = `La fecha inicial ${old} pasa a ${moved}, que cae en ${offWords(off)}. Se corrió al siguiente día hábil, ${formatDate(date, 'es')}${skippedWords(calendar, moved, date)}.`;
  return { date, notes: [note] };
}

/**
 * A due date on a non-working day comes forward to the previous business day, so nothing falls
 * due on a day nobody is at the office; but never before the start, or the activity would end
 * before it begins: with no business day in between, it ends on its (moved) start.
 */
function toBusinessDue(old: string, moved: string, start: string, calendar: BusinessCalendar): Moved {
  const off = calendar.nonWorkingReason(moved);
  if (!off) return { date: moved, notes: [] };
  const previous = calendar.previousBusinessDay(moved, true);
  const head = `La fecha final ${old} pasa a ${moved}, que cae en ${offWords(off)}`;
  if (previous < start) {
    const note = `${head}, y no hay días hábiles desde la fecha inicial hasta ella. Se fijó igual a la fecha inicial, ${formatDate(start, 'es')}.`;
    return { date: start, notes: [note] };
  }
  return { date: previous, notes: [`${head}. Se adelantó al día hábil anterior, ${formatDate(previous, 'es')}${skippedWords(calendar, previous, moved)}.`] };
}

/**
 * A date outside the new year is kept where the shift puts it (the planner placed it outside on
 * purpose once, e.g. preparing in October for next year), but said, so they can decide again.
 */
function outsideNote(old: string, date: string, field: Field, plan: Plan, year: number): string | null {
  if (yearOf(date) === year) return null;
  const label = LABEL[field];
  if (yearOf(old) !== plan.year) {
    return `La ${label} ${old} ya estaba fuera del año del plan (${plan.year}): se movió igual que las demás fechas y queda en ${date}, fuera de ${year}. Revise si aún corresponde.`;
  }
  return `La ${label} ${old} queda en ${date}, fuera del año del plan nuevo (${year}). Revise si aún corresponde.`;
}

function shiftDate(date: string, shift: Shift, field: Field): Moved {
  return shift.kind === 'years' ? moveYears(date, shift.years, field) : { date: addDays(date, shift.days), notes: [] };
}

function outsideCalendar(a: PlanActivity, shift: Shift, calendar: BusinessCalendar): PlanIssue[] {
  const { first, last } = calendar.years;
  return (['start', 'due'] as const).flatMap((field) => {
    const date = shiftDate(a[field], shift, field).date;
    if (calendar.covers(yearOf(date))) return [];
    const message = `La ${LABEL[field]} ${a[field]} pasaría a ${date}, fuera de los años que cubre el calendario de festivos (${first} a ${last}).`;
    return [{ file: null, line: a.line ?? null, activity: a.number, field, message }];
  });
}

/** The rolled activity's dates outside the new plan's window, located in the old plan. */
function outsideWindow(old: PlanActivity, rolled: PlanActivity, year: number): PlanIssue[] {
  const { first, last } = planWindow(year);
  return (['start', 'due'] as const).flatMap((field) => {
    const date = rolled[field];
    if (yearOf(date) >= first && yearOf(date) <= last) return [];
    const message = `La ${LABEL[field]} ${old[field]} pasaría a ${date}, fuera de los años que admite un plan de ${year} (${first} a ${last}).`;
    return [{ file: null, line: old.line ?? null, activity: old.number, field, message }];
  });
}

function rollActivity(a: PlanActivity, plan: Plan, shift: Shift, calendar: BusinessCalendar, warnings: PlanIssue[]): PlanActivity {
  const warn = (field: PlanIssue['field'], message: string) => warnings.push({ file: null, line: a.line ?? null, activity: a.number, field, message });
  const shiftedStart = shiftDate(a.start, shift, 'start');
  const start = toBusinessStart(a.start, shiftedStart.date, calendar);
  const shiftedDue = shiftDate(a.due, shift, 'due');
  const due = toBusinessDue(a.due, shiftedDue.date, start.date, calendar);
  for (const note of [...shiftedStart.notes, ...start.notes, outsideNote(a.start, start.date, 'start', plan, shift.year)]) if (note) warn('start', note);
  for (const note of [...shiftedDue.notes, ...due.notes, outsideNote(a.due, due.date, 'due', plan, shift.year)]) if (note) warn('due', note);
  textYearNotes(a, plan, shift.year, warn);
  // `line` points into the old plan's file; the new plan has no file yet.
  const { line: _line, ...rest } = a;
  return { ...rest, start: start.date, due: due.date };
}

/**
 * Titles and deliverables are the planner's words ("vigencia del 2023", "Rendición de Cuentas
 * Interna 2022"): a year in them may be right or stale, so they are flagged, never rewritten.
 */
function textYearNotes(a: PlanActivity, plan: Plan, year: number, warn: (field: PlanIssue['field'], message: string) => void): void {
  const recent = [plan.year - 1, plan.year];
  const check = (field: 'title' | 'deliverable', text: string, what: string) => {
    const found = recent.filter((y) => yearPattern(y).test(text));
    if (found.length > 0) warn(field, `${what} menciona ${found.join(' y ')}: revise si debe cambiar en el plan ${year}.`);
  };
  check('title', a.title, 'El nombre de la actividad');
  check('deliverable', a.deliverable, 'El entregable');
}

function planNotes(plan: Plan, next: { title: string; id: string }, shift: Shift, first: string | null): string[] {
  const notes: string[] = [];
  if (next.title === plan.title && shift.year !== plan.year) {
    notes.push(`El título "${plan.title}" no menciona el año ${plan.year}: se dejó igual; agregue el año ${shift.year} si corresponde.`);
  }
  for (const entry of plan.preamble ?? []) {
    if (yearPattern(plan.year).test(entry.text)) {
      notes.push(`El texto "${entry.label}" del preámbulo menciona ${plan.year}: revise si debe decir ${shift.year}.`);
    }
  }
  if (shift.kind === 'days' && first !== null) {
    notes.push(
      `Todas las fechas se corrieron ${shift.days} días para que la primera fecha inicial (${first}) pase a ${addDays(first, shift.days)}; ` +
        `el plan nuevo es del año ${shift.year}, al que llega la mitad del año ${plan.year} (2 de julio).`,
    );
  }
  if (next.id === plan.id) {
    notes.push(`El plan nuevo conserva el identificador "${plan.id}": no lo inicie mientras el plan actual siga en curso.`);
  }
  return notes;
}

/**
 * Next year's plan. People and versions change with the year, so preparedBy, reviewedBy and
 * versionDate are dropped and the version restarts at '1'; policies and recurrences carry over.
 * Throws RolloverOptionsError when the options do not fit the plan (see resolveShift).
 */
export function rolloverPlan(plan: Plan, opts: RolloverOptions, calendar: BusinessCalendar): RolloverResult {
  const shift = resolveShift(plan, opts);
  if (!isShift(shift)) throw new RolloverOptionsError(shift);
  const outside = plan.activities.flatMap((a) => outsideCalendar(a, shift, calendar));
  if (outside.length > 0) throw new RolloverDatesError(outside);
  const activityWarnings: PlanIssue[] = [];
  const activities = plan.activities.map((a) => rollActivity(a, plan, shift, calendar, activityWarnings));
  const farOff = plan.activities.flatMap((a, i) => outsideWindow(a, activities[i] as PlanActivity, shift.year));
  if (farOff.length > 0) throw new RolloverDatesError(farOff);
  const { preparedBy: _preparedBy, reviewedBy: _reviewedBy, versionDate: _versionDate, ...kept } = plan;
  const id = rolloverId(plan.id, plan.year, shift.year);
  const title = plan.title.replace(yearPattern(plan.year), String(shift.year));
  const next = PlanSchema.parse({ ...kept, id, title, year: shift.year, version: '1', activities });
  const planWarnings = planNotes(plan, next, shift, earliestStart(plan)).map((message): PlanIssue => ({
    file: null,
    line: null,
    activity: null,
    field: 'plan',
    message,
  }));
  return { plan: next, warnings: [...planWarnings, ...activityWarnings] };
}
