/**
 * The canonical plan file: YAML in exactly the PlanSchema shape (what `exportPlanYaml` writes).
 * Each issue names the YAML line of its activity, so a planner finds it in the editor. Pure.
 *
 * Fields are checked one by one, so a wrong type in one field does not hide the problems of the
 * others. A syntax error gives no plan at all: after a broken indentation the keys the parser
 * recovers may belong to the wrong activity, and a plan that is silently wrong is worse than none.
 */
import { isMap, isSeq } from 'yaml';
import { z } from 'zod';
import { NoticePolicyOverrideSchema, PlanSchema, RecurrenceSchema, type ImportResult } from '../model';
import { utcDateToIso } from '../dates';
import { buildPlan, IssueCollector, ZOD_SPANISH, type ImportOptions, type PlanMeta, type RawActivity } from '../validate';
import type { PlanField } from '../model';
import { locator, parseYamlBounded, syntaxErrors, toJsBounded, valueAt, yamlProblem, type Located } from './yaml-located';
import { guardText } from './text-guard';
import { PLAN_LIMITS } from '../limits';

const DateText = z.union([z.string(), z.date()], { error: 'se espera una fecha AAAA-MM-DD' });

/** One schema per activity key, so each field is judged on its own. */
const ACTIVITY_FIELDS = {
  number: z.number().int().min(1),
  title: z.string(),
  start: DateText,
  due: DateText,
  responsible: z.union([z.array(z.string()), z.string()], { error: 'se espera una lista de códigos de área, p. ej. [OAPLA, ARCOM]' }),
  deliverable: z.string(),
  recurrence: RecurrenceSchema,
  policy: NoticePolicyOverrideSchema,
} as const;
type ActivityKey = keyof typeof ACTIVITY_FIELDS;
const ACTIVITY_KEYS = Object.keys(ACTIVITY_FIELDS) as ActivityKey[];

const PlanMetaSchema = PlanSchema.omit({ activities: true });
const PLAN_KEYS = Object.keys(PlanSchema.shape);

