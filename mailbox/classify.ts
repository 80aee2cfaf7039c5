/**
 * What to do with one message of the reply mailbox, decided from the message alone plus the reply
 * registry and the areas directory: no Temporal, no mail sent, nothing stored. handle.ts acts on it.
 *
 * A reply is matched to the notice it answers by the signed tag in the address it was sent to
 * (reply-token.ts), or else by the Message-ID plazos gave that notice, found in In-Reply-To or
 * References; never by its subject, which people and clients rewrite ("RE: RV: Fwd:").
 */
import { createHash } from 'node:crypto';
import type { Attachment, ParsedMail } from 'mailparser';
import type { AreasDirectory } from '../plans/areas';
import { checkUpload, evidenceMessage, type LocalizedMessage } from '../activities/evidence';
import { readProgress } from '../activities/evidence/progress-text';
import type { ReplyRegistry, ReplyTarget } from '../activities/email/reply-registry';
import { noticeIdFromAddress, noticeIdOf } from '../activities/email/reply-token';
import { EvidenceSubmissionSchema, ProgressReportSchema, type EvidenceSubmission, type ProgressReport } from '../workflows/shared';
import { linksIn, ownText } from './reply-text';
import { NOT_RECEIVED, type NotReceivedReason } from './messages';

export interface ClassifyContext {
  /** The mailbox plazos reads (`respuestas@entidad.gov.co`). */
  mailbox: string;
  /** The reply tags' key (reply-token.ts replyKey). */
  key: Buffer;
  /** The domain of plazos's own Message-IDs (the sender's domain). */
  domain: string;
  registry: ReplyRegistry;
  areas: AreasDirectory;
  /** The evidence upload limit, as on the web. */
  maxBytes: number;
}

export type Decision =
  /** Nothing to answer: an auto-reply, a message that answers no notice of ours. Filed as refused. */
  | { kind: 'ignore'; why: 'auto-reply' | 'unmatched' | 'no-sender' | 'several-senders' }
  /** The sender is not one of the area's addresses: a generic refusal that names nothing of the plan, nothing submitted. */
  | { kind: 'refuse-sender'; target: ReplyTarget; sender: string }
  /** From the area, with a progress figure the workflow cannot take (out of 0..100, decimals): nothing submitted, the reply says why. */
  | { kind: 'progress-refused'; target: ReplyTarget; sender: string; written: string }
  /** From the area, but nothing can be submitted: the reply says why. */
  | { kind: 'not-received'; target: ReplyTarget; sender: string; reason: NotReceivedReason; detail?: LocalizedMessage }
  | { kind: 'evidence'; target: ReplyTarget; sender: string; submission: EvidenceSubmission; file?: Buffer }
  | { kind: 'progress'; target: ReplyTarget; sender: string; report: ProgressReport };

/** The key a message is remembered by: its Message-ID, or its bytes' hash when it has none. */
export function messageKey(parsed: ParsedMail, raw: Buffer): string {
  return parsed.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

function header(parsed: ParsedMail, name: string): string {
  const value = parsed.headers.get(name);
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'text' in value) return String((value as { text: string }).text);
  if (typeof value === 'object' && 'value' in value) return String((value as { value: string }).value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** RFC 3834 and the headers Exchange and vacation scripts add: answering them would start a loop. */
function isAutomatic(parsed: ParsedMail): boolean {
  const auto = header(parsed, 'auto-submitted').toLowerCase();
  if (auto && !auto.startsWith('no')) return true;
  if (/^(bulk|junk|list|auto_reply)$/i.test(header(parsed, 'precedence').trim())) return true;
  if (header(parsed, 'x-autoreply') || header(parsed, 'x-autorespond') || header(parsed, 'x-plazos-notice')) return true;
  return /\b(oof|autoreply|all)\b/i.test(header(parsed, 'x-auto-response-suppress')) && /^(auto|automatic|respuesta autom)/i.test(parsed.subject ?? '');
}

function addresses(parsed: ParsedMail): string[] {
  const list = [parsed.to, parsed.cc].flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a]));
  const out = list.flatMap((a) => a.value.map((v) => v.address ?? ''));
  for (const name of ['delivered-to', 'x-original-to']) {
    const raw = parsed.headerLines.filter((h) => h.key === name).map((h) => h.line.slice(h.line.indexOf(':') + 1).trim());
    out.push(...raw);
  }
  return out.filter(Boolean);
}

function referenced(parsed: ParsedMail): string[] {
  const refs = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : [parsed.references];
  // The notice answered is the one replied to; then the chain, newest first.
  return [...(parsed.inReplyTo ? [parsed.inReplyTo] : []), ...[...refs].reverse()];
}

async function findTarget(parsed: ParsedMail, ctx: ClassifyContext): Promise<ReplyTarget | null> {
  for (const address of addresses(parsed)) {
    const id = noticeIdFromAddress(address, ctx.mailbox, ctx.key);
    const target = id && (await ctx.registry.find(id));
    if (target) return target;
  }
  for (const messageId of referenced(parsed)) {
    const id = noticeIdOf(messageId, ctx.domain);
    const target = id && (await ctx.registry.find(id));
    if (target) return target;
  }
  return null;
}

