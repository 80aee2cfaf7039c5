/**
 * A year's non-working days for `plazos calendar holidays`: JSON, or a readable list. Besides the
 * Colombian public holidays it lists the entity's own days off, which count the same for deadlines.
 */
import type { BusinessCalendar, Locale } from './business-calendar';
import { formatDate } from './reason';

export interface HolidayEntry {
  date: string;
  /** In Spanish, as the plan's people call it. */
  name: string;
  /** The law that makes it a holiday; for an entity's day off, the act that declared it, or null. */
  law: string | null;
  kind: 'holiday' | 'entity';
}

export function holidaysJson(year: number, calendar: BusinessCalendar): HolidayEntry[] {
  return calendar.nonWorkingDays(year).map((day) => ({ date: day.date, name: day.name.es, law: day.law ?? null, kind: day.kind }));
}

const WORDS = {
  es: { title: (y: number, n: number) => `Festivos y días no laborables de ${y}: ${n} días`, entity: 'día de la entidad' },
  en: { title: (y: number, n: number) => `Public holidays and entity days off in ${y}: ${n} days`, entity: 'entity day off' },
} satisfies Record<Locale, unknown>;

export function formatHolidays(year: number, calendar: BusinessCalendar, locale: Locale): string {
  const days = calendar.nonWorkingDays(year);
  const dates = days.map((day) => formatDate(day.date, locale, 'no-year'));
  const names = days.map((day) => `${day.name[locale]}${day.kind === 'entity' ? ` (${WORDS[locale].entity})` : ''}`);
  const dateWidth = Math.max(0, ...dates.map((d) => d.length));
  const nameWidth = Math.max(0, ...names.map((n) => n.length));
  // The law goes in a column of its own, so a reader sees at a glance which days a new law added.
  const lines = days.map((day, i) => {
    const line = `  ${(dates[i] ?? '').padEnd(dateWidth)}  ${day.law ? (names[i] ?? '').padEnd(nameWidth) : (names[i] ?? '')}`;
    return day.law ? `${line}  ${day.law}` : line;
  });
  return `${[WORDS[locale].title(year, days.length), ...lines].join('\n')}\n`;
}
