import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPlanFile } from '../../plans/importers';
import { exportPlanYaml } from '../../plans/export-yaml';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { expectedSeedActivities, realAreas, SEED_PATH, seedCells, seedText, toCsv, toXlsx, withoutLines } from './support';

const opts = { areas: realAreas(), calendar: new BusinessCalendar() };
let dir: string;

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'plazos-plans-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('importing a plan file by its extension', () => {
  it('reads the seed .txt and names the file in every warning', async () => {
    const result = await importPlanFile(SEED_PATH, opts);
    expect(result.errors).toEqual([]);
    expect(result.plan?.activities).toEqual(expectedSeedActivities());
    expect(new Set(result.warnings.map((w) => w.file))).toEqual(new Set([SEED_PATH]));
  });

  it('reads .tsv, .csv, .xlsx and .yml files of the same plan to the same activities', async () => {
    const seed = await importPlanFile(SEED_PATH, opts);
    const files: [string, string | Uint8Array][] = [
      ['plan.tsv', seedText()],
      ['plan.CSV', toCsv(seedCells(), ';')],
      ['plan.xlsx', await toXlsx(seedCells(), { realDates: true })],
      ['plan.yml', exportPlanYaml(seed.plan!)],
    ];
    for (const [name, content] of files) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const result = await importPlanFile(path, opts);
      expect({ name, errors: result.errors }).toEqual({ name, errors: [] });
      expect({ name, plan: withoutLines(result.plan) }).toEqual({ name, plan: withoutLines(seed.plan) });
    }
  });

  it('reads a Windows-1252 file with its accents right, and says it was not UTF-8', async () => {
    const path = join(dir, 'ansi.txt');
    writeFileSync(path, Buffer.from(seedText(), 'latin1'));
    const result = await importPlanFile(path, opts);
    expect(result.plan?.title).toBe('Formulación Plan de Participación Ciudadana 2023');
    expect(result.warnings[0]).toEqual({ file: path, line: null, activity: null, field: 'file', message: expect.stringContaining('no está en UTF-8') });
  });

  it('reports a file that does not exist instead of throwing', async () => {
    const path = join(dir, 'no-existe.csv');
    expect(await importPlanFile(path, opts)).toEqual({
      plan: null,
      errors: [{ file: path, line: null, activity: null, field: 'file', message: `No se pudo leer "${path}": el archivo no existe.` }],
      warnings: [],
      unreadable: true,
    });
  });

  it('reports a folder given as the plan', async () => {
    const path = join(dir, 'carpeta.yaml');
    mkdirSync(path);
    const result = await importPlanFile(path, opts);
    expect(result.errors[0]?.message).toContain('es una carpeta, no un archivo');
  });

  it('refuses a format it cannot read, and lists the ones it can', async () => {
    const result = await importPlanFile(join(dir, 'plan.pdf'), opts);
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      {
        file: join(dir, 'plan.pdf'),
        line: null,
        activity: null,
        field: 'file',
        message: 'Formato de archivo no soportado (".pdf"): use .txt, .tsv, .csv, .xlsx, .yaml o .yml.',
      },
    ]);
  });

  it.each(['constructor', 'toString', '__proto__'])('refuses a file whose extension is an object member (plan.%s)', async (ext) => {
    const result = await importPlanFile(join(dir, `plan.${ext}`), opts);
    expect(result.plan).toBeNull();
    expect(result.errors[0]?.message).toBe(`Formato de archivo no soportado (".${ext.toLowerCase()}"): use .txt, .tsv, .csv, .xlsx, .yaml o .yml.`);
  });
});
