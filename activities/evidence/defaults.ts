/** Limits a deployment starts from; config may override each one. */
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
