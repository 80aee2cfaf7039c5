/**
 * Fuzzing with the shapes a hostile user reached for: quotes anywhere in CSV, every encoding Excel
 * writes, nested and aliased YAML, values near the length limit, archives that lie about their
 * size, and evidence uploads with odd names and contents. Each importer gives a plan or located
 * errors and never throws; the CSV reader stays within its bound on work; an upload is accepted
 * only when every check holds. Runs are few and inputs small, so each property takes seconds.
 */
import fc from 'fast-check';
import { checkArchive } from '../../plans/importers/archive';
import { matchesMagic, mediaTypeForFile } from '../../activities/evidence/media-types';
import { importCsvPlan, scanCsv } from '../../plans/importers/csv';
import { decodeText } from '../../plans/importers/read-file';
import { importTsvPlan } from '../../plans/importers/tsv';
import { importYamlPlan } from '../../plans/importers/yaml';
import { PLAN_LIMITS } from '../../plans/limits';
import { PlanSchema, type ImportResult } from '../../plans/model';
import { checkUpload, fileNameProblem } from '../../activities/evidence/upload-check';
import { buildZip } from '../helpers/zip';
import { options, seedText, toCsv } from '../plans/support';

/** A plan that satisfies the model, or errors each with its file and a line or a field. */
function wellFormed(result: ImportResult, file: string): void {
  expect(result.plan !== null || result.errors.length > 0).toBe(true);
  if (result.plan) expect(PlanSchema.safeParse(result.plan).success).toBe(true);
  for (const issue of [...result.errors, ...result.warnings]) {
    expect(issue.file).toBe(file);
    expect(issue.message.trim()).not.toBe('');
  }
  for (const error of result.errors) expect(error.line !== null || error.field !== null).toBe(true);
}

const seedRows = () =>
  seedText()
    .split(/\r?\n/)
    .map((line) => line.split('\t'));

describe('CSV with quotes in every place a person or a broken export puts them', () => {
  const quote = fc.constantFrom('"', '""', '"""', '" ', ' "', '32"', '"abierto', 'cerrado"', '","', '"\n', '\n"');
  const edits = fc.array(fc.tuple(fc.nat(), fc.nat(), quote), { minLength: 1, maxLength: 12 });

  it('any number of quotes inserted into the seed as CSV: a plan or located errors, and the reader within its bound on work', () => {
    const base = toCsv(seedRows(), ';');
    fc.assert(
      fc.property(edits, fc.constantFrom('\n', '\r\n', '\r'), (changes, eol) => {
        let text = base;
        for (const [row, col, q] of changes) {
          const lines = text.split('\n');
          const i = row % lines.length;
          const line = lines[i] as string;
          lines[i] = line.slice(0, col % (line.length + 1)) + q + line.slice(col % (line.length + 1));
          text = lines.join('\n');
        }
        text = text.replace(/\n/g, eol);
        wellFormed(importCsvPlan(text, options('plan.csv')), 'plan.csv');
        const normalized = text.replace(/\r\n?/g, '\n');
        expect(scanCsv(normalized, ';').scanned).toBeLessThanOrEqual((PLAN_LIMITS.quotedFieldLines + 1) * Math.max(normalized.length, 1));
      }),
      { numRuns: 100 },
    );
  });

  it('many lines each broken the same way: the work per character does not grow with the number of lines', () => {
    fc.assert(
      fc.property(quote, fc.integer({ min: 50, max: 400 }), (q, n) => {
        const line = `Pantalla de 32${q} instalada;1/03/2023;31/03/2023;OAPLA;Acta`;
        const text = (k: number) => ['Actividades;Fecha inicial;Fecha Final;Responsable;PRODUCTO O ENTREGABLE', ...Array<string>(k).fill(line)].join('\n');
        const perChar = (k: number) => scanCsv(text(k), ';').scanned / text(k).length;
        // Four times the lines, at most a little more work per character (quadratic would be four times).
        expect(perChar(4 * n)).toBeLessThanOrEqual(perChar(n) * 1.05 + 0.05);
      }),
      { numRuns: 30 },
    );
  });
});

describe('encodings', () => {
  const encoders: Record<string, (text: string) => Buffer> = {
    'utf-8': (t) => Buffer.from(t, 'utf8'),
    'utf-8 BOM': (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
    'utf-16le BOM': (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
    'utf-16be BOM': (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]),
    'utf-16le': (t) => Buffer.from(t, 'utf16le'),
    latin1: (t) => Buffer.from(t, 'latin1'),
  };

  it('the seed with random text in a cell, in every encoding: decoded and imported to a plan or located errors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(encoders)), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.nat(), (encoding, cell, at) => {
        const rows = seedRows();
        const row = rows[16 + (at % 19)] as string[];
        row[0] = `${cell}${row[0] as string}`;
        const text = rows.map((r) => r.join('\t')).join('\r\n');
        const bytes = (encoders[encoding] as (t: string) => Buffer)(text);
        const decoded = decodeText(bytes, 'plan.txt');
        if (encoding.includes('BOM') && encoding.startsWith('utf-16')) expect(decoded.text).toBe(text);
        wellFormed(importTsvPlan(decoded.text, options('plan.txt')), 'plan.txt');
      }),
      { numRuns: 60 },
    );
  });
});

