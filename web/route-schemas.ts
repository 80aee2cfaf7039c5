/**
 * Route input that fastify checks before a handler runs: a request whose path names no plan or
 * area that could exist never reaches the handler, and gets the same 404 page whatever the route.
 */
import { AREA_CODE_PATTERN, PLAN_ID_MAX, PLAN_ID_PATTERN } from '../plans/rules';

export const PLAN_PARAMS = {
  type: 'object',
  required: ['plan'],
  properties: { plan: { type: 'string', pattern: PLAN_ID_PATTERN.source, maxLength: PLAN_ID_MAX } },
} as const;

export const AREA_PARAMS = {
  type: 'object',
  required: ['area'],
  properties: { area: { type: 'string', pattern: AREA_CODE_PATTERN.source } },
} as const;
