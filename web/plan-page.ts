/**
 * The plan page's view model: counts per state and per area over the whole plan, the filtered,
 * sorted page of rows, the links that keep the filter, and the timeline of the rows shown.
 */
import { timelineChart } from './charts';
import { PERIOD_STATUSES } from '../workflows/shared';
import { statusLabel } from './labels';
import { applyFilter, isFiltered, pageOf, queryOf, sortRows, SORTS, type PlanFilter } from './plan-filter';
import { countsByArea, countsByState, type ActivityRow } from './plan-view';

const SORT_LABELS: Record<(typeof SORTS)[number], string> = { urgencia: 'urgencia', vence: 'fecha de vencimiento', numero: 'número' };

export function planPageView(planId: string, all: ActivityRow[], filter: PlanFilter, today: string) {
  const matching = sortRows(applyFilter(all, filter), filter.orden);
  const paged = pageOf(matching, filter.pagina);
  const shown = paged.rows.filter((r) => r.start && r.due);
  const link = (change: Partial<PlanFilter>) => `/planes/${planId}?${queryOf(filter, change)}`;
  const areaList = [...new Set(all.flatMap((r) => r.responsible))].sort();
  return {
    planId,
    today,
    filter,
    filtered: isFiltered(filter),
    total: all.length,
    overdue: all.filter((r) => r.overdue).length,
    inReview: all.filter((r) => r.status === 'in-review' || r.status === 'checking').length,
    // From the List the page reads anyway: SQL visibility (dev server, PostgreSQL) refuses
    // "GROUP BY PlazosStatus" ("'GROUP BY' clause is not supported for search attribute"), and
    // grouping by ExecutionStatus would not tell overdue from in review.
    states: countsByState(all),
    areas: countsByArea(all).map((c) => ({ ...c, statuses: Object.entries(c.byStatus).map(([label, n]) => ({ label, n })) })),
    areaOptions: areaList.map((a) => ({ value: a, selected: a === filter.area })),
    statusOptions: [...PERIOD_STATUSES].map((s) => ({ value: s, label: statusLabel(s), selected: s === filter.estado })),
    sortOptions: SORTS.map((s) => ({ value: s, label: SORT_LABELS[s], selected: s === filter.orden })),
    rows: paged.rows,
    paged,
    prev: paged.page > 1 ? link({ pagina: paged.page - 1 }) : null,
    next: paged.page < paged.pages ? link({ pagina: paged.page + 1 }) : null,
    csv: `/planes/${planId}/informe.csv?${queryOf(filter, { pagina: 1 })}`,
    report: `/planes/${planId}/informe?${queryOf(filter, { pagina: 1 })}`,
    chart: timelineChart(
      shown.sort((a, b) => a.start.localeCompare(b.start) || a.number - b.number),
      today,
    ),
  };
}
