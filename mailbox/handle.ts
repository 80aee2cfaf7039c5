/**
 * Acts on one message of the reply mailbox, at most once in effect however often it is read:
 *
 *   0. a message over a bound of its shape (mime-shape.ts) or that mailparser cannot read is recorded
 *      as refused unread, with no answer: read again (a copy, a crash before the move) it is known;
 *   1. the processed-ledger knows the message (by Message-ID): nothing is done again, the caller moves it;
 *   2. a file is kept in the evidence store under its sha256 (storing it twice keeps one copy);
 *   3. the write gate (client/write-gate.ts) counts the write per sender and per activity; refused,
 *      the sender is told when to try again and the message is filed, never retried;
 *      the workflow gets `submitEvidence` (or `reportProgress`) with an update ID derived from the
 *      Message-ID: Temporal answers a repeated update ID with the first one's result, so a reader
 *      killed after the update and before step 5 does not hand the evidence in twice;
 *   4. an answer to the sender (a refusal, or the receipt of progress alone) goes out through the
 *      sent-ledger (send-once.ts), keyed by the same ID; refusals are bounded per address (answer-bound.ts);
 *   5. the outcome is recorded in the processed-ledger; only then does the caller move the message.
 *
 * Temporal or SMTP unreachable is thrown: the message stays in the inbox and is read again later.
 * The receipt of a submission is the workflow's own `evidence-received` notice, the same the web sends.
 */
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { EvidenceStore } from '../activities/evidence';
import { plazosMail } from '../activities/email/compose';
import { messageIdFor, sha256Hex } from '../activities/email/message-id';
import { replyAddress } from '../activities/email/reply-token';
import { sendOnce } from '../activities/email/send-once';
import type { SentLedger } from '../activities/email/sent-ledger';
import { PLAN_TIMEZONE } from '../calendar/policy';
import { tryUpdate, type Outcome } from '../client/operations';
import { describeRefusal, type WriteGate } from '../client/write-gate';
import type { Throttle } from '../store/records';
import { submitEvidenceUpdate, type ProgressReport } from '../workflows/shared';
import { mayRefuse, type RefusalBounds } from './answer-bound';
import { classify, messageKey, type ClassifyContext, type Decision } from './classify';
import { scanMime, type MimeBounds, type OverBound } from './mime-shape';
import { NOT_RECEIVED, type NotReceivedReason } from './messages';
import type { Folder, ProcessedLedger } from './processed-ledger';
import { reportProgressByMail } from './progress';
import type { AnswerKind, AnswerTemplates } from './templates';

export interface HandleDeps extends ClassifyContext {
  client: Client;
  store: EvidenceStore;
  processed: ProcessedLedger;
  transport: Pick<Transporter, 'sendMail'>;
  /** The sent-ledger of the answers (the worker's own, or one of the reader's). */
  ledger: SentLedger;
  /** plazos's sender, as in the notices. */
  from: string;
  templates: AnswerTemplates;
  logger: Logger;
  /** Counts evidence and progress per sender and per activity before the workflow is asked. */
  gate: WriteGate;
  /** Counts the refusals mailed (answer-bound.ts). */
  throttle: Throttle;
  refusalBounds: Readonly<RefusalBounds>;
  mimeBounds: Readonly<MimeBounds>;
  now: () => number;
  /** Tests only: called after the action and before the outcome is recorded, to stop the reader there. */
  afterAction?: (key: string) => void | Promise<void>;
}

export interface Handled {
  folder: Folder;
  outcome: string;
  /** True when the processed-ledger already knew the message: nothing was done now. */
  repeated: boolean;
}

/** The update ID of a message's submission: stable across readings, no personal data. */
export function updateIdOf(key: string): string {
  return `mail-${sha256Hex(key).slice(0, 40)}`;
}

type Answer = {
  kind: AnswerKind;
  to: string;
  cc: string[];
  reason?: NotReceivedReason;
  detail?: { es: string; en: string };
  percent?: number;
  written?: string;
};

const hashOf = (key: string) => sha256Hex(key).slice(0, 16);
const bytesHash = (raw: Buffer) => createHash('sha256').update(raw).digest('hex');

export async function handleMessage(raw: Buffer, deps: HandleDeps, options: { tooLarge?: boolean } = {}): Promise<Handled> {
  const shape = scanMime(raw, deps.mimeBounds);
  let parsed: ParsedMail | undefined;
  let unread: OverBound | 'unparseable' | undefined = shape.ok ? undefined : shape.why;
  if (!unread) {
    try {
      parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    } catch {
      // Parsing is pure: what fails once fails every time, so it is refused now, not read again.
      unread = 'unparseable';
    }
  }
  if (!parsed) return refuseUnread(raw, shape.messageId, unread ?? 'unparseable', deps);

  const key = messageKey(parsed, raw);
  const known = await deps.processed.find(key);
  const log = deps.logger.child({ mail: hashOf(key) });
  if (known) return repeated(known, raw, log);

  let decision: Decision = await classify(parsed, raw, deps);
  if (
    options.tooLarge &&
    (decision.kind === 'evidence' || decision.kind === 'progress' || decision.kind === 'not-received' || decision.kind === 'progress-refused')
  )
    decision = { kind: 'not-received', target: decision.target, sender: decision.sender, reason: 'too-large' };
  const { folder, outcome } = await act(decision, parsed, key, deps, log);
  await deps.afterAction?.(key);
  await deps.processed.record({ key, folder, outcome });
  // Codes and area codes only: never the sender's address, a link or a file name.
  log.info(
    {
      folder,
      outcome,
      area: 'target' in decision ? decision.target.area : undefined,
      workflowId: 'target' in decision ? decision.target.workflowId : undefined,
    },
    'reply handled',
  );
  return { folder, outcome, repeated: false };
}

