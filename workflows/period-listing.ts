/**
 * The upkeep of a period's search attributes and follow-up memo, which the list pages, the reports
 * and the digest read instead of querying the workflow (workflows/listing.ts says what is listed).
 *
 * Versioning: each `patched` call below is a marker in the history of a run that is not replaying
 * an older one, so the calls keep their order and their short-circuits; moving them changes the
 * commands a run writes and breaks replay of recorded histories.
 */
import { patched, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { dateAttribute, instantAttribute } from './clock';
import { LISTING_PATCH, listingAttributes } from './listing';
import { FOLLOW_UP_MEMO, followUpMemo, PROGRESS_PATCH } from './progress';
import { isClosed, SEARCH_ATTRIBUTES } from './shared';
import type { PeriodState } from './period-state';

export class PeriodListing {
  /** Under LISTING_PATCH: something the search attributes show changed since the last upsert. */
  private stale = false;
  /** Under PROGRESS_PATCH: progress, evidence or the outcome changed since the follow-up memo was written. */
  private followUpStale = false;

  constructor(private readonly state: PeriodState) {}

  /** Whether this run keeps the list pages' attributes (LISTING_PATCH); false while replaying an older run. */
  enabled(): boolean {
    return this.state.input.searchAttributes === true && patched(LISTING_PATCH);
  }

  /** Under LISTING_PATCH, the attributes are written again at the next flush. */
  changed(): void {
    if (this.enabled()) this.stale = true;
  }

  /** Whether this run publishes progress and the follow-up memo (PROGRESS_PATCH); false while replaying an older run. */
  private followUp(): boolean {
    return this.enabled() && patched(PROGRESS_PATCH);
  }

  followUpChanged(): void {
    if (!this.state.input.searchAttributes) return;
    this.followUpStale = true;
    this.stale = this.stale || this.enabled();
  }

  /** Before LISTING_PATCH each change was upserted at once; under it, once per step of the loop. */
  attributesChanged(): void {
    if (this.enabled()) this.stale = true;
    else this.upsertAttributes();
  }

  flush(): void {
    if (!this.stale) return;
    this.stale = false;
    const s = this.state;
    const next = s.pausedForEvidence() || isClosed(s.status) ? null : s.nextNotice();
    const followUp = this.followUp();
    const last = s.progress[s.progress.length - 1];
    upsertSearchAttributes(
      listingAttributes({
        status: s.status,
        due: dateAttribute(s.due, s.input.plan.timezone),
        areas: s.activity.responsible,
        title: s.activity.title,
        start: s.period.start,
        evidence: s.evidenceCount(),
        lastNotice: s.lastNoticeAt ? instantAttribute(s.lastNoticeAt) : null,
        nextNotice: next ? instantAttribute(next.at) : null,
        ...(followUp && last ? { progress: last.percent } : {}),
      }),
    );
    if (followUp && this.followUpStale) {
      this.followUpStale = false;
      upsertMemo({ [FOLLOW_UP_MEMO]: followUpMemo(s.progress, s.evidence, s.closedAt) });
    }
  }

  /** The attributes as workflows started before LISTING_PATCH upsert them, at each change. */
  private upsertAttributes(): void {
    const s = this.state;
    if (!s.input.searchAttributes) return;
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.status, value: s.status },
      { key: SEARCH_ATTRIBUTES.due, value: dateAttribute(s.due, s.input.plan.timezone) },
      { key: SEARCH_ATTRIBUTES.areas, value: s.activity.responsible },
    ]);
  }
}
