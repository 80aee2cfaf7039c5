/** The plan page's filters, sorts, pages and the portfolio's summaries: pure functions over rows. */
import { applyFilter, filterOf, pageOf, queryOf, sortRows } from '../../web/plan-filter';
import { isOverdue, rowOf, type ActivityRow } from '../../web/plan-view';
import { owedThisMonth, planSummaries } from '../../web/portfolio';
import type { ListedWorkflow } from '../../domain/listed-workflow';

const TODAY = '2023-06-15';

function listed(activity: number, over: Partial<ListedWorkflow> = {}): ListedWorkflow {
  return {
    workflowId: `plan-a/${activity}`,
    planId: 'plan-a',
    activity,
    period: null,
    title: `Actividad ${activity}`,
    areas: ['ARCOM'],
    start: '2023-01-10',
    due: '2023-06-30',
    status: 'active',
    evidence: 0,
    lastNotice: null,
    nextNotice: null,
    running: true,
    progress: null,
    followUp: null,
    closeTime: null,
    ...over,
  };
}

const rows: ActivityRow[] = [
  rowOf(listed(1, { due: '2023-06-01', status: 'escalated' }), TODAY),
  rowOf(listed(2, { due: '2023-06-20', areas: ['ASERA', 'ARCOM'] }), TODAY),
  rowOf(listed(3, { due: '2023-05-31', status: 'in-review' }), TODAY),
  rowOf(listed(4, { due: '2023-07-15', areas: ['ASERA'], status: 'scheduled' }), TODAY),
  rowOf(listed(5, { due: '2023-05-02', status: 'on-time', planId: 'plan-b', workflowId: 'plan-b/5' }), TODAY),
];

describe('overdue', () => {
  it('is past its due date and neither closed nor with evidence being checked or reviewed', () => {
    expect(rows.filter((r) => r.overdue).map((r) => r.number)).toEqual([1]);
    expect(isOverdue('active', TODAY, TODAY)).toBe(false);
    expect(isOverdue('reminded', '2023-06-14', TODAY)).toBe(true);
    expect(isOverdue('missed', '2023-06-14', TODAY)).toBe(false);
  });
});

describe('filters', () => {
  it('an area keeps the rows it shares with others', () => {
    expect(applyFilter(rows, filterOf({ area: 'ASERA' })).map((r) => r.number)).toEqual([2, 4]);
  });

  it('a state, a due window and "overdue only" narrow together', () => {
    expect(applyFilter(rows, filterOf({ estado: 'active' })).map((r) => r.number)).toEqual([2]);
    expect(applyFilter(rows, filterOf({ desde: '2023-06-01', hasta: '2023-06-30' })).map((r) => r.number)).toEqual([1, 2]);
    expect(applyFilter(rows, filterOf({ vencidas: '1', area: 'ARCOM' })).map((r) => r.number)).toEqual([1]);
  });

  it('reads the due window as people in Colombia type it (dd/mm/aaaa) and as links carry it (ISO), and links keep ISO', () => {
    const typed = filterOf({ desde: '01/06/2023', hasta: ' 30/6/2023 ' });
    expect(typed).toMatchObject({ desde: '2023-06-01', hasta: '2023-06-30', desdeTexto: '01/06/2023', hastaTexto: '30/06/2023', errores: {} });
    expect(applyFilter(rows, typed).map((r) => r.number)).toEqual([1, 2]);
    expect(queryOf(typed)).toBe('desde=2023-06-01&hasta=2023-06-30');
    expect(filterOf({ desde: '2023-06-01' })).toMatchObject({ desde: '2023-06-01', desdeTexto: '01/06/2023' });
  });

  it('a date box that holds no date keeps what was typed, says why in Spanish, and leaves that bound out', () => {
    const f = filterOf({ desde: '31/02/2023', hasta: '06/30/2023' });
    expect(f).toMatchObject({ desde: '', hasta: '', desdeTexto: '31/02/2023', hastaTexto: '06/30/2023' });
    expect(f.errores).toEqual({
      desde: '«31/02/2023» no es una fecha válida en «Vence desde»: escríbala como dd/mm/aaaa, por ejemplo 30/11/2026.',
      hasta: '«06/30/2023» no es una fecha válida en «hasta»: escríbala como dd/mm/aaaa, por ejemplo 30/11/2026.',
    });
    expect(applyFilter(rows, f)).toHaveLength(rows.length);
  });

  it('sorts by urgency (escalated first), by due date, or by plan and number', () => {
    expect(sortRows(rows, 'urgencia').map((r) => r.number)[0]).toBe(1);
    expect(sortRows(rows, 'vence').map((r) => r.number)).toEqual([5, 3, 1, 2, 4]);
    expect(sortRows(rows, 'numero').map((r) => r.number)).toEqual([1, 2, 3, 4, 5]);
  });

  it('pages 50 rows at a time and keeps the filter in the links', () => {
    const many = Array.from({ length: 120 }, (_, i) => i + 1);
    expect(pageOf(many, 3)).toMatchObject({ rows: many.slice(100), page: 3, pages: 3, total: 120, first: 101, last: 120 });
    expect(pageOf(many, 9).page).toBe(3);
    expect(pageOf([], 1)).toMatchObject({ rows: [], pages: 1, first: 0, last: 0 });
    expect(queryOf(filterOf({ area: 'ARCOM', vencidas: '1' }), { pagina: 2 })).toBe('area=ARCOM&vencidas=1&pagina=2');
    // A chosen order travels (to the CSV too); the page's default does not, so the report keeps its own.
    expect(queryOf(filterOf({ orden: 'vence' }), { pagina: 1 })).toBe('orden=vence');
  });
});

describe('portfolio', () => {
  it('gives each plan the light of its worst deliverable, and counts overdue and waiting for review', () => {
    expect(planSummaries(rows)).toEqual([
      expect.objectContaining({ planId: 'plan-a', total: 4, overdue: 1, inReview: 1, light: 'rojo', lightLabel: 'requiere acción' }),
      expect.objectContaining({ planId: 'plan-b', total: 1, overdue: 0, inReview: 0, light: 'verde', lightLabel: 'al día' }),
    ]);
  });

  it('an area owes what falls due this month and is still open, and what is overdue from before', () => {
    expect(owedThisMonth(rows, TODAY).map((r) => r.number)).toEqual([1, 2]);
  });
});
