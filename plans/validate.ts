/**
 * The checks every importer shares, so a plan reads the same whether it came as TSV, CSV, XLSX
 * or YAML: each activity's fields, then what only the whole plan shows (duplicates, the year).
 *
 * Pure. A bad activity is reported and left out; the others are still accepted, so a planner
 * sees every problem of a file in one run instead of one per attempt.
 */
import type { AreasDirectory } from './areas';
import type { BusinessCalendar } from '../calendar/business-calendar';
import {
  PlanSchema,
  type Frequency,
  type ImportResult,
  type NoticePolicyOverride,
  type Plan,
  type PlanActivity,
  type PlanField,
  type PlanInput,
  type PlanIssue,
  type Recurrence,
} from './model';
import { foldText, parsePlanDate } from './dates';
import { parseResponsible } from './responsible';
import { PLAN_LIMITS, thousands } from './limits';
import { z } from 'zod';

export interface ImportOptions {
  /** Named in every issue; for importers over text it is only a label. */
  file: string;
  areas: AreasDirectory;
  calendar: BusinessCalendar;
  /** The plan's id; by default derived from the title and year. */
  id?: string;
}

/** An activity as the source wrote it, before any check. */
export interface RawActivity {
  line: number | null;
  /** 1-based position among the plan's activities, across all tables. */
  position: number;
  /** The number the source shows (the YAML `number`); a `3. ` title prefix is read here too. */
  shownNumber?: number | null;
  /** Fields are undefined when the importer already reported them as unreadable. */
  title?: string;
  start?: string;
  due?: string;
  responsible?: string | readonly string[];
  deliverable?: string;
  recurrence?: Recurrence;
  policy?: NoticePolicyOverride;
  /** The importer already reported an error for this activity: never accept it. */
  rejected?: boolean;
}

export interface ReadContext {
  file: string | null;
  areas: AreasDirectory;
  calendar: BusinessCalendar;
  /** The plan's year, when known: dates in the years around it are warned about, farther ones refused (planWindow). */
  year: number | null;
  /** Tables have no recurrence column, so a title saying "mensual" sets it (with a warning). */
  inferRecurrence: boolean;
}

/**
 * Collects a file's issues, up to PLAN_LIMITS.issues of each kind: past that, one entry counts the
 * rest. A broken export of a hundred thousand rows must give a report a planner can read (and a
 * process that fits in memory), not a hundred megabytes of the same error.
 */
export class IssueCollector {
  readonly errors: PlanIssue[] = [];
  readonly warnings: PlanIssue[] = [];
  private readonly dropped = { errors: { count: 0, from: null as number | null }, warnings: { count: 0, from: null as number | null } };
  constructor(readonly file: string | null) {}

  error(line: number | null, activity: number | null, field: PlanField | null, message: string): void {
    this.add('errors', { file: this.file, line, activity, field, message });
  }

  warn(line: number | null, activity: number | null, field: PlanField | null, message: string): void {
    this.add('warnings', { file: this.file, line, activity, field, message });
  }

  private add(kind: 'errors' | 'warnings', issue: PlanIssue): void {
    const list = this[kind];
    if (list.length < PLAN_LIMITS.issues) {
      list.push(issue);
      return;
    }
    const dropped = this.dropped[kind];
    dropped.count += 1;
    dropped.from ??= issue.line;
    const what = kind === 'errors' ? 'errores' : 'advertencias';
    const from = dropped.from === null ? '' : `, el primero en la línea ${dropped.from}`;
    const message = `Hay ${thousands(dropped.count)} ${what} más que no se listan (se muestran los primeros ${thousands(PLAN_LIMITS.issues)})${from}.`;
    // One entry past the limit holds the count, updated as more arrive.
    const summary = list[PLAN_LIMITS.issues];
    if (summary) Object.assign(summary, { message, more: dropped.count });
    else list.push({ file: this.file, line: null, activity: null, field: 'file', message, more: dropped.count });
  }
}

