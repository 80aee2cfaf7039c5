/**
 * Reads what the digest lists from Temporal: visibility narrows the plan's running workflows to
 * those in review or due by the horizon; each of those is then asked its status (title, period,
 * the current due date), since visibility is eventually consistent and carries no titles. The
 * question has a deadline (client/status.ts), so a busy or absent worker cannot hold the digest.
 */
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../../calendar/business-calendar';
import { DIGEST_HORIZON_DAYS, digestContent, type DigestContent, type DigestEntry } from '../../calendar/digest';
import { readStatus, type IndexedStatus } from '../../client/status';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import type { CollectDigestInput } from './types';

/** Visibility queries quote the plan id; plan ids are slugs, but a quote must never end the string. */
function planClause(planId: string): string {
  return `PlazosPlan = "${planId.replace(/["\\]/g, '')}"`;
}

const REVIEW = new Set(['checking', 'in-review']);

async function candidates(client: Client, input: CollectDigestInput, horizon: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `${planClause(input.planId)} AND ExecutionStatus = "Running"` })) {
    const status = wf.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status);
    const due = wf.typedSearchAttributes.get(SEARCH_ATTRIBUTES.due);
    const dueDate = due ? DateTime.fromJSDate(due, { zone: input.timezone }).toISODate() : null;
    if ((status && REVIEW.has(status)) || (dueDate && dueDate <= horizon)) ids.push(wf.workflowId);
  }
  return ids;
}

/** No person waits on the digest, so the worker gets longer than on a page (the soak run's p95 was 8.5 s). */
export const DIGEST_STATUS_DEADLINE_MS = 10_000;

async function entryOf(client: Client, workflowId: string): Promise<DigestEntry | null> {
  const reading = await readStatus(client, workflowId, { deadlineMs: DIGEST_STATUS_DEADLINE_MS });
  if (!reading) return null;
  if (reading.source === 'index') return indexedEntry(reading.index);
  const status = reading.status;
  // A recurring activity's own workflow only holds its periods; each period is listed on its own.
  if (status.kind !== 'period') return null;
  return {
    workflowId,
    activity: status.activity.number,
    period: status.period,
    title: status.activity.title,
    responsible: status.activity.responsible,
    due: status.due,
    status: status.status,
  };
}

/**
 * When the worker does not answer (the digest runs at 08:00 on Mondays, with the week's notices),
 * the same entry from what the server keeps: describe() reads the workflow's own state, not the
 * lagging visibility store, so status and due date are current; the title is the one the activity
 * started with. Only a recurring activity's own workflow lacks a due date: it lists no entry.
 */
function indexedEntry(index: IndexedStatus): DigestEntry | null {
  if (!index.status || !index.due || index.activity === null) return null;
  return {
    workflowId: index.workflowId,
    activity: index.activity,
    period: index.period,
    title: index.startedAs?.title ?? '',
    responsible: index.areas,
    due: index.due,
    status: index.status,
  };
}

export async function collectDigestContent(client: Client, calendar: BusinessCalendar, input: CollectDigestInput): Promise<DigestContent> {
  const horizon = calendar.addBusinessDays(input.today, DIGEST_HORIZON_DAYS);
  const ids = await candidates(client, input, horizon);
  const entries: DigestEntry[] = [];
  // A few queries at a time: each may replay a workflow the worker had evicted from its cache.
  for (let i = 0; i < ids.length; i += 8) {
    const batch = await Promise.all(ids.slice(i, i + 8).map((id) => entryOf(client, id)));
    entries.push(...batch.filter((e): e is DigestEntry => e !== null));
  }
  const missed = await client.workflow.count(`${planClause(input.planId)} AND PlazosStatus = "missed"`);
  return digestContent(entries, input.today, calendar, missed.count);
}
