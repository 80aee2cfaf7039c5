/** Evidence: the content-addressed store and the `checkEvidence` activity. */
export { createEvidenceActivities, type EvidenceActivityDeps } from './activities';
export { createEvidenceStore, EvidenceTooLargeError } from './store';
export type { EvidenceStore, PutOptions, StoredFile, VerifyResult } from './store';
export { isBlockedAddress, type AddressPolicy } from './address-policy';
export { DEFAULT_ALLOWED_MEDIA_TYPES, isAllowedMediaType, matchesMagic, mediaTypeForFile } from './media-types';
export { DEFAULT_EVIDENCE_LIMITS } from './defaults';
export { evidenceMessage } from './messages';
export { systemResolveHost, type ResolveHost } from './url-check';
export * from './types';