/** Issues in source order; those without a line (about the whole plan) first. */
export function sortIssues(issues: PlanIssue[]): PlanIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.i - b.i)
    .map((x) => x.issue);
}

/** Spanish that zod speaks for a single call, without changing zod's global configuration. */
export const ZOD_SPANISH = { error: z.locales.es().localeError };

/** Titles and deliverables end up in e-mail subjects: one line, single spaces. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `3. Socializar...` -> number 3 and the title without it. */
export function splitShownNumber(title: string): { shown: number | null; title: string } {
  const m = /^\s*(\d{1,3})\s*[.)]\s*(?!\d)(.*)$/s.exec(title);
  return m ? { shown: Number(m[1]), title: m[2] as string } : { shown: null, title };
}

const PERIOD_WORDS: Record<string, Frequency> = {
  mensual: 'monthly',
  bimestral: 'bimonthly',
  trimestral: 'quarterly',
  semestral: 'semiannual',
};

/** The period word a title uses ("seguimiento mensual"), if any. */
export function periodWord(title: string): { word: string; frequency: Frequency } | null {
  const m = /\b(mensual|bimestral|trimestral|semestral)(?:es|mente)?\b/.exec(foldText(title));
  return m ? { word: m[1] as string, frequency: PERIOD_WORDS[m[1] as string] as Frequency } : null;
}

const DATE_LABEL = { start: 'Fecha inicial', due: 'Fecha final' } as const;

/**
 * The years a plan's dates may fall in: from two years before its own to one after.
 *
 * Before: a plan is formulated in the year before its own and carries work over from it. The
 * seed, a 2023 plan, has four activities starting in 2022 (the PAAC's chat and forum in October
 * and November, the monthly follow-up of the web site from February). `plan rollover --start-on`
 * moves every date by the same days and names the new plan after the year the old one's middle
 * lands in, so that lead can reach two years back: the seed started on 1 December 2026 is the
 * 2028 plan, its monthly follow-up starting in 2026. What rollover writes must read back.
 * After: the last follow-up cut, 31 December (Decreto 124 de 2016), is reported in the next year.
 *
 * Farther than that a date is no plan's: a typo, or a two-digit year (`4-ene-50` in a 2023 plan)
 * that would otherwise schedule notices decades ahead. Those are refused; dates in the years
 * around the plan's own are accepted with a warning.
 */
export const PLAN_YEARS_BEFORE = 2;
export const PLAN_YEARS_AFTER = 1;

export function planWindow(year: number): { first: number; last: number } {
  return { first: year - PLAN_YEARS_BEFORE, last: year + PLAN_YEARS_AFTER };
}

type Report = (kind: 'error' | 'warn', field: PlanField, message: string) => void;

function quoted(raw: string, iso: string): string {
  return raw.trim() === iso ? `"${iso}"` : `"${raw.trim()}" (${iso})`;
}

function readDate(raw: string | undefined, field: 'start' | 'due', ctx: ReadContext, report: Report): string | null {
  if (raw === undefined) return null;
  if (raw.trim() === '') {
    report('error', field, `Falta la ${DATE_LABEL[field].toLowerCase()}.`);
    return null;
  }
  // A year no plan can have is reported once, for the plan: read or measured from it, every date would be wrong too.
  const planYear = ctx.year !== null && PlanSchema.shape.year.safeParse(ctx.year).success ? ctx.year : null;
  const parsed = parsePlanDate(raw, planYear);
  if (!parsed.ok) {
    report('error', field, `${DATE_LABEL[field]} inválida "${raw.trim()}": ${parsed.reason}.`);
    return null;
  }
  const year = Number(parsed.date.slice(0, 4));
  const { first, last } = ctx.calendar.years;
  if (!ctx.calendar.covers(year)) {
    // Business days are counted by the holiday laws, and those are only checked for these years.
    report(
      'error',
      field,
      `La ${DATE_LABEL[field].toLowerCase()} ${quoted(raw, parsed.date)} está fuera de los años que cubre el calendario de festivos (${first} a ${last}).`,
    );
    return null;
  }
  if (planYear !== null && year !== planYear) {
    const label = DATE_LABEL[field].toLowerCase();
    const window = planWindow(planYear);
    if (year < window.first || year > window.last) {
      report(
        'error',
        field,
        `La ${label} ${quoted(raw, parsed.date)} cae en ${year}, fuera de los años que admite un plan de ${planYear} (${window.first} a ${window.last}).`,
      );
      return null;
    }
    report('warn', field, `La ${label} ${quoted(raw, parsed.date)} está fuera del año del plan (${planYear}).`);
  }
  return parsed.date;
}

