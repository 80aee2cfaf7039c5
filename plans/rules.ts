/**
 * The parts of the plan model that workflow code needs, without zod schemas.
 *
 * A workflow sandbox evaluates every module it imports once per cached workflow (see
 * workflows/shared-libraries.ts); importing plans/model.ts built the whole plan schema again in each
 * one. What workflows use (date and area checks, plan ids) lives here as plain values;
 * plans/model.ts builds its schemas from them and re-exports them. The notice policy and recurrence
 * live in calendar/policy.ts, with the schedule that reads them.
 */
/** Area codes are short capitals, as the plans write them (OAPLA, ARCOM, ...). */
export const AREA_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,15}$/;
/** A plan's id is a slug (it is the first segment of every workflow ID): `participacion-ciudadana-2023`. */
export const PLAN_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PLAN_ID_MAX = 64;
/**
 * An activity's workflow ID as workflows/shared.ts builds it: the plan's id, the activity's number,
 * and for one period of a recurring activity its month (`participacion-ciudadana-2023/11/2023-03`).
 * Built from the plan id's own pattern, so the two cannot drift apart.
 */
export const WORKFLOW_ID_PATTERN = new RegExp(`^${PLAN_ID_PATTERN.source.slice(1, -1)}/\\d{1,5}(?:/\\d{4}-\\d{2})?$`);
export const PLAN_ID_MESSAGE = 'El identificador del plan debe ser un slug: minúsculas, números y guiones.';
export const AREA_CODE_MESSAGE = 'El código de área debe ir en mayúsculas, p. ej. OAPLA.';
export const ISO_DATE_MESSAGE = 'Fecha inválida: se espera AAAA-MM-DD.';

/** True for a real calendar date written `YYYY-MM-DD` (no 31 April, no 29 February in a common year). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

// The notice policy and recurrence belong to the schedule (calendar/), which plans build on.
export {
  DEFAULT_NOTICE_POLICY,
  effectivePolicy,
  FREQUENCIES,
  FREQUENCY_MONTHS,
  type Frequency,
  type NoticePolicy,
  type NoticePolicyOverride,
  type Recurrence,
} from '../calendar/policy';
