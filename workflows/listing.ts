/**
 * What a period's workflow keeps in its search attributes so that the list pages, the reports and
 * the weekly digest read visibility alone and never wake a workflow with a query: title, start,
 * evidence count, last and next notice, beside status, due date and areas.
 *
 * Versioning: workflows started before LISTING_PATCH upserted status, due date and areas at each
 * status change, and nothing else. Under the patch the changes of one step are gathered and
 * written in one upsert (one history event, one visibility write) at the top of the main loop.
 */
import { SEARCH_ATTRIBUTES } from './shared';
import type { SearchAttributeUpdatePair } from '@temporalio/common';

export const LISTING_PATCH = 'list-attributes-v1';

/**
 * Temporal refuses a search attribute value over 2 KB (limit.searchAttributeSizeLimit's per-value
 * default); a title is plan text of up to a few hundred characters, clipped well under it in UTF-8.
 */
export const TITLE_MAX_BYTES = 1_500;

function utf8Bytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** The title cut at a whole character so that it fits TITLE_MAX_BYTES of UTF-8, with an ellipsis when cut. */
export function clipTitle(title: string, maxBytes = TITLE_MAX_BYTES): string {
  let bytes = 0;
  let out = '';
  for (const ch of title) {
    bytes += utf8Bytes(ch.codePointAt(0) ?? 0);
    if (bytes > maxBytes - 3) return `${out}…`;
    out += ch;
  }
  return out;
}

export interface ListingFacts {
  status: string;
  due: Date;
  areas: string[];
  title: string;
  start: string;
  evidence: number;
  lastNotice: Date | null;
  nextNotice: Date | null;
  /** Only under PROGRESS_PATCH, and once an area reported some. */
  progress?: number;
}

export function listingAttributes(f: ListingFacts): SearchAttributeUpdatePair[] {
  return [
    { key: SEARCH_ATTRIBUTES.status, value: f.status },
    { key: SEARCH_ATTRIBUTES.due, value: f.due },
    { key: SEARCH_ATTRIBUTES.areas, value: f.areas },
    { key: SEARCH_ATTRIBUTES.title, value: clipTitle(f.title) },
    { key: SEARCH_ATTRIBUTES.start, value: f.start },
    { key: SEARCH_ATTRIBUTES.evidence, value: f.evidence },
    { key: SEARCH_ATTRIBUTES.lastNotice, value: f.lastNotice },
    // Null removes it: a closed period, or one waiting for OAPLA's review, owes no notice.
    { key: SEARCH_ATTRIBUTES.nextNotice, value: f.nextNotice },
    ...(f.progress !== undefined ? [{ key: SEARCH_ATTRIBUTES.progress, value: f.progress }] : []),
  ];
}
