/**
 * Numbers for the SVG charts the templates draw (no JavaScript on the pages): the year timeline
 * of a plan's activities with today marked, and the on-time / late / missed bars per area. Pure.
 */
import type { ActivityRow, AreaCounts } from './plan-view';

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;

export interface YearChart {
  width: number;
  height: number;
  bars: { x: number; y: number; w: number; label: string; light: string }[];
  months: { x: number; label: string }[];
  today: { x: number; label: string } | null;
}

const MONTHS = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];

export function yearChart(rows: ActivityRow[], year: number, today: string): YearChart {
  // Room for the longest label, a period's ("11 (2023-03)", ~60 units at 9 px): labels never run under a bar.
  const left = 90;
  const width = 760;
  const span = width - left - 10;
  const first = dayOf(`${year}-01-01`);
  const days = dayOf(`${year + 1}-01-01`) - first;
  const x = (iso: string) => left + Math.round((Math.min(Math.max(dayOf(iso) - first, 0), days) / days) * span);
  const bars = rows.map((r, i) => ({
    x: x(r.start),
    y: 24 + i * 14,
    w: Math.max(3, x(r.due) - x(r.start)),
    label: r.period ? `${r.number} (${r.period})` : String(r.number),
    light: r.light,
  }));
  const months = MONTHS.map((label, m) => ({ x: x(`${year}-${String(m + 1).padStart(2, '0')}-01`), label }));
  const inYear = today.startsWith(String(year));
  return { width, height: 34 + rows.length * 14, bars, months, today: inYear ? { x: x(today), label: `hoy ${today}` } : null };
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
