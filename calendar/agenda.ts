/**
 * The preview of a plan's notices, as the CLI prints it: a readable agenda grouped by month, or
 * JSON. Pure string and data builders; the CLI does the printing.
 */
import type { ScheduledActivity } from './policy';
import type { Locale } from './business-calendar';
import { describeReason, formatMonth } from './reason';
import { sortNotices, type NoticeKind, type ScheduledNotice } from './schedule';

const KINDS: Record<Locale, Record<NoticeKind, string>> = {
  es: { kickoff: 'inicio', reminder: 'recordatorio', due: 'vencimiento', escalation: 'escalamiento', missed: 'incumplido' },
  en: { kickoff: 'kickoff', reminder: 'reminder', due: 'due', escalation: 'escalation', missed: 'missed' },
};

const WORDS = {
  es: { notices: (n: number) => `${n} ${n === 1 ? 'aviso' : 'avisos'}`, to: 'para', period: 'periodo' },
  en: { notices: (n: number) => `${n} ${n === 1 ? 'notice' : 'notices'}`, to: 'to', period: 'period' },
} satisfies Record<Locale, unknown>;

const TITLE_MAX = 48;

/** The title without the numbering some plans write into it, cut at a word so a line stays short. */
export function shortTitle(title: string, max = TITLE_MAX): string {
  const plain = title.replace(/^\s*\d+[.)]\s*/, '').trim();
  if (plain.length <= max) return plain;
  const head = plain.slice(0, max);
  const space = head.lastIndexOf(' ');
  // Keep a word that ends exactly at the limit; cut mid-word only when the first words are long.
  const cut = plain[max] === ' ' || space < max / 2 ? head : head.slice(0, space);
  return `${cut.replace(/[\s,.;:]+$/, '')}…`;
}

/** One notice of the agenda, as a line; `titles` is `agendaTitles(plan)`. */
export function agendaLine(n: ScheduledNotice, titles: ReadonlyMap<number, string>, locale: Locale): string {
  const w = WORDS[locale];
  const kindWidth = Math.max(...Object.values(KINDS[locale]).map((k) => k.length));
  const period = n.period ? ` (${w.period} ${n.period})` : '';
  const cc = n.cc.length ? ` cc: ${n.cc.join(', ')}` : '';
  const time = n.at.slice(11, 16);
  const what = `${n.activity}. ${titles.get(n.activity) ?? ''}${period}`;
  return `  ${n.date} ${time}  ${KINDS[locale][n.kind].padEnd(kindWidth)}  ${what}  ${w.to}: ${n.to.join(', ')}${cc}  · ${describeReason(n.reason, locale)}`;
}

type AgendaPlan = { title: string; activities: readonly Pick<ScheduledActivity, 'number' | 'title'>[] };

/** Each activity's title as the agenda shows it, by activity number. */
export function agendaTitles(plan: AgendaPlan): Map<number, string> {
  return new Map(plan.activities.map((a) => [a.number, shortTitle(a.title)]));
}

/**
 * The agenda line by line: its heading, then the notices' lines (already in sending order, with
 * the date each was sent on, `YYYY-MM` at least), each month's heading before its first notice.
 * The lines can come as a stream: the heading's count is given, not counted.
 */
export function* agendaLines(plan: AgendaPlan, count: number, sorted: Iterable<{ date: string; line: string }>, locale: Locale): Generator<string> {
  yield `${plan.title}: ${WORDS[locale].notices(count)}`;
  let month = '';
  for (const { date, line } of sorted) {
    if (date.slice(0, 7) !== month) {
      month = date.slice(0, 7);
      yield '';
      yield formatMonth(date, locale);
    }
    yield line;
  }
}

export function formatAgenda(notices: readonly ScheduledNotice[], plan: AgendaPlan, locale: Locale): string {
  const titles = agendaTitles(plan);
  const lines = sortNotices(notices).map((n) => ({ date: n.date, line: agendaLine(n, titles, locale) }));
  return `${[...agendaLines(plan, notices.length, lines, locale)].join('\n')}\n`;
}

export interface PreviewNotification {
  activity: number;
  period: string | null;
  kind: NoticeKind;
  at: string;
  to: string[];
  cc: string[];
}

/** What the JSON preview lists of a notice. */
export function previewNotification({ activity, period, kind, at, to, cc }: ScheduledNotice): PreviewNotification {
  return { activity, period, kind, at, to, cc };
}

export function previewJson(notices: readonly ScheduledNotice[]): { notifications: PreviewNotification[] } {
  return { notifications: sortNotices(notices).map(previewNotification) };
}
