/** The weekly digest's activities and what the worker needs to build them. */
export { createDigestActivities, type DigestActivities, type DigestDeps } from './activities';
export { loadDigestTemplates, type DigestTemplates } from './templates';
export * from './types';
