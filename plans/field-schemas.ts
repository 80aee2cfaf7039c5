/**
 * The two field schemas that workflow code parses messages with (area codes and dates). Apart
 * from plans/model.ts so that a workflow, which evaluates what it imports once per cached workflow,
 * builds these two and not the whole plan schema (see plans/rules.ts).
 */
import { z } from 'zod';
import { AREA_CODE_MESSAGE, AREA_CODE_PATTERN, ISO_DATE_MESSAGE, isIsoDate } from './rules';

/** Area codes are short capitals, as the plans write them (OAPLA, ARCOM, ...). */
export const AreaCodeSchema = z.string().regex(AREA_CODE_PATTERN, { message: AREA_CODE_MESSAGE });
export type AreaCode = z.infer<typeof AreaCodeSchema>;

/**
 * A calendar date without time, `YYYY-MM-DD`. Times of day come from the notice policy.
 * Not `z.iso.date()`: inside Temporal's workflow bundle it resolves to a check that wants a Date
 * object and refuses every string (seen with zod 4.6 and the SDK's webpack), and workflow update
 * validators parse with this schema.
 */
export const IsoDateSchema = z.string().refine(isIsoDate, { message: ISO_DATE_MESSAGE });
export type IsoDate = z.infer<typeof IsoDateSchema>;