describe('YAML nested, aliased and long', () => {
  /** A collection `depth` levels deep, in block or flow style. */
  const nested = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.boolean(), fc.boolean()).map(([depth, flow, maps]) => {
    if (flow) return `policy: ${maps ? '{a: '.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth)}`;
    return Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}${maps ? `k${i}:` : '-'}`).join('\n') + ' x';
  });
  /** Anchors each aliasing the previous one `fan` times. */
  const aliases = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })).map(([levels, fan]) => {
    const lines = ['x0: &x0 [a, b]'];
    for (let i = 1; i <= levels; i++)
      lines.push(
        `x${i}: &x${i} [${Array<string>(fan)
          .fill(`*x${i - 1}`)
          .join(', ')}]`,
      );
    return lines.join('\n');
  });
  const longValue = fc.integer({ min: PLAN_LIMITS.cellChars - 2, max: PLAN_LIMITS.cellChars + 2 }).map((n) => `deliverable: "${'d'.repeat(n)}"`);
  const head = 'id: prueba-2023\ntitle: Plan 2023\nyear: 2023';
  const item = (extra: string) =>
    `activities:\n  - title: Informe\n    start: 2023-01-04\n    due: 2023-01-31\n    responsible: [OAPLA]\n${extra
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}`;

  it('any nesting depth, alias fan-out or value length near the limit: a plan or located errors, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(nested, aliases, longValue), fc.boolean(), (piece, inItem) => {
        const text = inItem
          ? `${head}\n${item(piece.includes('deliverable') ? piece : `deliverable: Informe.\n${piece}`)}`
          : `${head}\n${piece}\n${item('deliverable: Informe.')}`;
        wellFormed(importYamlPlan(text, options('plan.yaml')), 'plan.yaml');
      }),
      { numRuns: 80 },
    );
  });
});

describe('archives that lie about their size', () => {
  it('entries of any size, declared truthfully or not: accepted only when what they really expand to fits', async () => {
    const entry = fc.record({ size: fc.nat({ max: 40_000 }), lie: fc.option(fc.nat({ max: 40_000 })), stored: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1_000, max: 60_000 }), async (entries, limit) => {
        const zip = buildZip(
          entries.map((e, i) => ({ name: `e${i}.txt`, data: Buffer.alloc(e.size, 'a'), stored: e.stored, declaredSize: e.lie ?? undefined })),
        );
        const result = await checkArchive(zip, { maxExpandedBytes: limit, maxEntries: 10 });
        const real = entries.reduce((n, e) => n + e.size, 0);
        if (result.ok) expect(result.expandedBytes).toBe(real);
        if (real > limit) expect(result.ok).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});

describe('evidence uploads with any name and content', () => {
  const name = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc
      .tuple(
        fc.constantFrom('', '../', '..\\', '/', 'C:\\', './', '\u202e', '\u001b[2J', '\u0000'),
        fc.string({ maxLength: 10 }),
        fc.constantFrom('.pdf', '.PDF', '.docx', '.zip', '.csv', '.txt', '.png', '.exe', ''),
      )
      .map(([a, b, c]) => `${a}${b}${c}`),
  );
  const content = fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    fc.constant(Buffer.from('%PDF-1.4\n%%EOF\n')),
    fc.constant(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    fc.nat({ max: 30_000 }).map((n) => buildZip([{ name: 'word/document.xml', data: Buffer.alloc(n) }])),
  );

  it('accepted only with a clean name, a known type and first bytes of that type; otherwise a 400 or 413 with a message', async () => {
    await fc.assert(
      fc.asyncProperty(name, content, async (fileName, bytes) => {
        const result = await checkUpload(fileName, bytes, 1_000);
        if (result.ok) {
          expect(fileNameProblem(fileName)).toBeNull();
          expect(result.mediaType).toBe(mediaTypeForFile(fileName));
          expect(matchesMagic(result.mediaType, bytes)).toBe(true);
          // eslint-disable-next-line no-control-regex
          expect(fileName).not.toMatch(/[\\/\u0000-\u001f\u007f\u202a-\u202e]/);
        } else {
          expect([400, 413]).toContain(result.status);
          expect(result.message.trim()).not.toBe('');
        }
      }),
      { numRuns: 150 },
    );
  });
});
