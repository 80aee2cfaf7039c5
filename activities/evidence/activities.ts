/**
 * The `checkEvidence` Temporal activity. Its result goes into the workflow history, so it is a
 * plain value, and a failed check is a result (`ok: false`), not an error: retrying would not
 * fix a wrong link. Logs carry codes and hashes only, never a link (its query string may hold
 * tokens) nor a file name (it may hold a person's name).
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { assertValidAddressList } from './address-policy';
import { checkFile } from './file-check';
import { evidenceMessage, type MessageDetails } from './messages';
import type { EvidenceStore } from './store';
import {
  EvidenceInputSchema,
  type EvidenceCheck,
  type EvidenceCheckCode,
  type EvidenceInput,
  type EvidenceLimits,
  type FileEvidence,
  type UrlEvidence,
} from './types';
import { checkUrl, systemResolveHost, type ResolveHost } from './url-check';

export interface EvidenceActivityDeps {
  store: EvidenceStore;
  limits: EvidenceLimits;
  logger: Logger;
  /** Defaults to the system resolver; tests map names to local servers with it. */
  resolveHost?: ResolveHost;
}

function toCheck(code: EvidenceCheckCode, details: MessageDetails, extra: { status?: number; finalUrl?: string } = {}): EvidenceCheck {
  const check: EvidenceCheck = { ok: code === 'ok', code, message: evidenceMessage(code, details) };
  // Absent rather than undefined keeps the recorded history free of empty keys.
  if (extra.status !== undefined) check.status = extra.status;
  if (extra.finalUrl !== undefined) check.finalUrl = extra.finalUrl;
  return check;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

// A malformed input is a bug in the caller; retrying cannot fix it, and the message names
// fields only, so no value from the input reaches the failure recorded in history.
function parseInput(input: EvidenceInput): EvidenceInput {
  const parsed = EvidenceInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
  throw ApplicationFailure.nonRetryable(`Datos de evidencia inválidos: ${fields}`, 'InvalidEvidenceInput');
}

export function createEvidenceActivities(deps: EvidenceActivityDeps) {
  const { store, limits, logger } = deps;
  assertValidAddressList(limits.allowedAddresses ?? []);
  const resolveHost = deps.resolveHost ?? systemResolveHost;

  async function checkUrlEvidence(input: UrlEvidence): Promise<EvidenceCheck> {
    const outcome = await checkUrl(input.url, {
      timeoutMs: limits.urlTimeoutMs,
      maxRedirects: limits.maxRedirects,
      allowPrivateNetworks: limits.allowPrivateNetworks,
      allowedAddresses: limits.allowedAddresses,
      resolveHost,
    });
    logger.info(
      { evidence: 'url', code: outcome.code, status: outcome.status, redirects: outcome.redirects, urlSha256: shortHash(input.url) },
      'evidence checked',
    );
    const details = { kind: 'url' as const, status: outcome.status, maxRedirects: limits.maxRedirects };
    return toCheck(outcome.code, details, { status: outcome.status, finalUrl: outcome.finalUrl });
  }

  async function checkFileEvidence(input: FileEvidence): Promise<EvidenceCheck> {
    const outcome = await checkFile(input, store, limits);
    logger.info({ evidence: 'file', code: outcome.code, sha256: input.sha256, size: input.size, mediaType: input.mediaType }, 'evidence checked');
    return toCheck(outcome.code, {
      kind: 'file',
      maxBytes: limits.maxBytes,
      allowedMediaTypes: limits.allowedMediaTypes,
      contentMismatch: outcome.contentMismatch,
    });
  }

  return {
    async checkEvidence(input: EvidenceInput): Promise<EvidenceCheck> {
      const parsed = parseInput(input);
      return parsed.kind === 'url' ? checkUrlEvidence(parsed) : checkFileEvidence(parsed);
    },
  };
}
