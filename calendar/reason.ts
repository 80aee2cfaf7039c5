/**
 * Why a notice falls on its date, as data (for the workflow, the preview and tests) and as a short
 * sentence in Spanish (es-CO) or English for the people who read the agenda and the e-mails.
 *
 * Dates are named from our own tables rather than through Intl so that the text is the same in
 * every runtime, including Temporal's workflow sandbox.
 */
import type { BusinessCalendar, Locale, NonWorkingReason } from './business-calendar';

/** A weekday the count of business days passed over: a public holiday or an entity's day off. */
export interface SkippedDay {
  date: string;
  kind: 'holiday' | 'entity';
  name: { es: string; en: string };
}

/** What a notice counts from: the period's start (kickoff) or its due date (everything else). */
export type ReasonRule = 'period-start' | 'before-due' | 'on-due' | 'after-due';

export interface NoticeReason {
  rule: ReasonRule;
  /** Business days from `base`: negative before it, positive after it, 0 on it. */
  offset: number;
  /** The date the plan states: the period's start for a kickoff, its due date otherwise. */
  anchor: string;
  /** Why `anchor` is not a business day, or null when it is one. */
  anchorOff: NonWorkingReason | null;
  /** Where the count starts: `anchor`, or the business day it moves to (start: later; due: earlier). */
  base: string;
  /** The notice's own date. */
  date: string;
  /**
   * Weekday holidays and entity days the notice passed over: strictly between `base` and `date`
   * when it counts business days from the due date, between `anchor` and `date` when it moved.
   */
  skipped: SkippedDay[];
  /** A kickoff held back to the due notice's date, which it may never follow. */
  capped: boolean;
}

/** Holidays and entity days on weekdays strictly between two dates, in date order. */
export function skippedBetween(calendar: BusinessCalendar, a: string, b: string): SkippedDay[] {
  const [from, to] = a <= b ? [a, b] : [b, a];
  const days: SkippedDay[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const day of calendar.nonWorkingDays(year)) {
      if (day.date <= from || day.date >= to || weekdayOf(day.date) >= 6) continue;
      days.push({ date: day.date, kind: day.kind, name: day.name });
    }
  }
  return days;
}

const WEEKDAYS: Record<Locale, readonly string[]> = {
  es: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};
const MONTHS: Record<Locale, readonly string[]> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** ISO weekday, 1 = Monday ... 7 = Sunday (Sakamoto's method: no Date, no time zone). */
export function weekdayOf(date: string): number {
  const [y0, m, d] = parts(date);
  const y = m < 3 ? y0 - 1 : y0;
  const t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4][m - 1] ?? 0;
  const sunday0 = (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + t + d) % 7;
  return sunday0 === 0 ? 7 : sunday0;
}

export type DateStyle = 'full' | 'no-year' | 'day';

/** 'viernes 28 de julio de 2023' / 'Friday 28 July 2023', or shorter without year or month. */
export function formatDate(date: string, locale: Locale, style: DateStyle = 'full'): string {
  const [y, m, d] = parts(date);
  const weekday = WEEKDAYS[locale][weekdayOf(date) - 1];
  const month = MONTHS[locale][m - 1];
  if (style === 'day') return `${weekday} ${d}`;
  if (locale === 'es') return style === 'full' ? `${weekday} ${d} de ${month} de ${y}` : `${weekday} ${d} de ${month}`;
  return style === 'full' ? `${weekday} ${d} ${month} ${y}` : `${weekday} ${d} ${month}`;
}

/** 'Enero de 2023' / 'January 2023'. */
export function formatMonth(date: string, locale: Locale): string {
  const [y, m] = parts(date);
  const month = MONTHS[locale][m - 1] ?? '';
  return locale === 'es' ? `${month.charAt(0).toUpperCase()}${month.slice(1)} de ${y}` : `${month} ${y}`;
}

/** A date named as briefly as the reader can follow next to `ref`: 'viernes 28' in the same month. */
function near(date: string, ref: string, locale: Locale): string {
  if (date.slice(0, 7) === ref.slice(0, 7)) return formatDate(date, locale, 'day');
  return formatDate(date, locale, date.slice(0, 4) === ref.slice(0, 4) ? 'no-year' : 'full');
}

function businessDays(n: number, locale: Locale): string {
  if (locale === 'es') return n === 1 ? '1 día hábil' : `${n} días hábiles`;
  return n === 1 ? '1 business day' : `${n} business days`;
}

function offName(off: NonWorkingReason | null, locale: Locale): string {
  return off && off.kind !== 'weekend' ? ` (${off.name[locale]})` : '';
}

