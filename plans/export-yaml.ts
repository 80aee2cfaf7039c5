/**
 * Writes a plan as the canonical YAML file: the PlanSchema shape in a readable key order, with a
 * header that tells the planner how to edit it. `importYamlPlan` reads it back to the same plan
 * (source lines aside: they belong to the file the plan came from). Pure.
 */
import { Document, isScalar, isSeq, visit } from 'yaml';
import type { Plan, PlanActivity } from './model';

const PLAN_ORDER = [
  'id',
  'title',
  'entity',
  'year',
  'version',
  'versionDate',
  'owner',
  'timezone',
  'preparedBy',
  'reviewedBy',
  'preamble',
  'policy',
  'followUpCuts',
] as const;

const ACTIVITY_ORDER = ['number', 'title', 'start', 'due', 'responsible', 'deliverable', 'recurrence', 'policy'] as const;

function pick<T extends object>(source: T, keys: readonly (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key as string] = source[key];
  return out;
}

function header(plan: Plan): string {
  return [
    ` Plan "${plan.title}" (${plan.id}), en el formato de plazos.`,
    ' Edítelo y valídelo con: plazos plan validate <este archivo>',
    ' Fechas AAAA-MM-DD. responsible: códigos del directorio de áreas; el primero lidera y recibe los avisos.',
    ' recurrence (opcional): frequency monthly | bimonthly | quarterly | semiannual;',
    '   due: {rule: end-of-period} o {rule: business-days-after, days: N}.',
  ].join('\n');
}

export function exportPlanYaml(plan: Plan): string {
  const data = {
    ...pick(plan, PLAN_ORDER),
    // `line` is left out: it points into the file the plan was imported from, not this one.
    activities: plan.activities.map((a) => pick<PlanActivity>(a, ACTIVITY_ORDER)),
  };
  const doc = new Document(data);
  doc.commentBefore = header(plan);
  // Area lists read best on one line: `responsible: [OAPLA, ARCOM]`.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'responsible' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
