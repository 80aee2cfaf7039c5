/**
 * Numbers for the SVG charts the templates draw (no JavaScript on the pages): the timeline of a
 * plan's activities over the span of their dates with today marked, and the on-time / late / missed bars per area. Pure.
 */
import { dateLabel, monthShort } from './labels';
import type { ActivityRow, AreaCounts } from './plan-view';

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;

export interface Timeline {
  width: number;
  height: number;
  bars: { x: number; y: number; w: number; label: string; light: string }[];
  /** Month ticks, thinned on long spans; `grid` draws its line, `label` may be empty. */
  months: { x: number; label: string }[];
  /** The line at today, only when today falls inside the span. */
  today: { x: number; label: string; anchor: 'start' | 'end' } | null;
  /** What a screen reader hears: the span, and the line at today only when there is one. */
  description: string;
}

/** `2026-11` + n months, as the first day of that month. */
function monthStart(year: number, month0: number): string {
  const y = year + Math.floor(month0 / 12);
  const m = ((month0 % 12) + 12) % 12;
  return `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Every month tick up to a year; past that every 2, 3, 6 or 12 months, so labels (~40 units at 9 px) never touch. */
function tickStep(months: number): number {
  return [1, 2, 3, 6, 12].find((step) => months / step <= 12) ?? 12;
}

/**
 * The timeline of the rows shown: from the first of the month of the earliest start to the end of
 * the month of the latest due, so a plan that runs from June 2025 to April 2027 (or a 2023 plan with
 * activities begun in 2022) draws every bar where it falls instead of squeezing it at an edge.
 * Months are ticked from January (ene, abr, jul, oct on a long span); the first tick and each
 * January carry the year ("ene 2026"): the span is no longer one known year. Without rows: today's year.
 */
export function timelineChart(rows: ActivityRow[], today: string): Timeline {
  // Room for the longest label, a period's ("11 (2023-03)", ~60 units at 9 px): labels never run under a bar.
  const left = 90;
  const width = 760;
  // Room on the right for a last tick's label ("oct 2026" starts at its tick).
  const span = width - left - 30;
  const dated = rows.filter((r) => r.start && r.due);
  const earliest = dated.reduce((min, r) => (r.start < min ? r.start : min), dated[0]?.start ?? `${today.slice(0, 4)}-01-01`);
  const latest = dated.reduce((max, r) => (r.due > max ? r.due : max), dated[0]?.due ?? `${today.slice(0, 4)}-12-31`);
  const firstYear = Number(earliest.slice(0, 4));
  const firstMonth0 = Number(earliest.slice(5, 7)) - 1;
  const count = (Number(latest.slice(0, 4)) - firstYear) * 12 + Number(latest.slice(5, 7)) - firstMonth0;
  const first = dayOf(monthStart(firstYear, firstMonth0));
  const days = dayOf(monthStart(firstYear, firstMonth0 + count)) - first;
  const x = (iso: string) => left + Math.round((Math.min(Math.max(dayOf(iso) - first, 0), days) / days) * span);
  const bars = dated.map((r, i) => ({
    x: x(r.start),
    y: 24 + i * 14,
    w: Math.max(3, x(r.due) - x(r.start)),
    label: r.period ? `${r.number} (${r.period})` : String(r.number),
    light: r.light,
  }));
  const step = tickStep(count);
  const ticks: { iso: string; month: number }[] = [];
  for (let i = 0; i < count; i++) {
    const iso = monthStart(firstYear, firstMonth0 + i);
    const month = Number(iso.slice(5, 7));
    if (i === 0 || (month - 1) % step === 0) ticks.push({ iso, month });
  }
  // The span's own first month sits off the thinned ticks; when it is too close to the next one for
  // both labels, the aligned tick stays (the year then goes on it).
  if (ticks.length > 1 && x(ticks[1]!.iso) - x(ticks[0]!.iso) < 44) ticks.shift();
  const months = ticks.map((t, i) => ({
    x: x(t.iso),
    label: `${monthShort(t.month)}${i === 0 || t.month === 1 ? ` ${t.iso.slice(0, 4)}` : ''}`,
  }));
  const end = monthStart(firstYear, firstMonth0 + count);
  const inside = today >= monthStart(firstYear, firstMonth0) && today < end;
  const todayX = x(today);
  // Below the last bar, a line for today's label.
  const height = 46 + dated.length * 14;
  const from = `${monthShort(firstMonth0 + 1)} ${firstYear}`;
  const lastDay = latest.slice(0, 7);
  const to = `${monthShort(Number(lastDay.slice(5, 7)))} ${lastDay.slice(0, 4)}`;
  return {
    width,
    height,
    bars,
    months,
    // Near the right edge the label runs leftwards from the line, so it stays inside the chart.
    today: inside ? { x: todayX, label: `hoy, ${dateLabel(today)}`, anchor: todayX > width - 70 ? 'end' : 'start' } : null,
    description: `Actividades de esta página de ${from} a ${to}${inside ? `; la línea vertical marca hoy, ${dateLabel(today)}` : ''}.`,
  };
}

export interface AreaBars {
  width: number;
  height: number;
  rows: { y: number; area: string; parts: { x: number; w: number; kind: 'a-tiempo' | 'tarde' | 'incumplida'; count: number }[] }[];
}

export function areaBars(counts: AreaCounts[]): AreaBars {
  const left = 70;
  const span = 400;
  const max = Math.max(1, ...counts.map((c) => c.onTime + c.late + c.missed));
  const rows = counts.map((c, i) => {
    let x = left;
    const parts = (
      [
        ['a-tiempo', c.onTime],
        ['tarde', c.late],
        ['incumplida', c.missed],
      ] as const
    )
      .filter(([, n]) => n > 0)
      .map(([kind, count]) => {
        const w = Math.round((count / max) * span);
        const part = { x, w, kind, count };
        x += w;
        return part;
      });
    return { y: 10 + i * 24, area: c.area, parts };
  });
  return { width: left + span + 20, height: 20 + counts.length * 24, rows };
}