function joinList(items: string[], locale: Locale): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${locale === 'es' ? 'y' : 'and'} ${items[items.length - 1]}`;
}

function skippedText(r: NoticeReason, locale: Locale): string {
  if (r.skipped.length === 0) return '';
  // One style for the whole list: "el viernes 25 de diciembre de 2026 (Navidad), el viernes 1 de enero
  // (Año Nuevo)" reads as if the second were in another year.
  const year = r.date.slice(0, 4);
  const style: DateStyle = r.skipped.every((s) => s.date.slice(0, 4) === year) ? 'no-year' : 'full';
  const names = r.skipped.map((s) => `${locale === 'es' ? 'el ' : ''}${formatDate(s.date, locale, style)} (${s.name[locale]})`);
  if (locale === 'en') return `; skipped ${joinList(names, locale)}`;
  return `; ${r.skipped.length === 1 ? 'se saltó' : 'se saltaron'} ${joinList(names, locale)}`;
}

function startText(r: NoticeReason, locale: Locale): string {
  const es = locale === 'es';
  if (!r.anchorOff) return es ? `inicio del periodo (${formatDate(r.anchor, locale)})` : `start of the period (${formatDate(r.anchor, locale)})`;
  const anchor = `${formatDate(r.anchor, locale)}${offName(r.anchorOff, locale)}`;
  const to = near(r.date, r.anchor, locale);
  if (r.capped) {
    return es
      ? `el inicio, ${anchor}, no es día hábil y el siguiente es posterior al vencimiento: se envía el ${to}`
      : `the start, ${anchor}, is not a business day and the next one is after the due date: sent on ${to}`;
  }
  return es ? `el inicio, ${anchor}, no es día hábil: se pasa al ${to}` : `the start, ${anchor}, is not a business day: moved to ${to}`;
}

function dueText(r: NoticeReason, locale: Locale): string {
  const es = locale === 'es';
  if (!r.anchorOff) return es ? `día del vencimiento (${formatDate(r.base, locale)})` : `due date (${formatDate(r.base, locale)})`;
  const anchor = `${formatDate(r.anchor, locale)}${offName(r.anchorOff, locale)}`;
  const to = near(r.base, r.anchor, locale);
  return es ? `el vencimiento, ${anchor}, no es día hábil: se adelanta al ${to}` : `the due date, ${anchor}, is not a business day: brought forward to ${to}`;
}

function countedText(r: NoticeReason, locale: Locale): string {
  const es = locale === 'es';
  const where = r.rule === 'before-due' ? (es ? 'antes del' : 'before the') : es ? 'después del' : 'after the';
  const moved = r.anchorOff ? `${es ? ', adelantado desde el' : ', brought forward from'} ${near(r.anchor, r.base, locale)}` : '';
  const due = es ? 'vencimiento' : 'due date';
  return `${businessDays(Math.abs(r.offset), locale)} ${where} ${due} (${formatDate(r.base, locale)}${moved})`;
}

export function describeReason(reason: NoticeReason, locale: Locale): string {
  const main = reason.rule === 'period-start' ? startText(reason, locale) : reason.rule === 'on-due' ? dueText(reason, locale) : countedText(reason, locale);
  return main + skippedText(reason, locale);
}

/**
 * The reason a notice carries when it is sent on `sentOn`: `describeReason` when it goes out on its
 * own date (even after its hour, as when a plan is started that morning). When it goes out on a
 * later day (a plan started after the notice had passed), the rule that placed it would only
 * confuse the reader: it says the day the notice was for and the day follow-up began instead.
 * Sent before its date (a kickoff sent at once by `plazos plan start`), it says so.
 * A clause like describeReason's; the e-mail puts it after "Por qué recibe este aviso hoy:".
 */
export function describeReasonSent(reason: NoticeReason, locale: Locale, sentOn: string = reason.date): string {
  if (sentOn === reason.date) return describeReason(reason, locale);
  const planned = formatDate(reason.date, locale);
  if (sentOn < reason.date) {
    // `plazos plan start` on a Saturday sends the kickoff planned for Monday at once.
    return locale === 'es'
      ? `el seguimiento de esta actividad empieza hoy; el aviso estaba previsto para el ${planned}`
      : `follow-up of this activity begins today; the notice was planned for ${planned}`;
  }
  const began = formatDate(sentOn, locale);
  return locale === 'es'
    ? `estaba previsto para el ${planned}, pero el seguimiento de esta actividad empezó después, el ${began}`
    : `it was planned for ${planned}, but follow-up of this activity began later, on ${began}`;
}

/** A notice a calendar change moved: where it was, where it is now, and the days that moved it. */
export interface MovedNotice {
  key: string;
  kind: string;
  from: string;
  to: string;
  /** The days the change added or took away that the notice's old date or count touched. */
  causes: { date: string; change: 'added' | 'removed'; kind: 'holiday' | 'entity'; name: { es: string; en: string }; law?: string }[];
}

function causeText(c: MovedNotice['causes'][number], locale: Locale): string {
  const es = locale === 'es';
  const day = `${es ? 'el ' : ''}${formatDate(c.date, locale, 'no-year')}`;
  const name = c.name[locale];
  if (c.change === 'removed') return es ? `${day} ya no es día no laborable (${name})` : `${day} is no longer a day off (${name})`;
  // "por la Ley 2578 de 2026" reads right for a law; a decree or resolution goes beside the name.
  if (c.kind === 'holiday' && c.law?.startsWith('Ley '))
    return es ? `${day} es festivo por la ${c.law} (${name})` : `${day} is a public holiday under ${c.law} (${name})`;
  const named = c.law ? `${name}, ${c.law}` : name;
  if (c.kind === 'holiday') return es ? `${day} es festivo (${named})` : `${day} is a public holiday (${named})`;
  return es ? `${day} es día no laborable de la entidad (${named})` : `${day} is an entity day off (${named})`;
}

/** 'se movió al viernes 10 de julio: el lunes 13 de julio es festivo por la Ley 2578 de 2026 (…)'. */
export function describeMove(moved: MovedNotice, locale: Locale): string {
  const to = formatDate(moved.to.slice(0, 10), locale, 'no-year');
  const causes = joinList(
    moved.causes.map((c) => causeText(c, locale)),
    locale,
  );
  const head = locale === 'es' ? `se movió al ${to}` : `moved to ${to}`;
  return causes ? `${head}: ${causes}` : head;
}
