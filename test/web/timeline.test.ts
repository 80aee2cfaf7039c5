/** The plan page's timeline spans the rows' own dates, ticks months sparingly, and marks today only inside the span. */
import { timelineChart } from '../../web/charts';
import { rowOf, type ActivityRow } from '../../web/plan-view';
import type { ListedWorkflow } from '../../domain/listed-workflow';

function row(activity: number, start: string, due: string, today: string): ActivityRow {
  const listed: ListedWorkflow = {
    workflowId: `plan-a/${activity}`,
    planId: 'plan-a',
    activity,
    period: null,
    title: `Actividad ${activity}`,
    areas: ['ARCOM'],
    start,
    due,
    status: 'active',
    evidence: 0,
    lastNotice: null,
    nextNotice: null,
    running: true,
    progress: null,
    followUp: null,
    closeTime: null,
  };
  return rowOf(listed, today);
}

/** The demo's shape: June 2025 to April 2027, today in December 2026. */
const TODAY = '2026-12-07';
const demo = [
  row(1, '2025-06-02', '2025-07-31', TODAY),
  row(2, '2025-11-04', '2026-02-27', TODAY),
  row(3, '2026-06-01', '2026-08-31', TODAY),
  row(4, '2026-11-03', '2027-01-29', TODAY),
  row(5, '2027-02-01', '2027-04-30', TODAY),
];

describe('the timeline', () => {
  it('spans from the earliest start to the latest due, so bars of 2026 and 2027 spread over the chart', () => {
    const chart = timelineChart(demo, TODAY);
    const xs = chart.bars.map((b) => b.x);
    // Strictly increasing: no bar is squeezed onto another at an edge.
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(xs.length);
    const left = chart.bars[0]!.x;
    const right = chart.bars[4]!.x + chart.bars[4]!.w;
    // The first bar starts at the left of the span (2 June), the last one ends at its right (April 2027 is the span's last month).
    expect(left).toBeLessThan(95);
    expect(right).toBeGreaterThan(chart.width - 40);
    // The bars of 2026 and 2027 take more than half of the width, in proportion to their months (14 of 23).
    expect(right - chart.bars[2]!.x).toBeGreaterThan((right - left) * 0.4);
    expect(chart.bars[4]!.w).toBeGreaterThan(60);
  });

  it('ticks every other month from January on a 23-month span, with the year on the first tick and on each January', () => {
    const chart = timelineChart(demo, TODAY);
    // June, the span's first month, is a month from July: too close for both labels, July stays.
    expect(chart.months.map((m) => m.label)).toEqual(['jul 2025', 'sep', 'nov', 'ene 2026', 'mar', 'may', 'jul', 'sep', 'nov', 'ene 2027', 'mar']);
    const gaps = chart.months.slice(1).map((m, i) => m.x - chart.months[i]!.x);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
  });

  it('thins to every third, sixth or twelfth month on longer spans', () => {
    const long = (months: number) => {
      const due = new Date(Date.UTC(2024, months - 1, 28)).toISOString().slice(0, 10);
      return timelineChart([row(1, '2024-01-02', due, TODAY)], TODAY).months.map((m) => m.label);
    };
    expect(long(36)).toEqual(['ene 2024', 'abr', 'jul', 'oct', 'ene 2025', 'abr', 'jul', 'oct', 'ene 2026', 'abr', 'jul', 'oct']);
    expect(long(60)).toHaveLength(10);
    expect(long(120)).toHaveLength(10);
  });

  it('ticks each month, the year only on the first, when the span stays inside one year', () => {
    const chart = timelineChart([row(1, '2026-02-02', '2026-05-29', TODAY), row(2, '2026-03-02', '2026-09-30', TODAY)], TODAY);
    expect(chart.months.map((m) => m.label)).toEqual(['feb 2026', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep']);
    // Today (December) is past the span: no line, and the description does not promise one.
    expect(chart.today).toBeNull();
    expect(chart.description).toBe('Actividades de esta página de feb 2026 a sep 2026.');
  });

  it('draws today inside the span where it falls, between the bars that end before and those that start after', () => {
    const chart = timelineChart(demo, TODAY);
    expect(chart.today).not.toBeNull();
    const x = chart.today!.x;
    expect(chart.today!.label).toBe('hoy, 7 dic 2026');
    expect(chart.description).toBe('Actividades de esta página de jun 2025 a abr 2027; la línea vertical marca hoy, 7 dic 2026.');
    // Activity 4 (November 2026 to January 2027) holds today; 3 ended before it, 5 starts after.
    const [, , third, fourth, fifth] = chart.bars;
    expect(third!.x + third!.w).toBeLessThan(x);
    expect(fourth!.x).toBeLessThan(x);
    expect(fourth!.x + fourth!.w).toBeGreaterThan(x);
    expect(fifth!.x).toBeGreaterThan(x);
    // December 7 is 18 months and 6 days into the span's 23 months (jun 2025 to apr 2027: 699 days).
    const days = (Date.UTC(2026, 11, 7) - Date.UTC(2025, 5, 1)) / 86_400_000;
    expect(x).toBe(90 + Math.round((days / 699) * 640));
  });

  it('keeps the line off when today is before the span', () => {
    const chart = timelineChart(demo, '2025-03-10');
    expect(chart.today).toBeNull();
    expect(chart.description).not.toContain('hoy');
  });

  it('a 2023 plan with activities begun in 2022 (as the seed plan has) starts in 2022 instead of clamping them to January', () => {
    const today = '2023-06-15';
    const rows = [row(1, '2022-11-15', '2023-02-28', today), row(2, '2023-01-16', '2023-12-15', today), row(3, '2022-12-01', '2023-03-31', today)];
    const chart = timelineChart(rows, today);
    expect(chart.months[0]!.label).toBe('nov 2022');
    expect(chart.months.some((m) => m.label === 'ene 2023')).toBe(true);
    const [nov, jan] = chart.bars.map((b) => b.x);
    expect(nov).toBeLessThan(120);
    // Two months of a 14-month span apart, as on a calendar (the old chart drew both at its left edge).
    expect(jan! - nov!).toBeGreaterThan(80);
    expect(chart.today?.label).toBe('hoy, 15 jun 2023');
  });

  it('keeps the label of a line near the right edge inside the chart', () => {
    const chart = timelineChart([row(1, '2026-01-05', '2026-12-31', '2026-12-28')], '2026-12-28');
    expect(chart.today!.anchor).toBe('end');
    expect(timelineChart([row(1, '2026-01-05', '2026-12-31', '2026-02-02')], '2026-02-02').today!.anchor).toBe('start');
  });

  it("with no dated rows, spans today's year", () => {
    const chart = timelineChart([], TODAY);
    expect(chart.bars).toEqual([]);
    expect(chart.months).toHaveLength(12);
    expect(chart.today).not.toBeNull();
  });
});
