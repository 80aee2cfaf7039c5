/**
 * The cut activities: `takeCutSnapshot` reads the plan's rows from visibility at the cut and keeps
 * them with the three renderings; `sendCutReport` mails the kept files to OAPLA and to Control
 * Interno, once. The snapshot stays on disk: history holds only its summary.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../../calendar/business-calendar';
import { controlInternoArea } from '../../plans/areas';
import type { EmailDeps } from '../email/activities';
import { messageIdFor, senderDomain } from '../email/message-id';
import { plazosMail } from '../email/compose';
import { requirePlanOwner, resolveRecipients } from '../email/recipients';
import { sendOnce } from '../email/send-once';
import type { PlanList } from '../plan-list';
import { readCutSnapshot } from './collect';
import { CUT_FORMATS, CUT_MEDIA_TYPES, cutFileName, renderCut } from './render';
import type { CutStore } from './store';
import type { CutTemplates } from './templates';
import {
  cutIdempotencyKey,
  type CutReportReceipt,
  type CutSnapshot,
  type CutSnapshotSummary,
  type CutTotals,
  type SendCutReportInput,
  type TakeCutSnapshotInput,
} from './types';

export interface CutDeps extends EmailDeps {
  cutStore: CutStore;
  cutTemplates: CutTemplates;
  calendar: BusinessCalendar;
  /** What the cut reports list: the worker builds it on the running activity's own client (workers/deps.ts). */
  planList: PlanList;
  /** Tests give a fixed instant; the worker reads the clock. */
  now?: () => Date;
}

export interface CutActivities {
  takeCutSnapshot(input: TakeCutSnapshotInput): Promise<CutSnapshotSummary>;
  sendCutReport(input: SendCutReportInput): Promise<CutReportReceipt>;
}

/** The plan's line of the totals (the last one), or zeros for a plan with no rows. */
function planTotals(snapshot: CutSnapshot): CutTotals {
  return snapshot.totals[snapshot.totals.length - 1] ?? { key: 'PLAN', activities: 0, delivered: 0, late: 0, withProgress: 0, progress: 0 };
}

/** Keeps the renderings of a kept snapshot that are not kept yet (a crash between the two writes leaves some out). */
async function keepRenderings(store: CutStore, snapshot: CutSnapshot): Promise<void> {
  for (const format of CUT_FORMATS) {
    if (await store.file(snapshot, format)) continue;
    await store.keep(snapshot.plan.id, snapshot.cut, cutFileName(snapshot, format), await renderCut(snapshot, format));
  }
}

export function createCutActivities(deps: CutDeps): CutActivities {
  const domain = senderDomain(deps.from);
  return {
    async takeCutSnapshot({ plan, cut }) {
      const kept = await deps.cutStore.snapshot(plan.id, cut);
      const now = deps.now?.() ?? new Date();
      // Read on the cut day, the rows are the cut's. Read later (a run caught up, `plazos report run`),
      // they are rebuilt from the dated history and the report says so.
      const source = (DateTime.fromJSDate(now, { zone: plan.timezone }).toISODate() ?? cut) <= cut ? 'cut' : 'reconstructed';
      const taken = kept ?? (await readCutSnapshot(deps.planList, deps.calendar, plan, cut, now.toISOString(), source));
      const created = kept ? false : await deps.cutStore.keepSnapshot(taken);
      // Two runs racing: the one that linked first wins, and both go on with what was kept.
      const snapshot = created || kept ? taken : ((await deps.cutStore.snapshot(plan.id, cut)) ?? taken);
      await keepRenderings(deps.cutStore, snapshot);
      const totals = planTotals(snapshot);
      deps.logger.info({ planId: plan.id, cut, rows: snapshot.rows.length, created }, created ? 'Cut snapshot kept' : 'Cut snapshot already kept');
      return { cut, deadline: snapshot.deadline, rows: snapshot.rows.length, created, totals };
    },

    async sendCutReport(input) {
      const snapshot = await deps.cutStore.snapshot(input.plan.id, input.cut);
      if (!snapshot) {
        throw ApplicationFailure.nonRetryable(`No hay un informe conservado del corte ${input.cut} del plan ${input.plan.id}.`, 'CutSnapshotMissing');
      }
      const controlInterno = controlInternoArea(deps.areas);
      const idempotencyKey = cutIdempotencyKey(input.plan.id, input.cut);
      const messageId = messageIdFor(idempotencyKey, domain);
      const log = deps.logger.child({ idempotencyKey, kind: 'follow-up-cut', messageId });
      await keepRenderings(deps.cutStore, snapshot);
      const attachments: { filename: string; content: Buffer; contentType: string }[] = [];
      for (const format of CUT_FORMATS) {
        const content = await deps.cutStore.file(snapshot, format);
        if (content) attachments.push({ filename: cutFileName(snapshot, format), content, contentType: CUT_MEDIA_TYPES[format] });
      }
      const receipt = await sendOnce(deps, { idempotencyKey, kind: 'follow-up-cut', messageId, label: 'Follow-up cut report' }, log, () => {
        requirePlanOwner(input.plan.owner, deps.areas, 'el informe de seguimiento');
        const to = controlInterno && controlInterno !== input.plan.owner ? [input.plan.owner, controlInterno] : [input.plan.owner];
        const recipients = resolveRecipients(to, [], deps.areas);
        const totals = planTotals(snapshot);
        const baseUrl = deps.links?.baseUrl ?? null;
        const { subject, html, text } = deps.cutTemplates({
          locale: input.locale,
          plan: { id: snapshot.plan.id, title: snapshot.plan.title, entity: snapshot.plan.entity ?? null },
          cut: snapshot.cut,
          deadline: snapshot.deadline,
          totals,
          // People read the average in their locale: "13,9 %" in es-CO.
          progressText: new Intl.NumberFormat(input.locale === 'es' ? 'es-CO' : 'en', { maximumFractionDigits: 1 }).format(totals.progress),
          controlInterno: controlInterno !== null,
          planUrl: baseUrl ? `${baseUrl}/planes/${encodeURIComponent(snapshot.plan.id)}` : null,
        });
        const mail = plazosMail({
          from: deps.from,
          to: recipients.to,
          cc: recipients.cc,
          subject,
          text,
          html,
          attachments,
          notice: 'follow-up-cut',
          locale: input.locale,
        });
        return { recipients, mail };
      });
      return { ...receipt, controlInterno };
    },
  };
}
