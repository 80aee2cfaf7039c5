/**
 * When a period's run hands over, and what it carries (workflows/continue-as-new.ts), without a
 * server: the bounds are pure functions of the run's size and state.
 */
import {
  boundCarried,
  CALENDAR_CHANGES_MAX,
  CARRIED_BYTES_MAX,
  carriedBytes,
  continueAsNewReason,
  EVIDENCE_RECORDS_MAX,
  HISTORY_BYTES_MAX,
  HISTORY_EVENTS_MAX,
  SENT_RECORDS_MAX,
  UPDATES_PER_RUN_MAX,
} from '../../workflows/continue-as-new';
import { PROGRESS_HISTORY_MAX } from '../../workflows/progress';
import type { CarriedPeriodState, EvidenceRecord, ProgressRecord, SentNoticeRecord } from '../../workflows/shared';
import { seedActivity } from '../helpers/seed';

const small = { historyLength: 100, historySize: 50_000, continueAsNewSuggested: false };

function state(over: Partial<CarriedPeriodState> = {}): CarriedPeriodState {
  return {
    runs: 1,
    activity: seedActivity(13),
    status: 'active',
    statusBeforeCheck: 'active',
    due: '2023-07-14',
    revision: 0,
    horizon: 0,
    sentKeys: ['kickoff'],
    sent: [],
    evidence: [],
    progress: [],
    progressSources: [],
    calendarChanges: [],
    dropped: { evidence: 0, amended: 0 },
    lastNoticeAt: null,
    closedAt: null,
    ...over,
  };
}

const sent = (i: number, kind: SentNoticeRecord['kind'] = 'reminder'): SentNoticeRecord => ({
  key: `k${i}`,
  kind,
  at: '2023-06-01T08:00:00-05:00',
  to: ['ARCOM'],
  cc: [],
  idempotencyKey: `plan/13/k${i}/${kind}`,
});
const evidence = (i: number, note = 'Informe'): EvidenceRecord => ({
  id: `E${i}`,
  evidence: { kind: 'url', url: `https://entidad.gov.co/${'x'.repeat(2000)}/${i}.pdf` },
  note,
  submittedBy: 'ARCOM',
  receivedAt: '2023-06-01T10:00:00-05:00',
});
const progress = (i: number, note: string): ProgressRecord => ({ percent: i % 101, note, reportedBy: 'ARCOM', via: 'web', at: '2023-06-01T10:00:00-05:00' });

describe('a run hands over', () => {
  it('not while it is within every bound', () => {
    expect(continueAsNewReason(small, UPDATES_PER_RUN_MAX - 1)).toBeNull();
  });

  it('at its own bound of accepted updates, of history events or bytes, or when the server suggests it', () => {
    expect(continueAsNewReason(small, UPDATES_PER_RUN_MAX)).toMatch(/updates accepted/);
    expect(continueAsNewReason({ ...small, historyLength: HISTORY_EVENTS_MAX }, 0)).toMatch(/history events/);
    expect(continueAsNewReason({ ...small, historySize: HISTORY_BYTES_MAX }, 0)).toMatch(/history bytes/);
    expect(continueAsNewReason({ ...small, continueAsNewSuggested: true }, 0)).toMatch(/suggested/);
  });

  it('well under the caps at which Temporal refuses updates (2,000) or ends the run (51,200 events, 50 MB)', () => {
    expect(UPDATES_PER_RUN_MAX).toBeLessThanOrEqual(2_000 / 4);
    expect(HISTORY_EVENTS_MAX).toBeLessThanOrEqual(51_200 / 10);
    expect(HISTORY_BYTES_MAX).toBeLessThanOrEqual((50 * 1024 * 1024) / 10);
  });
});

describe('what a run carries', () => {
  it('keeps the newest records of each list, and counts the evidence and amendment mails it drops', () => {
    const s = state({
      sent: Array.from({ length: 3 * SENT_RECORDS_MAX }, (_, i) => sent(i, i % 10 === 0 ? 'amended' : 'reminder')),
      evidence: Array.from({ length: 50 }, (_, i) => evidence(i + 1)),
      calendarChanges: Array.from({ length: 30 }, (_, i) => ({ at: `2023-01-${String((i % 28) + 1).padStart(2, '0')}`, added: [], removed: [], moved: [] })),
    });
    const carried = boundCarried(s);
    expect(carried.sent).toHaveLength(SENT_RECORDS_MAX);
    expect(carried.sent[carried.sent.length - 1]).toEqual(s.sent[s.sent.length - 1]);
    expect(carried.dropped.amended).toBe(s.sent.slice(0, 2 * SENT_RECORDS_MAX).filter((r) => r.kind === 'amended').length);
    expect(carried.evidence.map((e) => e.id)).toEqual(s.evidence.slice(-EVIDENCE_RECORDS_MAX).map((e) => e.id));
    expect(carried.dropped.evidence).toBe(50 - EVIDENCE_RECORDS_MAX);
    expect(carried.calendarChanges).toHaveLength(CALENDAR_CHANGES_MAX);
    // The state it was given is left as it was.
    expect(s.sent).toHaveLength(3 * SENT_RECORDS_MAX);
  });

  it('stays under its byte budget when every text is at its longest, keeping the newest of each list', () => {
    const longNote = 'ñ'.repeat(2000);
    const s = state({
      progress: Array.from({ length: PROGRESS_HISTORY_MAX }, (_, i) => progress(i, longNote)),
      evidence: Array.from({ length: EVIDENCE_RECORDS_MAX }, (_, i) => evidence(i + 1, longNote)),
      sent: Array.from({ length: SENT_RECORDS_MAX }, (_, i) => sent(i)),
    });
    expect(carriedBytes(s)).toBeGreaterThan(CARRIED_BYTES_MAX);
    const carried = boundCarried(s);
    expect(carriedBytes(carried)).toBeLessThanOrEqual(CARRIED_BYTES_MAX);
    expect(carried.progress[carried.progress.length - 1]).toEqual(s.progress[s.progress.length - 1]);
    expect(carried.evidence[carried.evidence.length - 1]?.id).toBe(`E${EVIDENCE_RECORDS_MAX}`);
    expect(carried.dropped.evidence).toBe(EVIDENCE_RECORDS_MAX - carried.evidence.length);
  });

  it('of a usual period, is a few KB', () => {
    const usual = state({ sent: Array.from({ length: 12 }, (_, i) => sent(i)), evidence: [evidence(1)], progress: [progress(1, 'Avance del mes')] });
    expect(carriedBytes(boundCarried(usual))).toBeLessThan(16 * 1024);
  });
});
