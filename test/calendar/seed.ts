/**
 * Activities of the seed plan (plans/examples/plan-participacion-ciudadana-2023.txt), written out
 * by hand from its rows so that these tests do not depend on the importers being written now.
 */
import { PlanSchema, type Plan, type PlanActivity, type PlanInput } from '../../plans/model';

type ActivityInput = Omit<PlanActivity, 'deliverable'> & { deliverable?: string };

export function activity(input: ActivityInput): PlanActivity {
  return { deliverable: 'Informe.', ...input };
}

export function plan(activities: PlanActivity[], over: Partial<PlanInput> = {}): Plan {
  return PlanSchema.parse({
    id: 'participacion-2023',
    title: 'Plan de Participación Ciudadana 2023',
    year: 2023,
    activities,
    ...over,
  });
}

export const seed = {
  a3: activity({
    number: 3,
    title: '3. Socializar la Formulación del Plan Anticorrupción y Atención al Ciudadano PAAC para la vigencia del 2023.',
    start: '2023-01-04',
    due: '2023-01-20',
    responsible: ['OAPLA'],
  }),
  a4: activity({
    number: 4,
    title: 'Generar estrategias de participación por los diferentes canales y redes sociales a los afiliados y grupos de interés.',
    start: '2023-01-11',
    due: '2023-11-30',
    responsible: ['ARCOM'],
  }),
  a5: activity({
    number: 5,
    title: '5. Realizar visitas de los puntos de atención móvil a las Unidades Militares y de Policía en el territorio Nacional',
    start: '2023-02-06',
    due: '2023-11-30',
    responsible: ['ASERA'],
  }),
  a7: activity({
    number: 7,
    title: '7. Realizar actividades en educación financiera con el fin de sensibilizar al consumidor financiero.',
    start: '2023-02-08',
    due: '2023-12-29',
    responsible: ['ARACF'],
  }),
  a8: activity({
    number: 8,
    title: 'Divulgar los trámites y servicios en los canales presenciales y virtuales dispuestos por la Entidad',
    start: '2023-04-10',
    due: '2023-11-30',
    responsible: ['ASERA', 'ARCOM'],
  }),
  a9: activity({
    number: 9,
    title: 'Realizar divulgación de la convocatoria de la audiencia pública de Rendición de Cuentas',
    start: '2023-03-06',
    due: '2023-04-28',
    responsible: ['OAPLA', 'ARCOM'],
  }),
  a10: activity({
    number: 10,
    title: '10. Realizar audiencia pública de Rendición de Cuentas de manera virtual',
    start: '2023-04-10',
    due: '2023-07-28',
    responsible: ['OAPLA'],
  }),
  a11: activity({
    number: 11,
    title: '11. Realizar seguimiento mensual a los contenidos del sitio WEB.',
    start: '2022-02-01',
    due: '2023-11-30',
    responsible: ['ARCOM'],
    recurrence: { frequency: 'monthly', due: { rule: 'end-of-period' } },
  }),
  a12: activity({
    number: 12,
    title: '12. Responder las preguntas formuladas en el proceso de Rendición de Cuentas',
    start: '2023-04-24',
    due: '2023-07-14',
    responsible: ['ARACF'],
  }),
  a13: activity({
    number: 13,
    title: '13. Desarrollar ferias inmobiliarias virtuales o presenciales.',
    start: '2023-06-01',
    due: '2023-06-30',
    responsible: ['ARVIV'],
  }),
};

/** [key, date] pairs: the shape a reader checks against a wall calendar. */
export function dates(notices: readonly { key: string; date: string }[]): [string, string][] {
  return notices.map((n) => [n.key, n.date]);
}
