/**
 * The check of a submitted evidence (a link that answers, a file that is what it says), run by the
 * checkEvidence activity while the period shows "checking"; its outcome decides whether OAPLA is
 * asked to review or the area is told what to fix.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { PeriodMail } from './period-mail';
import type { PeriodState } from './period-state';

type Activities = ReturnType<typeof createActivities>;

const { checkEvidence } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5 },
});

export async function verifySubmission(s: PeriodState, mail: PeriodMail, id: string): Promise<void> {
  const record = s.evidence.find((e) => e.id === id);
  if (!record) return;
  const check = await checkEvidence(record.evidence);
  record.check = { ...check, checkedAt: s.clock.nowIso() };
  const area = mail.toArea();
  if (!check.ok) {
    s.setStatus(s.statusBeforeCheck);
    await mail.mail('check-failed', `${id}/check`, area.to, area.cc, { detail: { checkMessage: check.message[s.input.locale] } });
    return;
  }
  s.setStatus('in-review');
  const evidenceUrl = record.evidence.kind === 'url' ? record.evidence.url : undefined;
  await mail.mail('evidence-received', `${id}/received`, area.to, [], { detail: { note: record.note, evidenceUrl } });
  await mail.mail('review-requested', `${id}/review-requested`, [s.input.plan.owner], [], { detail: { note: record.note, evidenceUrl } });
}
