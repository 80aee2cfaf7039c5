/**
 * What the plan tests share: the real seed file, the real areas directory, and writers that put
 * the seed's rows into CSV and XLSX line for line, so every format can be checked against the
 * same expected table.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { loadAreasFile } from '../../config/load-areas';
import type { AreasDirectory } from '../../plans/areas';
import type { Plan } from '../../plans/model';
import type { ImportOptions } from '../../plans/validate';

export const REPO = resolve(__dirname, '..', '..');
export const SEED_PATH = resolve(REPO, 'plans/examples/plan-participacion-ciudadana-2023.txt');
export const AREAS_PATH = resolve(REPO, 'config/areas.yaml');

export function seedText(): string {
  return readFileSync(SEED_PATH, 'utf8');
}

export function realAreas(): AreasDirectory {
  const { areas, errors } = loadAreasFile(AREAS_PATH);
  if (!areas || errors.length > 0) throw new Error(`config/areas.yaml does not load: ${JSON.stringify(errors)}`);
  return areas;
}

export function options(file: string, extra: Partial<ImportOptions> = {}): ImportOptions {
  return { file, areas: realAreas(), calendar: new BusinessCalendar(), ...extra };
}

/** The seed's lines split into cells, exactly as written (trailing tabs included). */
export function seedCells(): string[][] {
  return seedText()
    .split(/\r?\n/)
    .map((line) => line.split('\t'));
}

function csvField(cell: string, delimiter: string): string {
  return /["\n\r]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function toCsv(rows: string[][], delimiter: ',' | ';', eol = '\n'): string {
  return rows.map((cells) => cells.map((c) => csvField(c, delimiter)).join(delimiter)).join(eol);
}

/** A seed cell holding a `d-mmm-yy` date: the only cells written as real Date cells in the XLSX. */
const SEED_DATE = /^\d{1,2}-[a-z]{3}-\d{2}$/;
const MONTHS = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];

/** `4-ene-23` as the UTC midnight Date that Excel stores for that day. */
export function seedDateToUtc(text: string): Date {
  const [d, mon, yy] = text.split('-') as [string, string, string];
  return new Date(Date.UTC(2000 + Number(yy), MONTHS.indexOf(mon), Number(d)));
}

