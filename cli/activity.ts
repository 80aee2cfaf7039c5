/**
 * What an operator does to one running activity: evidence, review, extend, cancel, amend (Temporal
 * updates and a signal, checked first with the workflow's own schemas) and its history.
 */
import { basename } from 'node:path';
import { checkUpload, createEvidenceStore, DEFAULT_EVIDENCE_LIMITS } from '../activities/evidence';
import { timelineFromHistory, type TimelineEntry } from '../client/timeline';
import { clip, messageSentence, SENTENCE_MAX } from '../client/timeline-text';
import { readBoundedFile, refusalMessage } from '../plans/importers/bounded-read';
import {
  AmendSchema,
  amendUpdate,
  cancelSignal,
  isClosed,
  CancelSchema,
  EvidenceSubmissionSchema,
  extendDeadlineUpdate,
  ExtendDeadlineSchema,
  reviewUpdate,
  ReviewSchema,
  statusQuery,
  submitEvidenceUpdate,
} from '../workflows/shared';
import { CliError, EXIT } from '../domain/errors';
import { cliLocale, t } from './i18n';
import { checkDate, kindLabels, out, parseArgs, periodTarget, statusLabels, target, update, withClient, withStores } from './operate';

/** An evidence file read within the upload limit and checked; a file that cannot be opened is exit 2, one refused exit 1. */
async function readEvidenceFile(path: string): Promise<{ bytes: Buffer; name: string; mediaType: string }> {
  const { maxBytes } = DEFAULT_EVIDENCE_LIMITS;
  const read = readBoundedFile(path, maxBytes);
  if (!read.ok) throw new CliError(t().unreadableEvidence(path, refusalMessage(read, maxBytes)), read.kind === 'unreadable' ? EXIT.usage : EXIT.refused);
  const name = basename(path);
  const check = await checkUpload(name, read.bytes, maxBytes);
  if (!check.ok) throw new CliError(check.message, EXIT.refused);
  return { bytes: read.bytes, name, mediaType: check.mediaType };
}

export async function evidenceSubmitCommand(
  plan: string,
  n: string,
  opts: { url?: string; file?: string; note?: string; period?: string; as?: string; json?: boolean },
): Promise<number> {
  if (!!opts.url === !!opts.file) throw new CliError(t().evidenceOneOf, EXIT.usage);
  // The file is read and checked as the web form checks it, before the server is asked anything.
  const file = opts.file === undefined ? null : await readEvidenceFile(opts.file);
  return withClient(async (client, config) => {
    const handle = await periodTarget(client, plan, n, opts.period);
    const status = await handle.query(statusQuery);
    const submittedBy = opts.as ?? status.activity.responsible[0] ?? 'OAPLA';
    let evidence: unknown;
    if (file) {
      // Stored content-addressed in the blob store the worker's evidence check reads.
      const bytes = file.bytes;
      const stored = await withStores(config, (stores) => createEvidenceStore(stores.blobs).put(bytes, { maxBytes: DEFAULT_EVIDENCE_LIMITS.maxBytes }));
      evidence = { kind: 'file', sha256: stored.sha256, size: stored.size, mediaType: file.mediaType, name: file.name };
    } else evidence = { kind: 'url', url: opts.url };
    const payload = parseArgs(EvidenceSubmissionSchema, { evidence, note: opts.note, submittedBy });
    const receipt = await update(() => handle.executeUpdate(submitEvidenceUpdate, { args: [payload] }));
    out(opts.json, receipt, t().evidenceReceived(receipt.evidenceId, receipt.receivedAt, handle.workflowId));
    return EXIT.ok;
  });
}

export async function reviewCommand(
  plan: string,
  n: string,
  opts: { approve?: boolean; reject?: boolean; reason?: string; due?: string; period?: string; json?: boolean },
): Promise<number> {
  if (!!opts.approve === !!opts.reject) throw new CliError(t().reviewOneOf, EXIT.usage);
  if (opts.reject && !opts.due) throw new CliError(t().rejectNeedsDue, EXIT.usage);
  if (opts.due) checkDate('--due', opts.due);
  const review = parseArgs(
    ReviewSchema,
    opts.approve ? { decision: 'approve', reason: opts.reason } : { decision: 'reject', reason: opts.reason ?? '', newDue: opts.due },
  );
  return withClient(async (client) => {
    const handle = await periodTarget(client, plan, n, opts.period);
    const result = await update(() => handle.executeUpdate(reviewUpdate, { args: [review] }));
    out(
      opts.json,
      result,
      opts.approve ? t().approved(handle.workflowId, statusLabels()[result.status] ?? result.status) : t().rejected(handle.workflowId, result.due),
    );
    return EXIT.ok;
  });
}

