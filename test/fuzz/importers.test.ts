/**
 * Importer fuzzing: generated and mutated plan files (the seed's TSV, CSV, XLSX, YAML) never
 * crash an importer. Each gives a plan that satisfies the model, or errors that name the file and
 * a place in it, in Spanish words a planner can act on. Runs are bounded so the suite stays quick.
 */
import fc from 'fast-check';
import { importCsvPlan } from '../../plans/importers/csv';
import { importTsvPlan } from '../../plans/importers/tsv';
import { importXlsxPlan } from '../../plans/importers/xlsx';
import { importYamlPlan } from '../../plans/importers/yaml';
import { exportPlanYaml } from '../../plans/export-yaml';
import { PlanSchema, type ImportResult, type PlanIssue } from '../../plans/model';
import { options, seedText, toCsv, toXlsx } from '../plans/support';
import { cellArb, gridArb, mutatedText } from './arbitraries';

/** What a planner must get back, whatever the file: a valid plan, or errors they can find. */
function problemsWith(result: ImportResult, file: string, lastLine: number): string[] {
  const problems: string[] = [];
  if (result.plan === null && result.errors.length === 0) problems.push('no plan and no error');
  if (result.plan && !PlanSchema.safeParse(result.plan).success) problems.push('the plan does not satisfy the model');
  const located = (issue: PlanIssue) => issue.line !== null || issue.field !== null;
  for (const issue of [...result.errors, ...result.warnings]) {
    if (issue.file !== file) problems.push(`issue names file ${String(issue.file)}: ${issue.message}`);
    if (typeof issue.message !== 'string' || issue.message.trim() === '') problems.push('issue without a message');
    if (issue.line !== null && (!Number.isInteger(issue.line) || issue.line < 1 || issue.line > lastLine))
      problems.push(`line ${issue.line} outside 1..${lastLine}: ${issue.message}`);
  }
  for (const error of result.errors) if (!located(error)) problems.push(`error with neither line nor field: ${error.message}`);
  return problems;
}

const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;
const tsv = (grid: string[][]) => grid.map((row) => row.join('\t')).join('\n');

describe('a mutated seed gives a plan or located errors, never a crash', () => {
  it('TSV: rows deleted, duplicated, shuffled or filled with odd cells', () => {
    fc.assert(
      fc.property(gridArb, (grid) => {
        const text = tsv(grid);
        expect(problemsWith(importTsvPlan(text, options('plan.txt')), 'plan.txt', lineCount(text))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('TSV: bytes inserted and cut anywhere in the seed file', () => {
    fc.assert(
      fc.property(mutatedText(seedText()), (text) => {
        expect(problemsWith(importTsvPlan(text, options('plan.txt')), 'plan.txt', lineCount(text))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('CSV: mutated rows with comma or semicolon, quotes and CRLF', () => {
    fc.assert(
      fc.property(gridArb, fc.constantFrom<',' | ';'>(',', ';'), fc.constantFrom('\n', '\r\n'), fc.boolean(), (grid, delimiter, eol, bom) => {
        const text = (bom ? '\uFEFF' : '') + toCsv(grid, delimiter, eol);
        expect(problemsWith(importCsvPlan(text, options('plan.csv')), 'plan.csv', lineCount(text))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('CSV: bytes inserted and cut anywhere in the seed as CSV', () => {
    const base = toCsv(
      seedText()
        .split(/\r?\n/)
        .map((l) => l.split('\t')),
      ';',
    );
    fc.assert(
      fc.property(mutatedText(base), (text) => {
        expect(problemsWith(importCsvPlan(text, options('plan.csv')), 'plan.csv', lineCount(text))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('YAML: the canonical file mutated, or any YAML at all, gives a plan or located errors', () => {
  const seed = importTsvPlan(seedText(), options('plan.txt')).plan;
  if (!seed) throw new Error('the seed does not import');
  const canonical = exportPlanYaml(seed);

  it('bytes inserted and cut anywhere in the canonical YAML', () => {
    fc.assert(
      fc.property(mutatedText(canonical), (text) => {
        expect(problemsWith(importYamlPlan(text, options('plan.yaml')), 'plan.yaml', lineCount(text))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('values of the canonical YAML replaced by odd cells', () => {
    const lines = canonical.split('\n');
    const edits = fc.array(fc.tuple(fc.nat(), cellArb), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(edits, (changes) => {
        const copy = [...lines];
        for (const [i, cell] of changes) {
          const n = i % copy.length;
          const line = copy[n] as string;
          const colon = line.indexOf(': ');
          copy[n] = colon >= 0 ? `${line.slice(0, colon + 2)}${JSON.stringify(cell)}` : `${line}${cell}`;
        }
        const text = copy.join('\n');
        expect(problemsWith(importYamlPlan(text, options('plan.yaml')), 'plan.yaml', lineCount(text))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary JSON values written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value, null, 1) ?? 'null';
        expect(problemsWith(importYamlPlan(text, options('plan.yaml')), 'plan.yaml', lineCount(text))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('XLSX: mutated sheets and damaged workbooks give a plan or located errors', () => {
  it('the seed sheet with mutated rows, dates as text or as real Excel dates', async () => {
    await fc.assert(
      fc.asyncProperty(gridArb, fc.boolean(), async (grid, realDates) => {
        const bytes = await toXlsx(grid, { realDates });
        const result = await importXlsxPlan(bytes, options('plan.xlsx'));
        expect(problemsWith(result, 'plan.xlsx', Math.max(grid.length, 1))).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('a real workbook with bytes flipped, cut or appended', async () => {
    const good = await toXlsx(
      seedText()
        .split(/\r?\n/)
        .map((l) => l.split('\t')),
      { realDates: true },
    );
    const damage = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(damage, fc.nat(), async (flips, cut) => {
        const bytes = good.slice(0, good.length - (cut % 64));
        for (const [i, b] of flips) bytes[i % bytes.length] = b;
        const result = await importXlsxPlan(bytes, options('plan.xlsx'));
        expect(problemsWith(result, 'plan.xlsx', 10_000)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
