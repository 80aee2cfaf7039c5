/**
 * The one place production pieces are wired together: SMTP transport, templates, sent-ledger,
 * areas directory, evidence store (on the blob store it is given). Tests build the same deps
 * pointed at their own servers.
 */
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { ActivityDeps } from '../activities';
import { createReplyRegistry, loadTemplates, sentLedger, type LinkConfig } from '../activities/email';
import type { SmtpOAuthLogin } from '../activities/email/mail-login';
import { createSmtpTransport } from '../activities/email/transport';
import { createEvidenceStore, DEFAULT_EVIDENCE_LIMITS } from '../activities/evidence';
import { createCutStore } from '../activities/follow-up';
import { planListOf } from '../client/plan-list';
import type { AreasDirectory } from '../plans/areas';
import { loadCalendar } from '../config/load-calendar';
import { REPO_ROOT } from '../config/paths';
import type { BlobStore } from '../store/blobs';
import type { Records } from '../store/records';

export const TEMPLATES_DIR = join(REPO_ROOT, 'activities', 'email', 'templates');

export interface DepsOptions {
  smtpUrl: string;
  /** Log in to the relay with an OAuth token instead of the password in smtpUrl (activities/email/mail-login.ts). */
  smtpOAuth?: SmtpOAuthLogin;
  from: string;
  /** Where evidence files are (openBlobStore in production); shared with the web app and the mailbox reader. */
  blobs: BlobStore;
  /** plazos's records (openStores in production): the sent-ledger, the reply registry, the cut index. */
  records: Records;
  areas: AreasDirectory;
  logger: Logger;
  allowPrivateEvidence?: boolean;
  /** Pooled connections keep the 08:00 burst fast; tests may turn pooling off. */
  pool?: boolean;
  /** Where evidence links point and the key that signs them; without it mail carries no link. */
  links?: LinkConfig;
  /** The reply mailbox (PLAZOS_REPLY_MAILBOX): with `links`, answerable notices carry a signed Reply-To on it. */
  replyMailbox?: string;
}

export function buildDeps(opts: DepsOptions): ActivityDeps & { close(): void } {
  const transport = createSmtpTransport(opts.smtpUrl, { pool: opts.pool, oauth: opts.smtpOAuth });
  return {
    transport,
    templates: loadTemplates(TEMPLATES_DIR),
    ledger: sentLedger(opts.records.sent),
    unsent: opts.records.unsent,
    areas: opts.areas,
    from: opts.from,
    logger: opts.logger,
    links: opts.links,
    replies:
      opts.replyMailbox && opts.links
        ? { mailbox: opts.replyMailbox, secret: opts.links.secret, registry: createReplyRegistry(opts.records.replies) }
        : undefined,
    // The digest counts "due in five business days" by the entity's calendar (config/calendar.yaml).
    calendar: loadCalendar(),
    store: createEvidenceStore(opts.blobs),
    // The digest and the cut reports list the plan's workflows with the client of the activity running them.
    planList: planListOf(() => Context.current().client),
    // The cut reports as mailed, kept for any later download (activities/follow-up/store.ts).
    cutStore: createCutStore({ index: opts.records.cuts, blobs: opts.blobs }),
    limits: { ...DEFAULT_EVIDENCE_LIMITS, allowPrivateNetworks: opts.allowPrivateEvidence ?? false },
    close: () => transport.close(),
  };
}
