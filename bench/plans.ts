/**
 * The plans the benchmarks start: the seed itself, and larger plans made by repeating the seed's
 * activities. Big plans are built in memory and parsed with PlanSchema, as an importer's would be.
 */
import { join } from 'node:path';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { AreasDirectory } from '../plans/areas';
import { loadAreasFile, resolveAreasPath } from '../config/load-areas';
import { loadCalendar } from '../config/load-calendar';
import { REPO_ROOT } from '../config/paths';
import { importPlanFile } from '../plans/importers';
import { PlanSchema, type Plan, type PlanActivity } from '../plans/model';

export const SEED_FILE = join(REPO_ROOT, 'plans', 'examples', 'plan-participacion-ciudadana-2023.txt');

export interface Seed {
  plan: Plan;
  areas: AreasDirectory;
  calendar: BusinessCalendar;
}

export async function loadSeed(): Promise<Seed> {
  const calendar = loadCalendar();
  const { areas, errors: areaErrors } = loadAreasFile(resolveAreasPath(undefined));
  if (!areas || areaErrors.length > 0) throw new Error(`areas directory does not load: ${JSON.stringify(areaErrors)}`);
  const result = await importPlanFile(SEED_FILE, { areas, calendar });
  if (!result.plan || result.errors.length > 0) throw new Error(`the seed plan does not import: ${JSON.stringify(result.errors)}`);
  return { plan: result.plan, areas, calendar };
}

export interface GenerateOptions {
  id: string;
  /** Replaces every activity's dates, e.g. to make all kickoffs fall at one instant. */
  dates?: { start: string; due: string };
  /** Keep the seed's monthly activity monthly (default) or make every activity a single one. */
  recurrence?: boolean;
}

/** `count` activities cycling through the seed's, numbered 1..count, titles marked with their copy. */
export function generatePlan(seed: Plan, count: number, opts: GenerateOptions): Plan {
  const activities: PlanActivity[] = [];
  for (let i = 0; i < count; i++) {
    const source = seed.activities[i % seed.activities.length] as PlanActivity;
    const { line: _line, recurrence, ...rest } = source;
    const copy = Math.floor(i / seed.activities.length);
    activities.push({
      ...rest,
      ...(recurrence && opts.recurrence !== false ? { recurrence } : {}),
      ...(opts.dates ?? {}),
      number: i + 1,
      title: copy === 0 ? rest.title : `${rest.title} (copia ${copy})`,
    });
  }
  return PlanSchema.parse({ ...seed, id: opts.id, activities });
}
