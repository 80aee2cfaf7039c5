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
}

const OFFICIAL_2025: Holiday[] = [
  { date: '2025-01-01', name: 'Año Nuevo' },
  { date: '2025-01-06', name: 'Reyes Magos' },
  { date: '2025-03-24', name: 'San José' },
  { date: '2025-04-17', name: 'Jueves Santo' },
  { date: '2025-04-18', name: 'Viernes Santo' },
  { date: '2025-05-01', name: 'Día del Trabajo' },
  { date: '2025-06-02', name: 'Ascensión del Señor' },
  { date: '2025-06-23', name: 'Corpus Christi' },
  { date: '2025-06-30', name: 'Sagrado Corazón de Jesús / San Pedro y San Pablo' },
  { date: '2025-07-20', name: 'Grito de la Independencia' },
  { date: '2025-08-07', name: 'Batalla de Boyacá' },
  { date: '2025-08-18', name: 'Asunción de la Virgen' },
  { date: '2025-10-13', name: 'Día de la Raza' },
  { date: '2025-11-03', name: 'Todos los Santos' },
  { date: '2025-11-17', name: 'Independencia de Cartagena' },
  { date: '2025-12-08', name: 'Inmaculada Concepción' },
  { date: '2025-12-25', name: 'Navidad' },
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
    expect(lines).toContain('  lunes 30 de junio       Sagrado Corazón de Jesús / San Pedro y San Pablo');
    expect(lines).toContain('  domingo 20 de julio     Grito de la Independencia');
    expect(lines.filter((l) => l.startsWith('  '))).toHaveLength(17);
  });

  it('prints them in English with PLAZOS_LANG=en', () => {
    const run = plazos(['calendar', 'holidays', '2025'], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Public holidays and entity days off in 2025: 17 days');
    expect(run.stdout).toContain('  Monday 30 June        Sacred Heart / Saint Peter and Saint Paul\n');
  });
});

describe("the entity's own days off (PLAZOS_CALENDAR)", () => {
  it('are listed among the holidays and marked as the entity’s', () => {
    const calendar = join(dir, 'calendario.yaml');
    writeFileSync(calendar, 'nonWorkingDays:\n  - { date: 2025-12-24, name: Cierre de fin de año }\n');
    const { json } = plazosJson<Holiday[]>(['calendar', 'holidays', '2025', '--json'], { PLAZOS_CALENDAR: calendar });
    expect(json.map((h) => h.date).slice(-3)).toEqual(['2025-12-08', '2025-12-24', '2025-12-25']);
    expect(json).toContainEqual({ date: '2025-12-24', name: 'Cierre de fin de año' });
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

  it.each(['1983', '4100', '0000', '9999'])('outside the years of Ley 51 de 1983: %s', (year) => {
    const run = plazos(['calendar', 'holidays', year]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `Uso incorrecto: no hay calendario de festivos para ${year}: la Ley 51 de 1983 rige desde 1984 y se calcula hasta 4099\nConsulte "plazos --help".\n`,
    );
    expect(run.stderr).not.toContain(STACK_LINE);
  });

  it('the first and the last year it has a calendar for are accepted', () => {
    expect(plazos(['calendar', 'holidays', '1984']).stdout).toMatch(/^Festivos y días no laborables de 1984: \d+ días\n/);
    expect(plazos(['calendar', 'holidays', '4099']).status).toBe(0);
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