function shown(value: unknown): string {
  if (value === undefined) return '';
  const text = JSON.stringify(value instanceof Date ? utcDateToIso(value) : value);
  return ` (${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

function zodMessage(path: PropertyKey[], value: unknown, message: string): string {
  return `Valor inválido en "${path.join('.')}"${shown(value)}: ${message.replace(/\.$/, '')}.`;
}

/** Text fields have passed their schema: a string, or a Date for YAML 1.1 timestamps. */
function asText(value: string | Date): string {
  return value instanceof Date ? (utcDateToIso(value) ?? '') : value;
}

type FieldValue<K extends ActivityKey> = z.output<(typeof ACTIVITY_FIELDS)[K]>;

/** Reads one activity item into a raw activity, reporting wrong types and unknown keys. */
function readItem(item: unknown, position: number, line: number | null, issues: IssueCollector): RawActivity {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    issues.error(line, position, 'plan', `La actividad ${position} debe ser un mapa con title, start, due, responsible y deliverable.`);
    return { line, position, rejected: true };
  }
  const obj = item as Record<string, unknown>;
  for (const key of Object.keys(obj).filter((k) => !(ACTIVITY_KEYS as string[]).includes(k))) {
    issues.warn(line, position, 'plan', `Clave desconocida "${key}" en la actividad: se ignora.`);
  }
  const failed = new Set<ActivityKey>();
  const read = <K extends ActivityKey>(key: K): FieldValue<K> | undefined => {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    // TypeScript cannot relate a schema picked by a generic key to that key's output type.
    const schema = ACTIVITY_FIELDS[key] as unknown as z.ZodType<FieldValue<K>>;
    const parsed = schema.safeParse(value, ZOD_SPANISH);
    if (parsed.success) return parsed.data;
    failed.add(key);
    for (const issue of parsed.error.issues) {
      issues.error(line, position, key, zodMessage([key, ...issue.path], valueAt(value, issue.path), issue.message));
    }
    return undefined;
  };
  // A missing key reads as empty, so the shared checks say what is missing; a wrong one was
  // reported just now and stays undefined, so it is not reported twice.
  const text = (key: 'title' | 'start' | 'due' | 'deliverable') => {
    const value = read(key);
    return value !== undefined ? asText(value) : failed.has(key) ? undefined : '';
  };
  const raw: RawActivity = {
    line,
    position,
    shownNumber: read('number') ?? null,
    title: text('title'),
    start: text('start'),
    due: text('due'),
    responsible: read('responsible') ?? (failed.has('responsible') ? undefined : ''),
    deliverable: text('deliverable'),
    recurrence: read('recurrence'),
    policy: read('policy'),
  };
  return failed.size > 0 ? { ...raw, rejected: true } : raw;
}

function readMeta(data: Record<string, unknown>, at: Located, issues: IssueCollector): PlanMeta | null {
  for (const key of Object.keys(data).filter((k) => !PLAN_KEYS.includes(k))) {
    issues.warn(at([key]), null, 'plan', `Clave desconocida "${key}" en el plan: se ignora.`);
  }
  const { activities: _activities, ...rest } = data;
  const parsed = PlanMetaSchema.safeParse(rest, ZOD_SPANISH);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const path = issue.path as (string | number)[];
    issues.error(at(path), null, path[0] === 'policy' ? 'policy' : 'plan', zodMessage(path, valueAt(rest, path), issue.message));
  }
  return null;
}

/** The field a YAML value is about: its key when that is an activity's field, else the plan. */
function fieldOfKey(key: string | null): PlanField {
  return key !== null && (ACTIVITY_KEYS as string[]).includes(key) && key !== 'number' ? (key as PlanField) : 'plan';
}

export function importYamlPlan(text: string, opts: ImportOptions): ImportResult {
  const issues = new IssueCollector(opts.file);
  const refused = () => ({ plan: null, errors: issues.errors, warnings: issues.warnings });
  const guarded = guardText(text, issues, PLAN_LIMITS.yamlLines);
  if (guarded === null) return refused();
  const { doc, counter, problems } = parseYamlBounded(guarded);
  if (doc.errors.length > 0) {
    for (const { line, code } of syntaxErrors(doc, counter)) {
      issues.error(line, null, 'file', `El archivo YAML no es válido en la línea ${line}: ${yamlProblem(code)}.`);
    }
    return refused();
  }
  for (const p of problems) issues[p.kind === 'error' ? 'error' : 'warn'](p.line, null, fieldOfKey(p.key), p.message);
  if (issues.errors.length > 0) return refused();
  if (!isMap(doc.contents)) {
    issues.error(1, null, 'plan', 'El archivo YAML debe describir un plan: un mapa con id, title, year y activities.');
    return refused();
  }
  const js = toJsBounded(doc, counter);
  if (!js.ok) {
    issues.error(js.line, null, 'file', js.message);
    return refused();
  }
  const at = locator(doc, counter);
  const data = js.data as Record<string, unknown>;
  let meta = readMeta(data, at, issues);
  // The caller's explicit id wins, as it does for the tabular formats' derived one.
  if (meta && opts.id !== undefined) meta = { ...meta, id: opts.id };
  const list = doc.getIn(['activities'], true);
  if (!isSeq(list)) {
    issues.error(at(['activities']), null, 'plan', 'Falta la lista de actividades ("activities:" con un elemento "- " por actividad).');
    meta = null;
  }
  const items = Array.isArray(data.activities) ? (data.activities as unknown[]) : [];
  const raws = items.map((item, i) => readItem(item, i + 1, at(['activities', i]), issues));
  const year = typeof data.year === 'number' && Number.isInteger(data.year) ? data.year : null;
  const ctx = { file: opts.file, areas: opts.areas, calendar: opts.calendar, year, inferRecurrence: false };
  return buildPlan(meta, raws, ctx, issues);
}
