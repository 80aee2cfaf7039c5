/** What a benchmark reports, the table people read (in Spanish) and the JSON machines read. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { meets, type Summary, type Target } from './stats';

export interface Figure {
  /** e.g. "inicio-plan/1000". */
  id: string;
  /** What was measured, in Spanish. */
  label: string;
  unit: string;
  measured: Summary;
  baseline: Summary;
  baselineLabel: string;
  /** measured / baseline, paired run by run (for throughput: measured throughput / baseline throughput). */
  ratio: Summary;
  target?: Target;
  /** An absolute limit that some figures have besides their ratio (e.g. RSS ≤ 400 MB). */
  limit?: { op: '<=' | '>='; value: number; unit: string };
  /** For deliveries: how many were expected and how many arrived in each run. */
  counts?: { expected: number; received: number[] };
  /** Facts worth keeping next to the figure: counts received, sizes, why a target is missed. */
  notes: string[];
}

export interface BenchReport {
  date: string;
  quick: boolean;
  machine: { cpus: number; memoryGiB: number; node: string; loadAverage: number[]; sqliteDir: string };
  command: string;
  figures: Figure[];
}

function fmt(n: number): string {
  if (Math.abs(n) >= 1000) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(3);
}

function verdict(f: Figure): string {
  const parts: string[] = [];
  if (f.target) parts.push(meets(f.ratio.median, f.target) ? `cumple ${f.target.op} ${f.target.value}x` : `NO cumple ${f.target.op} ${f.target.value}x`);
  if (f.limit) {
    const ok = f.limit.op === '<=' ? f.measured.median <= f.limit.value : f.measured.median >= f.limit.value;
    parts.push(`${ok ? 'cumple' : 'NO cumple'} ${f.limit.op} ${f.limit.value} ${f.limit.unit}`);
  }
  return parts.join('; ') || '—';
}

export function formatTable(figures: readonly Figure[]): string {
  const header = ['medida', 'mediana', 'línea base', 'razón (mediana)', 'razón mín–máx', 'corridas', 'objetivo'];
  const rows = figures.map((f) => [
    `${f.label} [${f.id}]`,
    `${fmt(f.measured.median)} ${f.unit}`,
    `${fmt(f.baseline.median)} ${f.unit} (${f.baselineLabel})`,
    `${f.ratio.median.toFixed(2)}x`,
    `${f.ratio.min.toFixed(2)}–${f.ratio.max.toFixed(2)}`,
    String(f.measured.runs.length),
    verdict(f),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ');
  const notes = figures.flatMap((f) => f.notes.map((n) => `  [${f.id}] ${n}`));
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line), '', 'Notas:', ...notes].join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
