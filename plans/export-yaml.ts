/**
 * Writes a plan as the canonical YAML file: the PlanSchema shape in a readable key order, with a
 * header that tells the planner how to edit it. `importYamlPlan` reads it back to the same plan
 * (source lines aside: they belong to the file the plan came from). Pure.
 */
import { Document, isScalar, isSeq, visit } from 'yaml';
import { importYamlPlan } from './importers/yaml';
import { megabytes, PLAN_LIMITS } from './limits';
import type { Plan, PlanActivity, PlanIssue } from './model';
import type { ImportOptions } from './validate';

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

/** Area lists read best on one line: `responsible: [OAPLA, ARCOM]`. */
function render(data: Record<string, unknown>, comment?: string): string {
  const doc = new Document(data);
  if (comment !== undefined) doc.commentBefore = comment;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'responsible' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

const EMPTY_LIST = 'activities: []\n';
const LIST_KEY = 'activities:\n';

/**
 * The canonical YAML in pieces: the plan's head, then each activity's item, as `exportPlanYaml`
 * joins them. Each piece is rendered on its own (an item inside `activities:` at the same
 * indentation, no line folding, no aliases), so a caller can count or write the file activity by
 * activity, and stop, without building the whole document: for 50,000 activities that document
 * took hundreds of megabytes.
 */
export function* exportPlanYamlParts(plan: Plan): Generator<string> {
  const head = render({ ...pick(plan, PLAN_ORDER), activities: [] }, header(plan));
  if (plan.activities.length === 0 || !head.endsWith(EMPTY_LIST)) {
    yield head;
    return;
  }
  yield `${head.slice(0, -EMPTY_LIST.length)}${LIST_KEY}`;
  for (const activity of plan.activities) {
    // `line` is left out: it points into the file the plan was imported from, not this one.
    yield render({ activities: [pick<PlanActivity>(activity, ACTIVITY_ORDER)] }).slice(LIST_KEY.length);
  }
}

export function exportPlanYaml(plan: Plan): string {
  return [...exportPlanYamlParts(plan)].join('');
}

/**
 * The canonical YAML of the plan, or what `plazos plan validate` would refuse in it, so that
 * `plan import` never writes a file that validate and start then refuse. The size limit is
 * checked as the file grows, activity by activity (a plan read from a 16 MB CSV can give a YAML
 * of 25 MB: every activity repeats its keys), and stops there; then the text is read back by the
 * YAML importer validate uses, with the output's name, so each refusal names the file, line and
 * field validate would name.
 */
export function exportCheckedPlanYaml(plan: Plan, opts: ImportOptions): { text: string } | { errors: PlanIssue[] } {
  const parts: string[] = [];
  let bytes = 0;
  for (const part of exportPlanYamlParts(plan)) {
    bytes += Buffer.byteLength(part, 'utf8');
    if (bytes > PLAN_LIMITS.fileBytes) {
      // Part 0 is the plan's head; part k is activity k.
      const activity = plan.activities[parts.length - 1];
      const where = activity ? ` (se pasa del máximo en la actividad ${activity.number})` : '';
      const message = `El plan en YAML pesaría más de ${megabytes(PLAN_LIMITS.fileBytes)}${where}, y el máximo que plazos lee de un plan es ${megabytes(PLAN_LIMITS.fileBytes)}: "plazos plan validate" y "plan start" lo rechazarían. Divida el plan en varios.`;
      return { errors: [{ file: opts.file, line: null, activity: activity?.number ?? null, field: 'file', message }] };
    }
    parts.push(part);
  }
  const text = parts.join('');
  const back = importYamlPlan(text, opts);
  return back.errors.length > 0 || !back.plan ? { errors: back.errors } : { text };
}
