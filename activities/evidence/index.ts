/** Evidence: the content-addressed store and the `checkEvidence` activity. */
export { createEvidenceActivities, type EvidenceActivityDeps } from './activities';
export { createEvidenceStore, EvidenceTooLargeError } from './store';
export type { EvidenceStore, PutOptions, StoredFile, VerifyResult } from './store';
export { isBlockedAddress, type AddressPolicy } from './address-policy';
export { DEFAULT_ALLOWED_MEDIA_TYPES, isAllowedMediaType, isArchiveType, matchesMagic, MEDIA_TYPE_LABELS, mediaTypeForFile, SNIFF_BYTES } from './media-types';
export { DEFAULT_EVIDENCE_LIMITS, evidenceArchiveLimits } from './defaults';
export { checkArchive, type ArchiveCheck, type ArchiveLimits } from '../../plans/importers/archive';
export { evidenceMessage } from './messages';
export { parseProgress, PROGRESS_TEXT_MAX_CHARS } from './progress-text';
export { systemResolveHost, type ResolveHost } from './url-check';
export * from './types';
export { checkUpload, fileNameProblem, readUpload, type UploadCheck } from './upload-check';
