/**
 * The seed plan's activities as the tests use them, written out from the file so the workflow
 * tests do not depend on the importers (which have tests of their own), and the areas directory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AreasDirectorySchema, type AreasDirectory } from '../../plans/areas';
import { REPO_ROOT } from '../../config/paths';
import { PlanSchema, type Plan, type PlanActivity } from '../../plans/model';

export function seedAreas(): AreasDirectory {
  return AreasDirectorySchema.parse(parse(readFileSync(join(REPO_ROOT, 'config', 'areas.yaml'), 'utf8')));
}

type Row = [number, string, string, string, string[], string];

// number, title, start, due, responsible, deliverable — as in plans/examples/plan-participacion-ciudadana-2023.txt
const ROWS: Row[] = [
  [
    3,
    'Socializar la Formulación del Plan Anticorrupción y Atención al Ciudadano PAAC para la vigencia del 2023.',
    '2023-01-04',
    '2023-01-20',
    ['OAPLA'],
    'Registro de socialización en PAAC.',
  ],
  [
    6,
    'Realizar chat, foro y encuesta en línea previa a la Rendición de Cuentas',
    '2022-02-20',
    '2023-03-31',
    ['OAPLA'],
    'Informe de resultados de chat, foro y encuesta.',
  ],
  [
    8,
    'Divulgar los trámites y servicios en los canales presenciales y virtuales dispuestos por la Entidad',
    '2023-04-10',
    '2023-11-30',
    ['ASERA', 'ARCOM'],
    'Informe divulgación de trámites y servicios.',
  ],
  [10, 'Realizar audiencia pública de Rendición de Cuentas de manera virtual', '2023-04-10', '2023-07-28', ['OAPLA'], 'Informe de Rendición de Cuentas.'],
  [13, 'Desarrollar ferias inmobiliarias virtuales o presenciales.', '2023-06-01', '2023-06-30', ['ARVIV'], 'Informe de ferias inmobiliarias.'],
  [14, 'Realizar Chat y Foro para formulación PAI', '2023-08-02', '2023-08-31', ['OAPLA'], 'Informe de resultados de chat, foro PAI.'],
];

export function seedActivity(number: number, override: Partial<PlanActivity> = {}): PlanActivity {
  const row = ROWS.find((r) => r[0] === number);
  if (!row) throw new Error(`activity ${number} is not in the test table`);
  const [, title, start, due, responsible, deliverable] = row;
  return { number, title, start, due, responsible, deliverable, ...override };
}

export function seedPlan(activities: PlanActivity[]): Plan {
  return PlanSchema.parse({
    id: 'participacion-ciudadana-2023',
    title: 'Formulación Plan de Participación Ciudadana 2023',
    year: 2023,
    activities,
  });
}
