/**
 * `plazos calendar holidays YEAR [--json]`: the days deadlines skip. 2025 is checked against the
 * official list: 18 public holidays on 17 days, because Sagrado Corazón and San Pedro y San Pablo
 * both fall on Monday 30 June.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, makeTempFolder, plazos, plazosJson, removeFolder, STACK_LINE } from './helpers';

interface Holiday {
  date: string;
  name: string;
  law: string | null;
  kind: 'holiday' | 'entity';
}

const LEY_51 = 'Ley 51 de 1983';
const LEY_2578 = 'Ley 2578 de 2026';

const OFFICIAL_2025: Holiday[] = [
  { date: '2025-01-01', name: 'Año Nuevo', law: LEY_51, kind: 'holiday' },
  { date: '2025-01-06', name: 'Reyes Magos', law: LEY_51, kind: 'holiday' },
  { date: '2025-03-24', name: 'San José', law: LEY_51, kind: 'holiday' },
  { date: '2025-04-17', name: 'Jueves Santo', law: LEY_51, kind: 'holiday' },
  { date: '2025-04-18', name: 'Viernes Santo', law: LEY_51, kind: 'holiday' },
  { date: '2025-05-01', name: 'Día del Trabajo', law: LEY_51, kind: 'holiday' },
  { date: '2025-06-02', name: 'Ascensión del Señor', law: LEY_51, kind: 'holiday' },
  { date: '2025-06-23', name: 'Corpus Christi', law: LEY_51, kind: 'holiday' },
  { date: '2025-06-30', name: 'Sagrado Corazón de Jesús / San Pedro y San Pablo', law: LEY_51, kind: 'holiday' },
  { date: '2025-07-20', name: 'Grito de la Independencia', law: LEY_51, kind: 'holiday' },
  { date: '2025-08-07', name: 'Batalla de Boyacá', law: LEY_51, kind: 'holiday' },
  { date: '2025-08-18', name: 'Asunción de la Virgen', law: LEY_51, kind: 'holiday' },
  { date: '2025-10-13', name: 'Día de la Raza', law: LEY_51, kind: 'holiday' },
  { date: '2025-11-03', name: 'Todos los Santos', law: LEY_51, kind: 'holiday' },
  { date: '2025-11-17', name: 'Independencia de Cartagena', law: LEY_51, kind: 'holiday' },
  { date: '2025-12-08', name: 'Inmaculada Concepción', law: LEY_51, kind: 'holiday' },
  { date: '2025-12-25', name: 'Navidad', law: LEY_51, kind: 'holiday' },
];

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
});
afterAll(() => removeFolder(dir));

describe('the 2025 holidays', () => {
  it('lists the 18 official holidays as JSON, the two of 30 June on one day with both names', () => {
    const { status, json } = plazosJson<Holiday[]>(['calendar', 'holidays', '2025', '--json']);
    expect(status).toBe(0);
    expect(json).toEqual(OFFICIAL_2025);
    expect(json.flatMap((h) => h.name.split(' / '))).toHaveLength(18);
  });

  it('prints them in Spanish, one a line with its weekday', () => {
    const run = plazos(['calendar', 'holidays', '2025']);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Festivos y días no laborables de 2025: 17 días');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}lunes 30 de junio {7}Sagrado Corazón de Jesús \/ San Pedro y San Pablo {2}Ley 51 de 1983$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}domingo 20 de julio {5}Grito de la Independencia +Ley 51 de 1983$/));
    expect(lines.filter((l) => l.startsWith('  '))).toHaveLength(17);
  });

  it('prints them in English with PLAZOS_LANG=en', () => {
    const run = plazos(['calendar', 'holidays', '2025'], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Public holidays and entity days off in 2025: 17 days');
    expect(run.stdout).toContain('  Monday 30 June        Sacred Heart / Saint Peter and Saint Paul  Ley 51 de 1983\n');
  });
});

describe('2026 and 2027: Ley 2578 de 2026 adds Chiquinquirá', () => {
  it.each([
    ['2026', '2026-07-13'],
    ['2027', '2027-07-12'],
  ])('%s lists 19 days, each with its law, the new one on Monday %s', (year, monday) => {
    const { status, json } = plazosJson<Holiday[]>(['calendar', 'holidays', year, '--json']);
    expect(status).toBe(0);
    expect(json).toHaveLength(19);
    expect(json.filter((h) => h.law === LEY_51)).toHaveLength(18);
    expect(json.filter((h) => h.law === LEY_2578)).toEqual([
      { date: monday, name: 'Nuestra Señora del Rosario de Chiquinquirá', law: LEY_2578, kind: 'holiday' },
    ]);
  });

  it('prints the law beside each day', () => {
    const run = plazos(['calendar', 'holidays', '2026']);
    expect(run.stdout.split('\n')[0]).toBe('Festivos y días no laborables de 2026: 19 días');
    expect(run.stdout).toContain('  lunes 13 de julio        Nuestra Señora del Rosario de Chiquinquirá  Ley 2578 de 2026\n');
  });
});

describe("the entity's own days off (PLAZOS_CALENDAR)", () => {
  it('are listed among the holidays and marked as the entity’s', () => {
    const calendar = join(dir, 'calendario.yaml');
    writeFileSync(calendar, 'nonWorkingDays:\n  - { date: 2025-12-24, name: Cierre de fin de año }\n');
    const { json } = plazosJson<Holiday[]>(['calendar', 'holidays', '2025', '--json'], { PLAZOS_CALENDAR: calendar });
    expect(json.map((h) => h.date).slice(-3)).toEqual(['2025-12-08', '2025-12-24', '2025-12-25']);
    expect(json).toContainEqual({ date: '2025-12-24', name: 'Cierre de fin de año', law: null, kind: 'entity' });
    const text = plazos(['calendar', 'holidays', '2025'], { PLAZOS_CALENDAR: calendar }).stdout;
    expect(text).toContain('  miércoles 24 de diciembre  Cierre de fin de año (día de la entidad)\n');
  });

  it('a calendar file with an impossible date: exit 2, naming the file, without a stack trace', () => {
    const calendar = join(dir, 'calendario-malo.yaml');
    writeFileSync(calendar, 'nonWorkingDays:\n  - { date: 2025-02-30, name: Día imposible }\n');
    const run = plazos(['calendar', 'holidays', '2025'], { PLAZOS_CALENDAR: calendar });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${calendar}: nonWorkingDays.0.date: Fecha inválida: se espera AAAA-MM-DD.\n`);
  });
});

describe('a year plazos has no calendar for is a usage error (exit 2)', () => {
  it.each(['20x5', '25', '2025.5', '-2025'])('not a year: %s', (year) => {
    const run = plazos(['calendar', 'holidays', year]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`Uso incorrecto: año inválido "${year}": se espera un número como 2024\nConsulte "plazos --help".\n`);
  });

  it.each(['1983', '2101', '0000', '9999'])('outside the years the holiday laws are checked for: %s', (year) => {
    const run = plazos(['calendar', 'holidays', year]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `Uso incorrecto: no hay calendario de festivos para ${year}: cubre de 1984 (la Ley 51 de 1983 rige desde ese año) a 2100\nConsulte "plazos --help".\n`,
    );
    expect(run.stderr).not.toContain(STACK_LINE);
  });

  it('the first and the last year it has a calendar for are accepted', () => {
    expect(plazos(['calendar', 'holidays', '1984']).stdout).toMatch(/^Festivos y días no laborables de 1984: \d+ días\n/);
    expect(plazos(['calendar', 'holidays', '2100']).status).toBe(0);
  });

  it('a missing year', () => {
    const run = plazos(['calendar', 'holidays']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('Uso incorrecto: falta el argumento año\nConsulte "plazos --help".\n');
  });

  it('in English with PLAZOS_LANG=en', () => {
    const run = plazos(['calendar', 'holidays', 'dos-mil'], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('Usage error: invalid year "dos-mil": expected a number such as 2024\nSee "plazos --help".\n');
  });
});