/**
 * A message known to the processed-ledger is filed again and never acted on. It is logged: a copy
 * delivered twice is harmless, but a new message reusing a known Message-ID is dropped here, and the
 * hash of its bytes tells the two apart when two lines are compared.
 */
function repeated(known: { folder: Folder; outcome: string }, raw: Buffer, log: Logger): Handled {
  log.info({ folder: known.folder, outcome: known.outcome, bytes: bytesHash(raw).slice(0, 16) }, 'reply already handled; filed again, not acted on');
  return { folder: known.folder, outcome: known.outcome, repeated: true };
}

/** Over a bound of its shape, or unreadable: filed as refused once, answered to no one (its sender is unread too). */
async function refuseUnread(raw: Buffer, messageId: string | undefined, why: OverBound | 'unparseable', deps: HandleDeps): Promise<Handled> {
  const key = messageId ?? `sha256:${bytesHash(raw)}`;
  const log = deps.logger.child({ mail: hashOf(key) });
  const known = await deps.processed.find(key);
  if (known) return repeated(known, raw, log);
  const outcome = `unread:${why}`;
  await deps.processed.record({ key, folder: 'refused', outcome });
  log.warn({ folder: 'refused', outcome, why, bytes: raw.length }, 'reply refused unread: over a bound of its shape or not parseable');
  return { folder: 'refused', outcome, repeated: false };
}

async function act(decision: Decision, parsed: ParsedMail, key: string, deps: HandleDeps, log: Logger): Promise<{ folder: Folder; outcome: string }> {
  switch (decision.kind) {
    case 'ignore':
      return { folder: 'refused', outcome: `ignore:${decision.why}` };
    case 'refuse-sender': {
      // Whoever wrote `From` gets told only that the address is not registered: no plan, activity or
      // area, and no copy to OAPLA, since the address may be anyone's, put there by anyone with a tag.
      const sent = await refusal(deps, decision, parsed, key, { kind: 'refused-sender', to: decision.sender, cc: [] }, true, log);
      return { folder: 'refused', outcome: sent ? 'refused-sender' : 'refused-sender:unanswered' };
    }
    case 'progress-refused':
      await refusal(deps, decision, parsed, key, { kind: 'progress-refused', to: decision.sender, cc: [], written: decision.written }, false, log);
      return { folder: 'refused', outcome: 'not-received:progress-out-of-range' };
    case 'not-received':
      await refusal(
        deps,
        decision,
        parsed,
        key,
        { kind: 'not-received', to: decision.sender, cc: [], reason: decision.reason, detail: decision.detail },
        false,
        log,
      );
      return { folder: 'refused', outcome: `not-received:${decision.reason}` };
    case 'evidence': {
      const refused = await admit('evidence', decision);
      if (refused) return refused;
      if (decision.file) await deps.store.put(decision.file, { maxBytes: deps.maxBytes });
      const handle = deps.client.workflow.getHandle(decision.target.workflowId);
      const sent = await update(() => handle.executeUpdate(submitEvidenceUpdate, { args: [decision.submission], updateId: updateIdOf(key) }));
      return settle(sent, (v) => `evidence:${v.evidenceId}`);
    }
    case 'progress': {
      const refused = await admit('progress', decision);
      if (refused) return refused;
      const report: ProgressReport = decision.report;
      const sent = await update(() => reportProgressByMail(deps.client, decision.target.workflowId, report, updateIdOf(key)));
      // The web shows its receipt on the page and a submission gets the workflow's `evidence-received`;
      // a report of progress alone gets none from the workflow, so the lead would hear nothing back.
      if (sent !== 'not-running' && sent.ok)
        await answer(deps, decision, parsed, key, { kind: 'progress-received', to: decision.sender, cc: [], percent: sent.value.percent }, log);
      return settle(sent, (v) => `progress:${v.percent}`);
    }
  }

  /**
   * The write gate, before the workflow is asked. A refused write is answered (once, through the
   * sent-ledger, and within the refusal bound) with the hour to try again, and filed: it is never
   * read again, so a flood is not retried in a loop. A reader killed after an admitted update and
   * read again counts the write twice; the bounds are far enough above real use for that not to matter.
   */
  async function admit(
    kind: 'evidence' | 'progress',
    d: Extract<Decision, { kind: 'evidence' | 'progress' }>,
  ): Promise<{ folder: Folder; outcome: string } | null> {
    const admission = await deps.gate.admit({ kind, sender: { address: d.sender }, workflowId: d.target.workflowId });
    if (admission.ok) return null;
    const when = describeRefusal(admission, deps.now(), PLAN_TIMEZONE);
    log.warn({ kind, scope: admission.scope, workflowId: d.target.workflowId, area: d.target.area }, 'write refused by the write gate');
    await refusal(deps, d, parsed, key, { kind: 'not-received', to: d.sender, cc: [], reason: 'throttled', detail: { es: when.es, en: when.en } }, false, log);
    return { folder: 'refused', outcome: `throttled:${kind}:${admission.scope}` };
  }

  async function settle<T>(sent: Outcome<T> | 'not-running', label: (v: T) => string): Promise<{ folder: Folder; outcome: string }> {
    if (sent !== 'not-running' && sent.ok) return { folder: 'processed', outcome: label(sent.value) };
    const d = decision as Extract<Decision, { kind: 'evidence' | 'progress' }>;
    const reason: NotReceivedReason = sent === 'not-running' ? 'not-running' : 'workflow-refused';
    const detail = sent === 'not-running' ? undefined : { es: sent.message, en: sent.message };
    await refusal(deps, d, parsed, key, { kind: 'not-received', to: d.sender, cc: [], reason, detail }, false, log);
    return { folder: 'refused', outcome: `not-received:${reason}` };
  }
}

