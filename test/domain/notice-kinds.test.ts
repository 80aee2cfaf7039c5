/**
 * One list of notice kinds (domain/notice-kinds.ts) from which the rest derive: every kind has its
 * label in both languages, exactly, and the schedule's kinds are kinds of that list.
 */
import { NOTICE_KIND_LABELS, KIND_LABELS } from '../../domain/labels';
import { NOTICE_KINDS, type NoticeKind, type ScheduledNoticeKind } from '../../domain/notice-kinds';
import type { NoticeKind as ScheduleKind } from '../../calendar/schedule';

it('every kind of notice has a label in Spanish and English, and the labels name no other kind', () => {
  for (const locale of ['es', 'en'] as const) {
    expect(Object.keys(NOTICE_KIND_LABELS[locale]).sort()).toEqual([...NOTICE_KINDS].sort());
    for (const kind of NOTICE_KINDS) expect(KIND_LABELS[locale][kind]).toBe(NOTICE_KIND_LABELS[locale][kind]);
  }
});

it("the schedule's kinds are kinds of the one list", () => {
  const scheduled: ScheduledNoticeKind[] = ['kickoff', 'reminder', 'due', 'escalation', 'missed'];
  // A schedule kind that is not a notice kind would not compile here.
  const asKinds: NoticeKind[] = scheduled satisfies ScheduleKind[];
  expect(asKinds.every((k) => (NOTICE_KINDS as readonly string[]).includes(k))).toBe(true);
});