/** An .xlsx of the given rows at the same row numbers; dates as real Date cells if asked. */
export async function toXlsx(rows: string[][], opts: { realDates: boolean; sheetsBefore?: number }): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (let i = 0; i < (opts.sheetsBefore ?? 0); i++) workbook.addWorksheet(`Notas ${i + 1}`).getCell('A1').value = 'Sin tabla aquí';
  const sheet = workbook.addWorksheet('Plan');
  rows.forEach((cells, i) => {
    const row = sheet.getRow(i + 1);
    cells.forEach((cell, c) => {
      if (cell === '') return;
      const target = row.getCell(c + 1);
      if (opts.realDates && SEED_DATE.test(cell)) {
        target.value = seedDateToUtc(cell);
        target.numFmt = 'd-mmm-yy';
      } else target.value = cell;
    });
    row.commit();
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}

/** A plan without source lines: what must survive a trip through another format. */
export function withoutLines(plan: Plan | null): unknown {
  if (!plan) return plan;
  return { ...plan, activities: plan.activities.map(({ line: _line, ...rest }) => rest) };
}

type Row = [number, number, string, string, string, string[], string];

/**
 * The seed's 19 activities, read by eye from the file: number, line, title (without the shown
 * `3. ` prefix), start, due, responsible, deliverable.
 */
export const SEED_ACTIVITIES: Row[] = [
  [1, 17, 'Realizar autodiagnóstico de participación ciudadana', '2023-01-04', '2023-01-31', ['OAPLA'], 'Autodiagnóstico de Participación.'],
  [2, 18, 'Realizar autodiagnóstico de Rendición de Cuentas.', '2023-01-04', '2023-01-31', ['OAPLA'], 'Autodiagnóstico de Rendición de Cuentas.'],
  [
    3,
    19,
    'Socializar la Formulación del Plan Anticorrupción y Atención al Ciudadano PAAC para la vigencia del 2023.',
    '2023-01-04',
    '2023-01-20',
    ['OAPLA'],
    'Registro de socialización en PAAC.',
  ],
  [
    4,
    20,
    'Generar estrategias de participación por los diferentes canales y redes sociales a los afiliados y grupos de interés.',
    '2023-01-11',
    '2023-11-30',
    ['ARCOM'],
    'Información en canales electrónicos y redes sociales.',
  ],
  [
    5,
    21,
    'Realizar visitas de los puntos de atención móvil a las Unidades Militares y de Policía en el territorio Nacional',
    '2023-02-06',
    '2023-11-30',
    ['ASERA'],
    'Informes de atención puntos móviles de atención.',
  ],
  [
    6,
    22,
    'Realizar chat, foro y encuesta en línea previa a la Rendición de Cuentas',
    '2022-02-20',
    '2023-03-31',
    ['OAPLA'],
    'Informe de resultados de chat, foro y encuesta.',
  ],
  [
    7,
    23,
    'Realizar actividades en educación financiera con el fin de sensibilizar al consumidor financiero.',
    '2023-02-08',
    '2023-12-29',
    ['ARACF'],
    'Información de las actividades de educación financiera gestionadas durante el periodo.',
  ],
  [
    8,
    24,
    'Divulgar los trámites y servicios en los canales presenciales y virtuales dispuestos por la Entidad',
    '2023-04-10',
    '2023-11-30',
    ['ASERA', 'ARCOM'],
    'Informe divulgación de trámites y servicios.',
  ],
  [
    9,
    27,
    'Realizar divulgación de la convocatoria de la audiencia pública de Rendición de Cuentas',
    '2023-03-06',
    '2023-04-28',
    ['OAPLA', 'ARCOM'],
    'Informes de divulgación convocatoria Rendición de Cuentas.',
  ],
  [10, 28, 'Realizar audiencia pública de Rendición de Cuentas de manera virtual', '2023-04-10', '2023-07-28', ['OAPLA'], 'Informe de Rendición de Cuentas.'],
  [
    11,
    29,
    'Realizar seguimiento mensual a los contenidos del sitio WEB.',
    '2022-02-01',
    '2023-11-30',
    ['ARCOM'],
    'Informe de seguimiento contenidos sitio web.',
  ],
  [
    12,
    30,
    'Responder las preguntas formuladas en el proceso de Rendición de Cuentas, que sean radicadas en el Área de Atención al Consumidor Financiero ARACF y publicarlas en el sitio web',
    '2023-04-24',
    '2023-07-14',
    ['ARACF'],
    'Respuestas a las preguntas formulados durante el evento de Rendición de Cuentas.',
  ],
  [13, 31, 'Desarrollar ferias inmobiliarias virtuales o presenciales.', '2023-06-01', '2023-06-30', ['ARVIV'], 'Informe de ferias inmobiliarias.'],
  [14, 32, 'Realizar Chat y Foro para formulación PAI', '2023-08-02', '2023-08-31', ['OAPLA'], 'Informe de resultados de chat, foro PAI.'],
  [15, 33, 'Realizar Chat y foro para formulación PAAC', '2022-10-12', '2022-11-16', ['OAPLA'], 'Informe de resultados de chat, foro PAAC.'],
  [
    16,
    34,
    'Informe de resultados estrategias de Participación',
    '2023-11-16',
    '2023-12-20',
    ['OAPLA'],
    'Informe de evaluación de la estrategia de participación.',
  ],
  [
    17,
    35,
    'Resultados de gestión y desempeño institucional a través de Rendición de Cuentas Interna 2022. Facebook Live',
    '2022-10-17',
    '2023-11-30',
    ['OAPLA'],
    'Informe de Rendición de Cuentas Interna.',
  ],
  [
    18,
    36,
    'Atender sugerencias presentadas por los consumidores financieros a través de buzón PQRS',
    '2023-02-10',
    '2023-12-11',
    ['ARACF'],
    'Información de sugerencias realizadas por los consumidores financieros mediante canal PQRS en el periodo.',
  ],
  [
    19,
    37,
    'Interacción con los afiliados a través del Centro de Contacto al Ciudadano (CCC)',
    '2023-02-10',
    '2023-12-11',
    ['ASERA'],
    'Información de las interacciones del CCC del periodo.',
  ],
];

export const MONTHLY = { frequency: 'monthly', due: { rule: 'end-of-period' } } as const;

/** The expected activities as PlanActivity objects (activity 11 is monthly, inferred from its title). */
export function expectedSeedActivities(): object[] {
  return SEED_ACTIVITIES.map(([number, line, title, start, due, responsible, deliverable]) => ({
    number,
    title,
    start,
    due,
    responsible,
    deliverable,
    ...(number === 11 ? { recurrence: MONTHLY } : {}),
    line,
  }));
}