/** Why a date is not a business day, in the words a planner uses; null on business days. */
function nonWorkingWhy(calendar: BusinessCalendar, date: string): string | null {
  let reason;
  try {
    reason = calendar.nonWorkingReason(date);
  } catch {
    return null; // a calendar built from data for other years cannot tell; not this check's job
  }
  if (!reason) return null;
  if (reason.kind === 'weekend') return reason.weekday === 6 ? 'sábado' : 'domingo';
  const law = reason.law ? `, ${reason.law}` : '';
  return reason.kind === 'holiday' ? `festivo (${reason.name.es}${law})` : `día no laborable de la entidad (${reason.name.es}${law})`;
}

function checkSpan(start: string, due: string, raw: RawActivity, ctx: ReadContext, report: Report): boolean {
  if (due < start) {
    report('error', 'due', `La fecha final "${raw.due?.trim()}" es anterior a la fecha inicial "${raw.start?.trim()}".`);
    return false;
  }
  // ISO strings compare as dates; `${year + 1}-02-29` still sorts correctly in a common year.
  const oneYearLater = `${String(Number(start.slice(0, 4)) + 1).padStart(4, '0')}${start.slice(4)}`;
  if (due > oneYearLater) report('warn', 'due', `La actividad dura más de un año: del ${start} al ${due}.`);
  const why = nonWorkingWhy(ctx.calendar, due);
  if (why) report('warn', 'due', `La fecha final ${quoted(raw.due ?? '', due)} cae en ${why}, que no es día hábil.`);
  return true;
}

function readRecurrence(raw: RawActivity, title: string, ctx: ReadContext, report: Report): Recurrence | undefined {
  if (raw.recurrence) return raw.recurrence;
  const period = periodWord(title);
  if (!period) return undefined;
  if (!ctx.inferRecurrence) {
    report(
      'warn',
      'recurrence',
      `El nombre dice "${period.word}" pero la actividad no tiene periodicidad ("recurrence"): se tratará como una sola entrega. Si es periódica, agregue p. ej. "recurrence: {frequency: ${period.frequency}}".`,
    );
    return undefined;
  }
  report(
    'warn',
    'recurrence',
    `El nombre dice "${period.word}": se asumió una entrega ${period.word} al final de cada periodo. Puede fijar la periodicidad con la clave "recurrence" en el plan YAML.`,
  );
  return { frequency: period.frequency, due: { rule: 'end-of-period' } };
}

function readTitle(raw: RawActivity, report: Report): string | null {
  if (raw.title === undefined) return null;
  const { shown, title } = splitShownNumber(raw.title);
  const shownNumber = raw.shownNumber ?? shown;
  if (shownNumber !== null && shownNumber !== raw.position) {
    report(
      'warn',
      'number',
      `El número escrito (${shownNumber}) no coincide con la posición de la actividad en el plan (${raw.position}): se usa ${raw.position}.`,
    );
  }
  const clean = cleanText(title);
  if (clean === '') report('error', 'title', 'Falta el nombre de la actividad.');
  return clean === '' ? null : clean;
}

function readDeliverable(raw: RawActivity, report: Report): string | null {
  if (raw.deliverable === undefined) return null;
  const clean = cleanText(raw.deliverable);
  if (clean === '') report('error', 'deliverable', 'Falta el producto o entregable.');
  return clean === '' ? null : clean;
}