/** Signature logos, pasted screenshots and the like: shown in the body, not handed in. */
function isDecoration(a: Attachment): boolean {
  if (a.contentType === 'text/calendar' || a.contentType === 'application/ics') return true;
  const inline = a.related || a.contentDisposition === 'inline';
  return inline && a.contentType.startsWith('image/');
}

const NOTE_MAX = 2000;

function noteOf(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (trimmed.length <= NOTE_MAX) return trimmed;
  // The workflow's bound counts UTF-16 units; a cut inside a surrogate pair (an emoji) would leave half a character.
  const cut = /[\uD800-\uDBFF]/.test(trimmed[NOTE_MAX - 2]!) ? NOTE_MAX - 2 : NOTE_MAX - 1;
  return `${trimmed.slice(0, cut)}…`;
}

/** Message-IDs may be long; the workflow keeps at most 200 characters of a report's source. */
export function sourceIdOf(key: string): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * The one address the message is from, or why there is none. A `From` with several addresses (or
 * several `From` lines) names no one author: taking the first would let anyone put the lead's
 * address first and theirs after it, and answering any of them is answering a name the sender
 * chose. No mail client writes such a `From` for a person replying.
 */
function senderOf(parsed: ParsedMail): { address: string } | { why: 'no-sender' | 'several-senders' } {
  if (parsed.headerLines.filter((h) => h.key === 'from').length > 1) return { why: 'several-senders' };
  const entries = (parsed.from?.value ?? []).flatMap((v) => (v.group ? v.group : [v]));
  const addresses = entries.map((v) => v.address?.trim().toLowerCase() ?? '').filter(Boolean);
  if (addresses.length > 1) return { why: 'several-senders' };
  return addresses[0] ? { address: addresses[0] } : { why: 'no-sender' };
}

export async function classify(parsed: ParsedMail, raw: Buffer, ctx: ClassifyContext): Promise<Decision> {
  if (isAutomatic(parsed)) return { kind: 'ignore', why: 'auto-reply' };
  const from = senderOf(parsed);
  if ('why' in from) return { kind: 'ignore', why: from.why };
  const sender = from.address;
  const target = await findTarget(parsed, ctx);
  if (!target) return { kind: 'ignore', why: 'unmatched' };
  const area = ctx.areas[target.area];
  const allowed = new Set([...(area?.email ?? []), ...(area?.cc ?? [])].map((a) => a.toLowerCase()));
  if (!allowed.has(sender)) return { kind: 'refuse-sender', target, sender };

  const text = ownText(parsed.text ?? '');
  const phrase = readProgress(text);
  if (phrase && !phrase.ok) return { kind: 'progress-refused', target, sender, written: phrase.written };
  const progress = phrase?.ok ? { percent: phrase.percent } : undefined;
  const note = noteOf(text);
  const files = parsed.attachments.filter((a) => !isDecoration(a));
  const refuse = (reason: NotReceivedReason, detail?: LocalizedMessage): Decision => ({ kind: 'not-received', target, sender, reason, detail });

  if (files.length > 1) return refuse('several-files');
  let evidence: EvidenceSubmission['evidence'] | undefined;
  let file: Buffer | undefined;
  if (files.length === 1) {
    const a = files[0]!;
    if (a.size > ctx.maxBytes) return refuse('file-refused', evidenceMessage('too-large', { maxBytes: ctx.maxBytes }));
    const check = await checkUpload(a.filename ?? '', a.content, ctx.maxBytes);
    if (!check.ok) return refuse('file-refused', { es: check.message, en: check.message });
    file = a.content;
    evidence = {
      kind: 'file',
      sha256: createHash('sha256').update(a.content).digest('hex'),
      size: a.content.length,
      mediaType: check.mediaType,
      name: check.name,
    };
  } else {
    const url = linksIn(text)[0];
    if (url) evidence = { kind: 'url', url };
  }

  if (evidence) {
    const parsedSubmission = EvidenceSubmissionSchema.safeParse({ evidence, note, submittedBy: target.area, progress: progress?.percent });
    if (!parsedSubmission.success) {
      const message = parsedSubmission.error.issues[0]?.message ?? NOT_RECEIVED['invalid'].es;
      return refuse('invalid', { es: message, en: message });
    }
    return { kind: 'evidence', target, sender, submission: parsedSubmission.data, file };
  }
  if (progress) {
    const report = ProgressReportSchema.safeParse({
      percent: progress.percent,
      note,
      reportedBy: target.area,
      via: 'email',
      sourceId: sourceIdOf(messageKey(parsed, raw)),
    });
    if (report.success) return { kind: 'progress', target, sender, report: report.data };
  }
  return refuse('nothing');
}
