/**
 * Medians and spreads of repeated runs, and ratios of paired runs. Pure: the benchmarks measure,
 * this file only summarises, so the test suite can check it without a server.
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median: how much the runs disagree, 0 for a single run. */
  spread: number;
  runs: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: m, min, max, spread: m === 0 ? 0 : (max - min) / m, runs: [...values] };
}

/**
 * The ratio of each run to the baseline run it was paired with (same run, same server), then
 * summarised: pairing cancels the drift of a machine that slows down as its database grows.
 */
export function pairedRatio(measured: readonly number[], baseline: readonly number[]): Summary {
  if (measured.length !== baseline.length) throw new RangeError(`${measured.length} runs against ${baseline.length} baseline runs`);
  return summarize(measured.map((value, i) => value / (baseline[i] as number)));
}

export type Target = { op: '<=' | '>='; value: number };

export function meets(ratio: number, target: Target): boolean {
  return target.op === '<=' ? ratio <= target.value : ratio >= target.value;
}
