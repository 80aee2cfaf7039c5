/**
 * The clauses of the visibility queries plazos sends, built from the search attributes' own
 * definitions (workflows/shared.ts), never from names spelled again as text. A value is a plan id or
 * an area code, but a quote or a backslash must still never end the string.
 */
import { SEARCH_ATTRIBUTES } from '../workflows/shared';

const quoted = (value: string) => `"${value.replace(/["\\]/g, '')}"`;

/** Every workflow of every plan (the digest and cut workflows carry no plan attribute). */
export const ANY_PLAN = `${SEARCH_ATTRIBUTES.plan.name} IS NOT NULL`;

export function planIs(planId: string): string {
  return `${SEARCH_ATTRIBUTES.plan.name} = ${quoted(planId)}`;
}

/** A keyword list matches when any of its values is the one given. */
export function areaIs(area: string): string {
  return `${SEARCH_ATTRIBUTES.areas.name} = ${quoted(area)}`;
}

/** Any of these areas; at least one (no query can say "none", so the caller reads nothing instead). */
export function areaIn(areas: readonly string[]): string {
  if (areas.length === 0) throw new Error('areaIn needs at least one area');
  return areas.length === 1 ? areaIs(areas[0] as string) : `(${areas.map(areaIs).join(' OR ')})`;
}

export function statusIs(status: string): string {
  return `${SEARCH_ATTRIBUTES.status.name} = ${quoted(status)}`;
}
