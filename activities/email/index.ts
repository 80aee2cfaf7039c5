/** The e-mail activities and what the worker needs to build them. */
export { createEmailActivities, KINDS_ACCEPTING_REPLIES, type EmailActivities, type EmailDeps, type ReplyConfig } from './activities';
export { createReplyRegistry, type ReplyRegistry, type ReplyTarget } from './reply-registry';
export { loadTemplates, type Templates, type RenderedEmail } from './templates';
export { sentLedger, type SentLedger } from './sent-ledger';
export { NoticeEmailInputSchema } from './input-schema';
export * from './types';
export { withEvidenceLink, signEvidenceToken, verifyEvidenceToken, type EvidenceGrant, type LinkConfig } from './links';