export async function extendCommand(plan: string, n: string, opts: { due: string; reason: string; period?: string; json?: boolean }): Promise<number> {
  checkDate('--due', opts.due);
  const ext = parseArgs(ExtendDeadlineSchema, { newDue: opts.due, reason: opts.reason });
  return withClient(async (client) => {
    const handle = await periodTarget(client, plan, n, opts.period);
    const result = await update(() => handle.executeUpdate(extendDeadlineUpdate, { args: [ext] }));
    out(opts.json, result, t().extended(handle.workflowId, result.due));
    return EXIT.ok;
  });
}

export async function cancelCommand(plan: string, n: string, opts: { reason: string; period?: string; json?: boolean }): Promise<number> {
  const cancel = parseArgs(CancelSchema, { reason: opts.reason });
  return withClient(async (client) => {
    const handle = await target(client, plan, n, opts.period);
    const before = await handle.query(statusQuery);
    if (isClosed(before.status)) throw new CliError(t().alreadyClosed(handle.workflowId, statusLabels()[before.status] ?? before.status), EXIT.refused);
    await handle.signal(cancelSignal, cancel);
    out(opts.json, { workflowId: handle.workflowId, cancelled: true }, t().cancelSent(handle.workflowId));
    return EXIT.ok;
  });
}

export async function amendCommand(
  plan: string,
  n: string,
  opts: { title?: string; responsible?: string; deliverable?: string; reason: string; period?: string; areas?: string; json?: boolean },
): Promise<number> {
  const responsible = opts.responsible?.split(/[,;\s]+/).filter(Boolean);
  const amend = parseArgs(AmendSchema, { title: opts.title, deliverable: opts.deliverable, responsible, reason: opts.reason });
  if (responsible) {
    const { loadAreasFile, resolveAreasPath } = await import('../config/load-areas');
    const { areas } = loadAreasFile(resolveAreasPath(opts.areas));
    const unknown = responsible.filter((code) => !areas?.[code]);
    if (unknown.length > 0) throw new CliError(t().unknownAreas(unknown), EXIT.usage);
  }
  return withClient(async (client) => {
    const handle = await periodTarget(client, plan, n, opts.period);
    const result = await update(() => handle.executeUpdate(amendUpdate, { args: [amend] }));
    out(opts.json, result, t().amended(handle.workflowId));
    return EXIT.ok;
  });
}

/**
 * One line per entry, none wider than a terminal: what people wrote and the reasons are cut to fit
 * (`--json` keeps every word). A failed delivery comes before the reason, so a cut never hides it.
 */
export function formatTimeline(entries: TimelineEntry[]): string {
  const m = t();
  return entries
    .map((e) => {
      const when = e.at.slice(0, 16).replace('T', ' ');
      const name = kindLabels()[e.name] ?? e.name;
      return `${when}  ${clip(entryText(e, name, m), SENTENCE_MAX)}`;
    })
    .join('\n');
}

function entryText(e: TimelineEntry, name: string, m: ReturnType<typeof t>): string {
  switch (e.kind) {
    case 'notice':
      return `${m.timelineMail} ${name} → ${e.to?.join(', ')}${e.cc?.length ? ` (cc ${e.cc.join(', ')})` : ''}${e.failed ? ` · ${m.timelineNotDelivered} ${e.failed.join(', ')}` : ''}${e.why ? ` · ${e.why}` : ''}`;
    case 'notice-failed':
      return `${m.timelineMail} ${name} ${m.timelineNotDeliveredTo} ${e.to?.join(', ')}`;
    case 'check':
      return m.timelineCheck(e.name === 'ok', typeof e.details?.message === 'string' ? e.details.message : e.name);
    case 'update':
    case 'update-refused':
    case 'signal':
      return messageSentence(e, cliLocale());
    case 'started':
      return m.timelineStarted(typeof e.details?.due === 'string' ? e.details.due : '?');
    case 'period-started':
      return m.timelinePeriod(e.name);
    case 'closed':
      return m.timelineClosed(statusLabels()[e.name] ?? e.name);
  }
}

export async function historyCommand(plan: string, n: string, opts: { period?: string; json?: boolean }): Promise<number> {
  return withClient(async (client) => {
    const handle = await target(client, plan, n, opts.period);
    const timeline = timelineFromHistory(await handle.fetchHistory());
    out(opts.json, { workflowId: handle.workflowId, timeline }, `${handle.workflowId}\n${formatTimeline(timeline)}`);
    return EXIT.ok;
  });
}
