/** The numbers the benchmark table shows: medians, spreads, paired ratios and verdicts. */
import { parseArgs } from '../../bench/run';
import { formatTable, type Figure } from '../../bench/report';
import { median, meets, pairedRatio, summarize } from '../../bench/stats';

describe('bench summaries', () => {
  it('reports the middle run as the median, and the mean of the two middle ones for an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('reports the spread as (max − min) / median', () => {
    expect(summarize([2, 1, 4])).toEqual({ median: 2, min: 1, max: 4, spread: 1.5, runs: [2, 1, 4] });
    expect(summarize([5]).spread).toBe(0);
  });

  it('divides each run by the baseline run it was paired with, not median by median', () => {
    // Medians alone would give 4 / 4 = 1; the runs say plazos was twice and half as slow.
    const r = pairedRatio([2, 4, 8], [1, 4, 16]);
    expect(r.runs).toEqual([2, 1, 0.5]);
    expect(r.median).toBe(1);
    expect(r.min).toBe(0.5);
    expect(r.max).toBe(2);
    expect(() => pairedRatio([1, 2], [1])).toThrow('2 runs against 1 baseline runs');
  });

  it('tells whether a ratio meets an upper or a lower target', () => {
    expect(meets(1.3, { op: '<=', value: 1.3 })).toBe(true);
    expect(meets(1.31, { op: '<=', value: 1.3 })).toBe(false);
    expect(meets(0.69, { op: '>=', value: 0.7 })).toBe(false);
  });
});

describe('the bench table people read', () => {
  const figure = (ratio: number[], extra: Partial<Figure> = {}): Figure => ({
    id: 'cli/validar',
    label: 'plazos plan validate',
    unit: 's',
    measured: summarize(ratio.map((r) => r * 0.1)),
    baseline: summarize(ratio.map(() => 0.1)),
    baselineLabel: 'node -e 0',
    ratio: summarize(ratio),
    target: { op: '<=', value: 2 },
    notes: ['una nota'],
    ...extra,
  });

  it('says in Spanish when a target is missed, with the median ratio and its range', () => {
    const table = formatTable([figure([5.5, 4.1, 6.4])]);
    expect(table).toContain('5.50x');
    expect(table).toContain('4.10–6.40');
    expect(table).toContain('NO cumple <= 2x');
    expect(table).toContain('[cli/validar] una nota');
  });

  it('says when a target and an absolute limit are met', () => {
    const table = formatTable([figure([1.2], { unit: 'MB', measured: summarize([300]), limit: { op: '<=', value: 400, unit: 'MB' } })]);
    expect(table).toContain('cumple <= 2x; cumple <= 400 MB');
    expect(table).not.toContain('NO cumple');
  });
});

describe('npm run bench arguments', () => {
  it('refuses an unknown benchmark naming the ones there are', () => {
    expect(() => parseArgs(['--only', 'inicio,velocidad'])).toThrow(
      'Banco desconocido: velocidad. Opciones: inicio, abiertos, rafaga, registro, topologia, simulacion, cli, comillas, tablero, sesiones, memoria, avalancha, sin-enviar.',
    );
  });

  it('writes quick runs next to full ones without overwriting them', () => {
    expect(parseArgs(['--quick']).out).toMatch(/bench[\\/]results[\\/]\d{4}-\d{2}-\d{2}-quick\.json$/);
    expect(parseArgs([]).out).toMatch(/bench[\\/]results[\\/]\d{4}-\d{2}-\d{2}\.json$/);
    expect(parseArgs(['--runs', '2']).runs).toBe(2);
    expect(() => parseArgs(['--runs', '0'])).toThrow('--runs espera un entero positivo.');
  });
});
