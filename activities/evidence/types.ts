/**
 * What the evidence check accepts and returns. The result is recorded in the workflow history,
 * so every shape here is a plain JSON value; workflows import these as types only.
 */
import { z } from 'zod';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, { message: 'Huella sha256 inválida.' });

/** Evidence as the web form records it: a published link, or a file already in the store. */
export const EvidenceInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.string().min(1).max(2048) }),
  z.object({
    kind: z.literal('file'),
    sha256: Sha256Schema,
    size: z.number().int().min(0),
    mediaType: z.string().min(1).max(255),
    name: z.string().min(1).max(255),
  }),
]);
export type EvidenceInput = z.infer<typeof EvidenceInputSchema>;
export type UrlEvidence = Extract<EvidenceInput, { kind: 'url' }>;
export type FileEvidence = Extract<EvidenceInput, { kind: 'file' }>;

export const EVIDENCE_CHECK_CODES = [
  'ok',
  'bad-scheme',
  'blocked-address',
  'dns',
  'network',
  'timeout',
  'http-status',
  'too-many-redirects',
  'missing-file',
  'hash-mismatch',
  'size-mismatch',
  'too-large',
  'type-not-allowed',
] as const;
export type EvidenceCheckCode = (typeof EVIDENCE_CHECK_CODES)[number];

export interface LocalizedMessage {
  es: string;
  en: string;
}

export interface EvidenceCheck {
  ok: boolean;
  code: EvidenceCheckCode;
  /** What the area lead must fix, in plain words; `es` is the one people read. */
  message: LocalizedMessage;
  /** The HTTP status of the final response, for URL evidence. */
  status?: number;
  /** Where the link ended up after redirects, for URL evidence. */
  finalUrl?: string;
}

export interface EvidenceLimits {
  maxBytes: number;
  allowedMediaTypes: readonly string[];
  /** Covers the whole URL check: every DNS lookup, redirect and request. */
  urlTimeoutMs: number;
  maxRedirects: number;
  /** Development only: lets links point at localhost and private networks. */
  allowPrivateNetworks: boolean;
  /**
   * Exact addresses exempted from the private-network block, e.g. the entity's own document
   * server on its intranet. Narrower than `allowPrivateNetworks`, which opens every address.
   */
  allowedAddresses?: readonly string[];
}
