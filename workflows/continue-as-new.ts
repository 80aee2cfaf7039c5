/**
 * When a period's run hands over to a new one, and how much of its state travels. Pure functions and
 * constants: workflows/period.ts asks them at a quiet point of its loop.
 *
 * Why a period continues as new at all: it accepts updates from outside (evidence and progress from
 * the areas' links and replies, OAPLA's decisions). Temporal caps one run at 2,000 accepted updates
 * (`limit.workflowExecution.maxTotalUpdates`; past it every update, OAPLA's too, is refused with
 * FAILED_PRECONDITION) and cuts a history at 51,200 events or 50 MB. A flood of progress reports
 * through one link reached those caps in under two minutes. Each run therefore stops far short of
 * them and starts a fresh history with its state in the new run's input.
 *
 * Versioning: CONTINUE_AS_NEW_PATCH is asked only once a bound is reached. A history recorded before
 * this code never reached one, or, if it did, replays with the patch absent and keeps the old path;
 * a run still going when this code is deployed gets the patch the first time it reaches a bound live.
 * A recorded run hands over where its marker is, so a bound may be lowered and still replay; raising
 * one makes the recorded hand-overs come too early (test/replay/histories/v6 fails): a new patch.
 */
import type { CarriedPeriodState } from './shared';

export const CONTINUE_AS_NEW_PATCH = 'continue-as-new-v1';

/**
 * Accepted updates per run: a quarter of Temporal's 2,000, so the run hands over long before the
 * server refuses anything (it suggests continuing at 90 %). A real period takes a few dozen in a year.
 */
export const UPDATES_PER_RUN_MAX = 500;

/**
 * Updates from the areas (progress, evidence) a run accepts before its validators refuse more. A run
 * hands over only at a quiet point; while a mail is retried (SMTP down: up to two days) or evidence is
 * checked, it cannot, and a flood would otherwise reach Temporal's 2,000. This keeps the other 1,000
 * for OAPLA's decisions (review, extension, amendment, calendar), which are never refused for it.
 */
export const AREA_UPDATES_PER_RUN_MAX = 1_000;

/**
 * History events per run: a tenth of the 51,200 at which Temporal terminates a run, and under its
 * 10,240-event warning. A period that only sends its notices writes a few hundred in a year.
 */
export const HISTORY_EVENTS_MAX = 5_000;

/** History bytes per run: a tenth of the 50 MB cut and half of the 10 MB warning. */
export const HISTORY_BYTES_MAX = 5 * 1024 * 1024;

/**
 * Mails a run carries in its record. A period sends about seven scheduled notices per due date and
 * three mails per evidence round; a hundred covers a year of extensions and rejections.
 */
export const SENT_RECORDS_MAX = 100;

/** Evidence records carried: each can hold a 2,000-character note, a 2,048-character link and a review. */
export const EVIDENCE_RECORDS_MAX = 20;

/** Calendar changes carried: one a year is usual (a law, a día cívico); each can list many days. */
export const CALENDAR_CHANGES_MAX = 10;

/**
 * The carried state, as JSON in UTF-8, at most. Temporal warns at 512 KB and refuses 2 MB per payload;
 * the rest of the input (plan, activity, calendar) is what the first run started with. The count
 * bounds above keep a usual period at a few KB; this one holds when every text is at its longest.
 */
export const CARRIED_BYTES_MAX = 256 * 1024;

export interface RunSize {
  historyLength: number;
  historySize: number;
  continueAsNewSuggested: boolean;
}

/** Why this run should hand over now, or null while it is within its bounds. */
export function continueAsNewReason(run: RunSize, acceptedUpdates: number): string | null {
  if (acceptedUpdates >= UPDATES_PER_RUN_MAX) return `${acceptedUpdates} updates accepted`;
  if (run.historyLength >= HISTORY_EVENTS_MAX) return `${run.historyLength} history events`;
  if (run.historySize >= HISTORY_BYTES_MAX) return `${run.historySize} history bytes`;
  // The server's own suggestion (at 4,096 events or 4 MB by default, or near its update cap).
  if (run.continueAsNewSuggested) return 'suggested by the server';
  return null;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export function carriedBytes(state: CarriedPeriodState): number {
  return utf8Length(JSON.stringify(state));
}

/**
 * The state bounded for the next run: the newest records of each list, oldest dropped first, then,
 * while the whole is over CARRIED_BYTES_MAX, the oldest record of whichever list weighs most (each
 * keeps its newest). Dropped evidence and amendment mails are counted, so ids and keys go on unique.
 */
export function boundCarried(state: CarriedPeriodState): CarriedPeriodState {
  const out: CarriedPeriodState = {
    ...state,
    sent: [...state.sent],
    evidence: [...state.evidence],
    progress: [...state.progress],
    calendarChanges: [...state.calendarChanges],
    dropped: { ...state.dropped },
  };
  const dropSent = () => {
    const gone = out.sent.shift();
    if (gone?.kind === 'amended') out.dropped.amended++;
  };
  const dropEvidence = () => {
    out.evidence.shift();
    out.dropped.evidence++;
  };
  while (out.sent.length > SENT_RECORDS_MAX) dropSent();
  while (out.evidence.length > EVIDENCE_RECORDS_MAX) dropEvidence();
  while (out.calendarChanges.length > CALENDAR_CHANGES_MAX) out.calendarChanges.shift();

  const lists = [
    { items: () => out.sent, drop: dropSent },
    { items: () => out.evidence, drop: dropEvidence },
    { items: () => out.progress, drop: () => void out.progress.shift() },
    { items: () => out.calendarChanges, drop: () => void out.calendarChanges.shift() },
  ];
  while (carriedBytes(out) > CARRIED_BYTES_MAX) {
    const candidates = lists.filter((l) => l.items().length > 1);
    if (candidates.length === 0) break;
    const heaviest = candidates.reduce((a, b) => (JSON.stringify(b.items()).length > JSON.stringify(a.items()).length ? b : a));
    heaviest.drop();
  }
  return out;
}
