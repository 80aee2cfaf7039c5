/**
 * `plazos history` reads an activity's timeline from its workflow history: checked on a recorded
 * history (test/replay/histories) of an activity whose evidence failed its check, was rejected,
 * extended, amended, and finally approved late.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { timelineFromHistory } from '../../client/timeline';

const file = join(__dirname, '../replay/histories/v1/check-failed-rejected-extended-late/participacion-ciudadana-2023_10.binpb');
const timeline = timelineFromHistory(temporal.api.history.v1.History.decode(readFileSync(file)));

describe('the audit trail of activity 10 read from its history', () => {
  it('lists every step in order, at plan time', () => {
    expect(timeline.map((e) => `${e.at.slice(0, 16)} ${e.kind} ${e.name}`)).toEqual([
      '2023-04-09T12:00 started started',
      '2023-04-10T08:00 notice kickoff',
      '2023-07-10T10:00 update submitEvidence',
      '2023-07-10T10:00 check http-status',
      '2023-07-10T10:00 notice check-failed',
      '2023-07-10T11:00 update submitEvidence',
      '2023-07-10T11:00 check ok',
      '2023-07-10T11:00 notice evidence-received',
      '2023-07-10T11:00 notice review-requested',
      '2023-07-11T09:00 update review',
      '2023-07-11T09:00 notice rejected',
      '2023-07-12T09:00 update extendDeadline',
      '2023-07-12T09:00 update amend',
      '2023-07-12T09:00 notice extended',
      '2023-07-12T09:00 notice amended',
      '2023-08-01T08:00 notice reminder',
      '2023-08-11T08:00 notice reminder',
      '2023-08-16T08:00 notice due',
      '2023-08-17T08:00 notice escalation',
      '2023-08-22T10:00 update submitEvidence',
      '2023-08-22T10:00 check ok',
      '2023-08-22T10:00 notice evidence-received',
      '2023-08-22T10:00 notice review-requested',
      '2023-08-23T09:00 update review',
      '2023-08-23T09:00 notice approved',
      '2023-08-23T09:00 closed late',
    ]);
  });

  it('says to which areas each notice went, why it fell that day, and its Message-ID', () => {
    const reminder = timeline.find((e) => e.name === 'reminder');
    expect(reminder).toMatchObject({ to: ['OAPLA'], cc: [] });
    expect(reminder?.why).toBe('10 días hábiles antes del vencimiento (miércoles 16 de agosto de 2023); se saltó el lunes 7 de agosto (Batalla de Boyacá)');
    expect(reminder?.messageId).toMatch(/^<[0-9a-f]{32}@entidad\.gov\.co>$/);
    expect(timeline.find((e) => e.name === 'escalation')?.details).toEqual({ escalation: 1, maxEscalations: 3 });
  });

  it('keeps what OAPLA decided and why the check failed', () => {
    expect(timeline.find((e) => e.kind === 'check' && e.name === 'http-status')?.details).toMatchObject({ status: 404 });
    // With what the workflow answered: the activity open again, due on the new date.
    expect(timeline.find((e) => e.name === 'review')?.details).toEqual({
      args: [{ decision: 'reject', reason: 'Falta el acta.', newDue: '2023-08-09' }],
      result: { due: '2023-08-09', status: 'active' },
    });
  });
});