/** A refusal goes out only within the refusal bounds; past them the message is filed unanswered. Returns whether it went. */
async function refusal(
  deps: HandleDeps,
  decision: Extract<Decision, { target: unknown }>,
  parsed: ParsedMail,
  key: string,
  a: Answer,
  stranger: boolean,
  log: Logger,
): Promise<boolean> {
  const admission = await mayRefuse(deps.throttle, deps.refusalBounds, { address: a.to, stranger }, deps.now());
  if (!admission.ok) {
    log.warn({ answer: a.kind, scope: admission.scope, area: decision.target.area }, 'refusal not mailed: bound of refusals reached');
    return false;
  }
  await answer(deps, decision, parsed, key, a, log);
  return true;
}

/** The workflow's refusal as a value; a workflow that no longer exists as 'not-running'. */
async function update<T>(send: () => Promise<T>): Promise<Outcome<T> | 'not-running'> {
  try {
    // Busy past every attempt: the message stays in the inbox and is read again, as when Temporal is down.
    return await tryUpdate(send, { throwWhenBusy: true });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'not-running';
    throw err;
  }
}

async function answer(
  deps: HandleDeps,
  decision: Extract<Decision, { target: unknown }>,
  parsed: ParsedMail,
  key: string,
  a: Answer,
  log: Logger,
): Promise<void> {
  const { target } = decision;
  const locale = target.locale;
  const area = deps.areas[target.area];
  const owner = deps.areas[target.owner];
  const view = {
    activityNumber: target.activity.number,
    activityTitle: target.activity.title,
    planTitle: target.plan.title,
    areaName: area?.name ?? target.area,
    ownerName: owner?.name ?? target.owner,
    sender: a.to,
    reason: a.reason ? NOT_RECEIVED[a.reason][locale] : undefined,
    detail: a.detail?.[locale],
    percent: a.percent,
    written: a.written,
  };
  const { subject, text, html } = deps.templates(a.kind, locale, view);
  const ccAddresses = a.cc.flatMap((code) => [...(deps.areas[code]?.email ?? []), ...(deps.areas[code]?.cc ?? [])]).filter((x) => x.toLowerCase() !== a.to);
  const idempotencyKey = `mailbox/${sha256Hex(key)}/${a.kind}`;
  const domain = deps.domain;
  const messageId = messageIdFor(idempotencyKey, domain);
  const areasOf = new Map<string, string[]>([[a.to, ['REMITENTE']], ...ccAddresses.map((x): [string, string[]] => [x.toLowerCase(), a.cc])]);
  const references = [
    ...(Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : []),
    ...(parsed.messageId ? [parsed.messageId] : []),
  ];
  await sendOnce({ transport: deps.transport, ledger: deps.ledger }, { idempotencyKey, kind: a.kind, messageId, label: 'Reply answer' }, log, () => ({
    recipients: { to: [a.to], cc: ccAddresses, areasOf },
    mail: plazosMail({
      from: deps.from,
      to: [a.to],
      cc: ccAddresses,
      subject,
      text,
      html,
      notice: `reply-${a.kind}`,
      locale,
      answering: parsed.messageId ? { inReplyTo: parsed.messageId, references: references.slice(-20) } : true,
      // The lead may answer this with the deliverable: the answer comes back tagged like the notice's.
      ...(a.kind !== 'refused-sender' ? { replyTo: replyAddress(deps.mailbox, target.noticeId, deps.key) } : {}),
    }),
  }));
}
