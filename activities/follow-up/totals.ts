/** Totals of a cut per area and for the plan. Pure. */
import type { CutRow, CutTotals } from './types';

function delivered(row: CutRow): boolean {
  return row.status === 'on-time' || row.status === 'late';
}

/** What an activity adds to the mean: delivered and approved counts whole, no report counts nothing. */
function effectiveProgress(row: CutRow): number {
  return delivered(row) ? 100 : (row.progress ?? 0);
}

function totalsOf(key: string, rows: CutRow[]): CutTotals {
  const counted = rows.filter((r) => r.status !== 'cancelled');
  const sum = counted.reduce((s, r) => s + effectiveProgress(r), 0);
  return {
    key,
    activities: counted.length,
    delivered: counted.filter(delivered).length,
    late: counted.filter((r) => r.late).length,
    withProgress: counted.filter((r) => r.progress !== null).length,
    progress: counted.length === 0 ? 0 : Math.round((sum / counted.length) * 10) / 10,
  };
}

/** One line per area (a row with two areas counts for both), then `PLAN` with each activity once. Cancelled activities are left out. */
export function cutTotals(rows: CutRow[]): CutTotals[] {
  const byArea = new Map<string, CutRow[]>();
  for (const row of rows) for (const area of row.areas) byArea.set(area, [...(byArea.get(area) ?? []), row]);
  const areas = [...byArea.keys()].sort().map((a) => totalsOf(a, byArea.get(a) ?? []));
  return [...areas, totalsOf('PLAN', rows)];
}
