/**
 * The progress an area reports on a period (a percentage and a note, with or without a deliverable)
 * and what the workflow publishes of it for the follow-up cuts (Decreto 124 de 2016: the PAAC is
 * followed up at 30 April, 31 August and 31 December).
 *
 * Versioning: PROGRESS_PATCH marks the runs that upsert `PlazosProgress` and the follow-up memo. The
 * reportProgress handler itself emits no command, so registering it on every run is safe to replay.
 *
 * Why a memo: the cut report lists thousands of periods with their last progress, note and evidence
 * links. Visibility returns each workflow's memo with the list, so one paginated List serves the whole
 * report, where a query per workflow would wake (and for closed ones, replay) every workflow. The memo
 * is not indexed; it holds plan text and area codes, never an address.
 */
import type { FollowUpMemo } from '../domain/listed-workflow';
import type { EvidenceRecord, ProgressRecord } from './shared';

// The memo's key and shape are read by the client and the cut-report activities too.
export { FOLLOW_UP_MEMO, type FollowUpMemo } from '../domain/listed-workflow';

export const PROGRESS_PATCH = 'progress-v1';

/**
 * Reports kept in the workflow. A history of a year holds a few dozen at most (three cuts, one report
 * a week would be 52); the bound keeps a runaway sender from growing the state and the query result.
 */
export const PROGRESS_HISTORY_MAX = 60;
/** Message-IDs remembered to drop a re-delivered reply; older than this many reports it is a new report. */
export const PROGRESS_SOURCES_MAX = 200;

/** In the memo: enough to place the progress at any cut of the year, clipped so a List page stays small. */
export const MEMO_PROGRESS_MAX = 24;
export const MEMO_EVIDENCE_MAX = 5;
export const MEMO_NOTE_MAX = 500;

function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function followUpMemo(progress: ProgressRecord[], evidence: EvidenceRecord[], closedAt: string | null): FollowUpMemo {
  return {
    progress: progress.slice(-MEMO_PROGRESS_MAX).map((p) => ({
      percent: p.percent,
      at: p.at,
      by: p.reportedBy,
      ...(p.note ? { note: clip(p.note, MEMO_NOTE_MAX) } : {}),
    })),
    evidence: evidence.slice(-MEMO_EVIDENCE_MAX).map((e) => ({
      id: e.id,
      at: e.receivedAt,
      ...(e.evidence.kind === 'url' ? { link: e.evidence.url } : { file: `${e.evidence.name} (sha256 ${e.evidence.sha256.slice(0, 12)})` }),
      ...(e.review ? { decision: e.review.decision } : {}),
    })),
    closedAt,
  };
}

/** Appends a report, dropping the oldest past the bound. */
export function keepProgress(history: ProgressRecord[], record: ProgressRecord): void {
  history.push(record);
  if (history.length > PROGRESS_HISTORY_MAX) history.splice(0, history.length - PROGRESS_HISTORY_MAX);
}
