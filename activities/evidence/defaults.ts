/** Limits a deployment starts from; config may override each one. */
import { DEFAULT_ARCHIVE_DEPTH, type ArchiveLimits } from '../../plans/importers/archive';
import { DEFAULT_ALLOWED_MEDIA_TYPES } from './media-types';
import type { EvidenceLimits } from './types';

export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = {
  // Scanned signed minutes are the largest usual evidence; 25 MB also matches common mail limits.
  maxBytes: 25 * 1024 * 1024,
  allowedMediaTypes: DEFAULT_ALLOWED_MEDIA_TYPES,
  urlTimeoutMs: 15_000,
  maxRedirects: 5,
  allowPrivateNetworks: false,
};

/**
 * What an archive handed in as evidence (.zip, .docx, .xlsx, .pptx, .odt, .ods) may expand to,
 * for an upload limit of `maxBytes`. Office files and scans barely compress (the JPEG and PDF
 * inside are compressed already): a 25 MB .docx expands to about 30 MB. Ten times the upload
 * limit leaves room for zipped text and CSV, and refuses a zip bomb before it is stored; the
 * budget is for the whole file, archives inside it included.
 *
 * Archives inside are opened two levels deep (a .zip of Word files with embedded workbooks), and
 * one may be no larger than a file the person could have uploaded on its own: held in memory to
 * be checked, the inner archives then cost at most twice the upload limit.
 */
export function evidenceArchiveLimits(maxBytes: number): Required<ArchiveLimits> {
  return { maxExpandedBytes: 10 * maxBytes, maxEntries: 10_000, maxDepth: DEFAULT_ARCHIVE_DEPTH, maxNestedBytes: maxBytes };
}
