/**
 * Evidence links for area leads, who have no account: the link itself is the credential.
 *
 * token = base64url(JSON {w, a, x}) + "." + base64url(HMAC-SHA256(secret, "w\na\nx"))
 *   w: the workflow of the activity (or of one period of a recurring one)
 *   a: the area code the link was issued to (the activity's lead area)
 *   x: the last day the link works (ISO date, Bogota)
 *
 * The link grants one thing: submitting evidence to that workflow as that area, until x. It is
 * built here, in the e-mail activity, because the activity holds the secret; the workflow history
 * never sees the secret and never stores the link (the input's `links` is filled after history).
 *
 * Pure: no clock and no I/O; the caller passes today's date and the key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { activityWorkflowId, periodWorkflowId } from '../../domain/ids';
import type { NoticeEmailInput, NoticeKind } from './types';
import { AREA_CODE_PATTERN } from '../../plans/rules';

export interface EvidenceGrant {
  workflowId: string;
  area: string;
  /** ISO date: the last day the link is accepted. */
  expires: string;
}

export interface LinkConfig {
  /** Public base URL of the web app, e.g. https://plazos.entidad.gov.co */
  baseUrl: string;
  secret: Buffer;
}

/** The notices that ask the area for its deliverable carry the link. */
export const KINDS_WITH_EVIDENCE_LINK: readonly NoticeKind[] = ['kickoff', 'reminder', 'due', 'escalation'];

/**
 * A notice cannot know when the activity will close (rejections and extensions move the due date),
 * so the link lives 30 days past the due date the notice announces; a later notice issues a new one.
 */
export const LINK_DAYS_AFTER_DUE = 30;

export type RefusalReason = 'malformed' | 'bad-signature' | 'expired';

function mac(secret: Buffer, grant: EvidenceGrant): Buffer {
  return createHmac('sha256', secret).update(`${grant.workflowId}\n${grant.area}\n${grant.expires}`).digest();
}

export function signEvidenceToken(grant: EvidenceGrant, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify({ w: grant.workflowId, a: grant.area, x: grant.expires })).toString('base64url');
  return `${body}.${mac(secret, grant).toString('base64url')}`;
}

function decode(token: string): EvidenceGrant | null {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined || token.length > 1000) return null;
  try {
    const raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { w, a, x } = raw;
    if (typeof w !== 'string' || typeof a !== 'string' || typeof x !== 'string') return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(x) || !AREA_CODE_PATTERN.test(a) || w.length > 300) return null;
    return { workflowId: w, area: a, expires: x };
  } catch {
    return null;
  }
}

/** Checks a token; `today` is an ISO date in the plan's zone. Constant-time on the signature. */
export function verifyEvidenceToken(token: string, secret: Buffer, today: string): { ok: true; grant: EvidenceGrant } | { ok: false; reason: RefusalReason } {
  const grant = decode(token);
  if (!grant) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(token.slice(token.indexOf('.') + 1), 'base64url');
  const expected = mac(secret, grant);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  // ISO dates compare as strings.
  if (today > grant.expires) return { ok: false, reason: 'expired' };
  return { ok: true, grant };
}

/** ISO date + n calendar days, without a clock. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The workflow a notice is about: the period's child for a recurring activity, else the activity's. */
export function noticeWorkflowId(input: NoticeEmailInput): string {
  const isPeriodChild = input.period !== null && input.idempotencyKey.startsWith(periodWorkflowId(input.plan.id, input.activity.number, input.period) + '/');
  return isPeriodChild ? periodWorkflowId(input.plan.id, input.activity.number, input.period!) : activityWorkflowId(input.plan.id, input.activity.number);
}

export function evidenceUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/evidencia/${token}`;
}

/** The notice with its evidence link filled in, for the kinds that ask for the deliverable. */
export function withEvidenceLink(input: NoticeEmailInput, links: LinkConfig | undefined): NoticeEmailInput {
  if (!links || !KINDS_WITH_EVIDENCE_LINK.includes(input.kind)) return input;
  const area = input.activity.responsible[0];
  if (!area) return input;
  const grant = { workflowId: noticeWorkflowId(input), area, expires: addDays(input.dueDate, LINK_DAYS_AFTER_DUE) };
  return { ...input, links: { ...input.links, evidence: evidenceUrl(links.baseUrl, signEvidenceToken(grant, links.secret)) } };
}