function readAreas(raw: RawActivity, ctx: ReadContext, report: Report): string[] | null {
  if (raw.responsible === undefined) return null;
  const { codes, problems } = parseResponsible(raw.responsible, ctx.areas);
  for (const p of problems) report('error', 'responsible', p);
  return problems.length === 0 ? codes : null;
}

export interface ReadActivityResult {
  /** Null when the activity has an error. */
  activity: PlanActivity | null;
  /** Title and dates, to find repeated activities; null when one of them is unreadable. */
  key: string | null;
}

/** Checks one activity, reporting into `issues`. */
export function readActivity(raw: RawActivity, ctx: ReadContext, issues: IssueCollector): ReadActivityResult {
  let failed = raw.rejected === true;
  const report: Report = (kind, field, message) => {
    if (kind === 'error') failed = true;
    issues[kind](raw.line, raw.position, field, message);
  };
  const title = readTitle(raw, report);
  const start = readDate(raw.start, 'start', ctx, report);
  const due = readDate(raw.due, 'due', ctx, report);
  const spanOk = start !== null && due !== null && checkSpan(start, due, raw, ctx, report);
  const responsible = readAreas(raw, ctx, report);
  const deliverable = readDeliverable(raw, report);
  const recurrence = title === null ? undefined : readRecurrence(raw, title, ctx, report);
  const key = title !== null && start !== null && due !== null ? `${foldText(title)}|${start}|${due}` : null;
  if (failed || !spanOk || title === null || responsible === null || deliverable === null) {
    return { activity: null, key };
  }
  const activity: PlanActivity = { number: raw.position, title, start, due, responsible, deliverable };
  if (recurrence) activity.recurrence = recurrence;
  if (raw.policy) activity.policy = raw.policy;
  if (raw.line !== null) activity.line = raw.line;
  return { activity, key };
}

/** Plan metadata, everything but the activities. */
export type PlanMeta = Omit<PlanInput, 'activities'>;

/**
 * Checks all activities and assembles the plan from the accepted ones. `meta` is null when the
 * importer could not read the plan's own fields (already reported): then there is no plan.
 */
export function buildPlan(meta: PlanMeta | null, raws: readonly RawActivity[], ctx: ReadContext, issues: IssueCollector): ImportResult {
  if (raws.length > PLAN_LIMITS.activities) {
    const first = raws[PLAN_LIMITS.activities];
    issues.error(
      first?.line ?? null,
      null,
      'plan',
      `El plan tiene ${thousands(raws.length)} actividades y el máximo es ${thousands(PLAN_LIMITS.activities)}: divídalo en varios planes.`,
    );
    return { plan: null, errors: sortIssues(issues.errors), warnings: sortIssues(issues.warnings) };
  }
  const accepted: PlanActivity[] = [];
  const seen = new Map<string, RawActivity>();
  for (const raw of raws) {
    const { activity, key } = readActivity(raw, ctx, issues);
    const earlier = key === null ? undefined : seen.get(key);
    if (earlier) {
      const where = earlier.line === null ? '' : ` (línea ${earlier.line})`;
      issues.error(
        raw.line,
        raw.position,
        'title',
        `Actividad repetida: igual a la actividad ${earlier.position}${where}, con el mismo nombre y las mismas fechas.`,
      );
    } else if (key !== null) seen.set(key, raw);
    if (activity && !earlier) accepted.push(activity);
  }
  if (raws.length === 0) issues.warn(null, null, 'plan', 'El plan no tiene actividades.');
  const plan = meta === null ? null : assemble(meta, accepted, issues);
  return { plan, errors: sortIssues(issues.errors), warnings: sortIssues(issues.warnings) };
}

function assemble(meta: PlanMeta, activities: PlanActivity[], issues: IssueCollector): Plan | null {
  const parsed = PlanSchema.safeParse({ ...meta, activities }, ZOD_SPANISH);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    issues.error(null, null, 'plan', `Dato del plan inválido en "${issue.path.join('.')}": ${issue.message.replace(/\.$/, '')}.`);
  }
  return null;
}
