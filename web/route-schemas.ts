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

/**
 * The bodies of the dashboard's urlencoded forms: strings of a bounded length, checked by fastify
 * before the handler runs, so a handler reads typed fields. What the values mean (a reason, a date)
 * is checked by the workflow's own schemas, which word the refusal for the page.
 */
export const SIGN_IN_BODY = {
  type: 'object',
  properties: {
    usuario: { type: 'string', maxLength: 256 },
    clave: { type: 'string', maxLength: 4096 },
    volver: { type: 'string', maxLength: 4096 },
  },
} as const;

export const ACTION_BODY = {
  type: 'object',
  required: ['id', 'accion'],
  properties: {
    id: { type: 'string', maxLength: 256 },
    accion: { type: 'string', enum: ['approve', 'reject', 'extend', 'cancel'] },
    motivo: { type: 'string', maxLength: 8192 },
    fecha: { type: 'string', maxLength: 64 },
  },
} as const;

export const FEED_BODY = {
  type: 'object',
  properties: { area: { type: 'string', maxLength: 64 } },
} as const;
