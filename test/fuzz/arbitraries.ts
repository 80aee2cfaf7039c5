/**
 * Plan files for fuzzing: the seed's grid with rows and cells mutated (dates, area codes,
 * recurrence words, stray separators, unicode, empty cells), and raw text with bytes inserted or cut.
 */
import fc from 'fast-check';
import { seedCells } from '../plans/support';

/** Cells a planner (or a broken export) writes: near-valid dates and areas, and arbitrary text. */
export const cellArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '4-ene-23',
    '31-abr-23',
    '29-feb-24',
    '2023-13-01',
    '00/00/0000',
    '4-ENE-2023',
    'OAPLA',
    'oapla',
    'XYZW Área',
    'OAPLA-ARCOM',
    'mensual',
    'trimestral',
    'Actividades',
    'Fecha inicial',
    'Consolidó:',
    'Versión1: 2023-01-26',
    '"',
    '""',
    ';',
    ',',
    '\t',
    '=1+1',
    '1e309',
    '-1',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc
    .tuple(fc.integer({ min: -5, max: 40 }), fc.constantFrom('ene', 'feb', 'abr', 'dic', 'xyz', 'Ene'), fc.integer({ min: 0, max: 99 }))
    .map(([d, m, y]) => `${d}-${m}-${y}`),
);

type Grid = string[][];
type Mutation = (grid: Grid) => void;

const at = (grid: Grid, i: number) => (grid.length === 0 ? 0 : i % grid.length);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i) => (g: Grid) => void g.splice(at(g, i), 1)),
  fc.nat().map((i) => (g: Grid) => void g.splice(at(g, i), 0, [...(g[at(g, i)] ?? [])])),
  fc.tuple(fc.nat(), fc.array(cellArb, { maxLength: 8 })).map(
    ([i, row]) =>
      (g: Grid) =>
        void g.splice(at(g, i), 0, row),
  ),
  fc.tuple(fc.nat(), fc.nat(), cellArb).map(([i, c, cell]) => (g: Grid) => {
    const row = g[at(g, i)];
    if (row && row.length > 0) row[c % row.length] = cell;
  }),
  fc.tuple(fc.nat(), fc.nat(20)).map(([i, keep]) => (g: Grid) => {
    const row = g[at(g, i)];
    if (row) row.length = Math.min(row.length, keep);
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([i, a, b]) => (g: Grid) => {
    const row = g[at(g, i)];
    if (!row || row.length === 0) return;
    const [x, y] = [a % row.length, b % row.length];
    [row[x], row[y]] = [row[y] as string, row[x] as string];
  }),
);

/** The seed's grid after 1–12 mutations. */
export const gridArb: fc.Arbitrary<Grid> = fc.array(mutationArb, { minLength: 1, maxLength: 12 }).map((mutations) => {
  const grid = seedCells().map((row) => [...row]);
  for (const mutate of mutations) mutate(grid);
  return grid;
});

/** A text with random insertions and cuts at random places (bytes a broken export might leave). */
export function mutatedText(base: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat(30), fc.string({ unit: 'binary', maxLength: 12 }));
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let text = base;
    for (const [pos, cut, insert] of edits) {
      const p = text.length === 0 ? 0 : pos % text.length;
      text = text.slice(0, p) + insert + text.slice(p + cut);
    }
    return text;
  });
}
