/**
 * The business calendar the entity works by: Colombian public holidays plus the entity's own
 * non-working days from config/calendar.yaml (or PLAZOS_CALENDAR).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
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
  const parsed = CalendarFileSchema.safeParse(parse(readFileSync(path, 'utf8')) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CalendarConfigError(`${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'inválido'}`);
  }
  return new BusinessCalendar(undefined, parsed.data.nonWorkingDays);
}
