/**
 * The digest activities: `collectDigest` lists what OAPLA should see this week; `sendDigest` mails
 * it once. Sending shares the notices' guarantees: one idempotency key per plan and day, the
 * Message-ID derived from it, the sent-ledger asked before and written after.
 */
import type { BusinessCalendar } from '../../calendar/business-calendar';
import type { DigestContent } from '../../calendar/digest';
import type { EmailDeps } from '../email/activities';
import { messageIdFor, senderDomain } from '../email/message-id';
import { plazosMail } from '../email/compose';
import { requirePlanOwner, resolveRecipients } from '../email/recipients';
import { currentContext } from '../heartbeat';
import { sendOnce, type SendKey } from '../email/send-once';
import type { PlanList } from '../plan-list';
import { collectDigestContent } from './collect';
import { digestMailState } from './mail-state';
import type { DigestTemplates } from './templates';
import { digestIdempotencyKey, type CollectDigestInput, type DigestReceipt, type SendDigestInput } from './types';
import { buildDigestView } from './view';

export interface DigestDeps extends EmailDeps {
  digestTemplates: DigestTemplates;
  calendar: BusinessCalendar;
  /** What the digest lists: the worker builds it on the running activity's own client (workers/deps.ts). */
  planList: PlanList;
}

export interface DigestActivities {
  collectDigest(input: CollectDigestInput): Promise<DigestContent>;
  sendDigest(input: SendDigestInput): Promise<DigestReceipt>;
}

/** The digest's own workflow, listed as waiting when the digest cannot go out (outside an activity: none). */
function digestWaiting(planId: string): Pick<SendKey, 'waiting'> {
  const workflowId = currentContext()?.info.workflowExecution?.workflowId;
  return workflowId ? { waiting: { workflowId, planId } } : {};
}

export function createDigestActivities(deps: DigestDeps): DigestActivities {
  const domain = senderDomain(deps.from);
  return {
    async collectDigest(input) {
      return collectDigestContent(deps.planList, deps.calendar, input);
    },

    async sendDigest(input) {
      const idempotencyKey = digestIdempotencyKey(input.plan.id, input.content.date);
      const messageId = messageIdFor(idempotencyKey, domain);
      const log = deps.logger.child({ idempotencyKey, kind: 'digest', messageId });
      const mailState = await digestMailState(deps.unsent, input.plan.id, input.locale, log);
      return sendOnce(deps, { idempotencyKey, kind: 'digest', messageId, label: 'Digest', ...digestWaiting(input.plan.id) }, log, () => {
        requirePlanOwner(input.plan.owner, deps.areas, 'el resumen semanal');
        const recipients = resolveRecipients([input.plan.owner], [], deps.areas);
        const { subject, html, text } = deps.digestTemplates(buildDigestView(input, deps.areas, deps.links?.baseUrl ?? null, mailState));
        const mail = plazosMail({ from: deps.from, to: recipients.to, cc: recipients.cc, subject, text, html, notice: 'digest', locale: input.locale });
        return { recipients, mail };
      });
    },
  };
}
