/**
 * The warning OAPLA sees on the portfolio, a plan and an activity when notices are not going out
 * (the mail server down, a login refused): how many, since when, why and what to change. Read from
 * plazos's store in one query per page; a store that cannot be read leaves the page without it.
 */
import type { FastifyRequest } from 'fastify';
import { readUnsent, unsentHeadline, unsentPerPlan, type UnsentNote, type UnsentReading } from '../client/unsent';
import type { Ctx } from './context';

export interface MailAlert {
  headline: string;
  /** The unsent notices the page is about: its activity's, or none on the lists (their rows say it). */
  notes: Pick<UnsentNote, 'workflowId' | 'text'>[];
}

export async function readMailState(ctx: Ctx, req: FastifyRequest, planId?: string): Promise<UnsentReading | null> {
  try {
    return await readUnsent(ctx.records, ctx.now(), planId !== undefined ? { planId } : {});
  } catch (err) {
    req.log.warn({ err }, 'unsent notices could not be read');
    return null;
  }
}

/** The banner for a page; with `workflowId`, the notices of that activity (and of its periods) are listed. */
export function mailAlertOf(reading: UnsentReading | null, workflowId?: string): MailAlert | null {
  const headline = reading && unsentHeadline(reading.summary);
  if (!reading || !headline) return null;
  const mine = workflowId === undefined ? [] : reading.notes.filter((n) => n.workflowId === workflowId || n.workflowId.startsWith(`${workflowId}/`));
  return { headline, notes: mine.map((n) => ({ workflowId: n.workflowId, text: n.text })) };
}

/**
 * How many notices of each plan are not going out, all of them (the store counts, not the page from
 * its bounded list); empty when the store cannot be read, as the banner is then absent too.
 */
export async function unsentByPlan(ctx: Ctx, req: FastifyRequest): Promise<Map<string, number>> {
  try {
    return await unsentPerPlan(ctx.records, ctx.now());
  } catch (err) {
    req.log.warn({ err }, 'unsent notices per plan could not be read');
    return new Map();
  }
}
