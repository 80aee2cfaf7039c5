/**
 * The business calendar the entity works by: Colombian public holidays plus the entity's own
 * non-working days from config/calendar.yaml (or PLAZOS_CALENDAR).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readBoundedFile, refusalMessage } from '../plans/importers/bounded-read';
import { parseYamlBounded, syntaxErrors, toJsBounded, yamlProblem } from '../plans/importers/yaml-located';
import { PLAN_LIMITS } from '../plans/limits';
import { z } from 'zod';
import { BusinessCalendar } from '../calendar/business-calendar';
import { IsoDateSchema } from '../plans/model';
import { REPO_ROOT } from './paths';

const CalendarFileSchema = z.object({
  nonWorkingDays: z
    .array(
      z.object({
        date: IsoDateSchema,
        name: z.string().trim().min(1, { message: 'Falta el nombre del día no laborable.' }).max(200),
        /** The act that declared it ('Decreto 1113 de 2024'), shown beside the date. */
        law: z.string().trim().min(1).max(200).optional(),
      }),
    )
    .default([]),
});

export class CalendarConfigError extends Error {}

export function resolveCalendarPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLAZOS_CALENDAR ?? join(REPO_ROOT, 'config', 'calendar.yaml');
}

export function loadCalendar(path = resolveCalendarPath()): BusinessCalendar {
  if (!existsSync(path)) return new BusinessCalendar();
  // The yaml parser reads dates as strings by default (YAML 1.2 core schema), as IsoDateSchema expects.
  const parsed = CalendarFileSchema.safeParse(readCalendarYaml(path) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CalendarConfigError(`${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'inválido'}`);
  }
  return new BusinessCalendar(undefined, parsed.data.nonWorkingDays);
}

/** The file's data, read within the limits every YAML input has (size, aliases, depth); a refusal says where. */
function readCalendarYaml(path: string): unknown {
  const read = readBoundedFile(path, PLAN_LIMITS.areasFileBytes);
  if (!read.ok) throw new CalendarConfigError(`${path}: ${refusalMessage(read, PLAN_LIMITS.areasFileBytes)}`);
  const { doc, counter, problems } = parseYamlBounded(new TextDecoder().decode(read.bytes).replace(/^\uFEFF/, ''));
  const syntax = syntaxErrors(doc, counter)[0];
  if (syntax) throw new CalendarConfigError(`${path}, línea ${syntax.line}: ${yamlProblem(syntax.code)}`);
  const refusal = problems.find((p) => p.kind === 'error');
  if (refusal) throw new CalendarConfigError(`${path}, línea ${refusal.line ?? '?'}: ${refusal.message}`);
  const js = toJsBounded(doc, counter);
  if (!js.ok) throw new CalendarConfigError(`${path}, línea ${js.line ?? '?'}: ${js.message}`);
  return js.data;
}
