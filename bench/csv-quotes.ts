/**
 * Benchmark 6: reading a CSV plan with a stray quote on every line (`Pantalla de 32" instalada`)
 * against a CSV of the same size without them, run by run in the same process. A reader that
 * restarts on the rest of the file at each broken line takes time in the square of the lines;
 * ours is linear, so the ratio stays near 1 (below it: broken rows are reported, not validated).
 */
import { BusinessCalendar } from '../calendar/business-calendar';
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { importCsvPlan, scanCsv } from '../plans/importers/csv';
import type { Figure } from './report';
import { pairedRatio, summarize } from './stats';

const HEADER = 'Actividades;Fecha inicial;Fecha Final;Responsable;PRODUCTO O ENTREGABLE';

/** `lines` activity rows, each with a stray quote in its title or without, the same length either way. */
export function quotesCsv(lines: number, broken: boolean): string {
  const rows = [`Plan de Dotación 2023`, HEADER];
  for (let i = 0; i < lines; i++) {
    const month = String((i % 12) + 1).padStart(2, '0');
    // An apostrophe is no CSV quote: the clean line is the broken one, character for character, but for it.
    const title = `Pantalla de 32${broken ? '"' : "'"} instalada en la sede ${i}`;
    rows.push(`${title};01/${month}/2023;27/${month}/2023;OAPLA;Acta de instalación ${i}`);
  }
  return rows.join('\n');
}

function timed(run: () => void): number {
  const t0 = performance.now();
  run();
  return (performance.now() - t0) / 1000;
}

export function benchCsvQuotes(lines: number, runs: number, log: (m: string) => void): Figure[] {
  const { areas } = loadAreasFile(resolveAreasPath(undefined));
  if (!areas) throw new Error('the areas directory does not load');
  const opts = { file: 'plan.csv', areas, calendar: new BusinessCalendar() };
  const broken = quotesCsv(lines, true);
  const clean = quotesCsv(lines, false);
  const measured: number[] = [];
  const baseline: number[] = [];
  timed(() => importCsvPlan(clean, opts)); // warm the JIT for both
  for (let run = 0; run < runs; run++) {
    baseline.push(timed(() => importCsvPlan(clean, opts)));
    measured.push(timed(() => importCsvPlan(broken, opts)));
  }
  const scanned = scanCsv(broken, ';').scanned;
  log(`comillas: ${lines} líneas con comillas sueltas ${summarize(measured).median.toFixed(3)} s, sin ellas ${summarize(baseline).median.toFixed(3)} s`);
  return [
    {
      id: `comillas/${lines}`,
      label: `CSV de ${lines} líneas con una comilla suelta en cada una`,
      unit: 's',
      measured: summarize(measured),
      baseline: summarize(baseline),
      baselineLabel: `CSV limpio de ${lines} líneas`,
      ratio: pairedRatio(measured, baseline),
      target: { op: '<=', value: 1.5 },
      notes: [`${broken.length} caracteres; el lector miró ${scanned} (${(scanned / broken.length).toFixed(2)} por carácter)`],
    },
  ];
}
