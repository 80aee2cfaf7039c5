/**
 * The activity workflow's lifecycle on Temporal's time-skipping server, with the real activities
 * and a real SMTP server: what an area and OAPLA would see in their inboxes, notice by notice.
 */
import { cancelSignal, extendDeadlineUpdate, reviewUpdate, statusQuery, submitEvidenceUpdate } from '../../workflows/shared';
import { activityNotices } from '../../calendar/schedule';
import { DEFAULT_NOTICE_POLICY } from '../../plans/model';
import { startEngine, type Engine } from '../../simulation/engine';
import { calendar, startActivity } from '../helpers/engine';
import { seedActivity, seedAreas, seedPlan } from '../helpers/seed';
import '../helpers/temporal';

const areas = seedAreas();
const OAPLA = areas.OAPLA!.email[0]!;
const ARVIV = areas.ARVIV!.email[0]!;

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ areas });
});
afterAll(async () => {
  await engine?.close();
});

function subjectsFor(workflowIdPart: string): string[] {
  return engine.mail.messages.filter((m) => m.messageId.length > 0 && m.text.includes(workflowIdPart)).map((m) => m.subject);
}

describe('an activity nobody answers', () => {
  it('activity 3 (due Friday 20 January 2023) sends kickoff, two reminders, due, three escalations to OAPLA and ends missed', async () => {
    const activity = seedActivity(3);
    const plan = seedPlan([activity]);
    const before = engine.mail.messages.length;
    const { handle } = await startActivity(engine, plan, activity, '2023-01-03T12:00');
    const result = await handle.result();

    expect(result.status).toBe('missed');
    const expected = activityNotices({
      activity,
      period: { key: null, start: activity.start, due: activity.due },
      owner: 'OAPLA',
      policy: DEFAULT_NOTICE_POLICY,
      timezone: 'America/Bogota',
      calendar,
    });
    // What the workflow sent is exactly what the preview lists, at the same instants.
    expect(result.sent.map((s) => [s.kind, s.scheduledAt])).toEqual(expected.map((n) => [n.kind, n.at]));
    // Each went out at its instant (workflow time; seconds later when the machine is loaded).
    for (const s of result.sent) expect(s.at >= s.scheduledAt! && s.at.slice(0, 16) === s.scheduledAt!.slice(0, 16)).toBe(true);
    expect(result.sent.map((s) => s.scheduledAt)).toEqual([
      '2023-01-04T08:00:00-05:00',
      '2023-01-05T08:00:00-05:00',
      '2023-01-17T08:00:00-05:00',
      '2023-01-20T08:00:00-05:00',
      '2023-01-23T08:00:00-05:00',
      '2023-01-30T08:00:00-05:00',
      '2023-02-06T08:00:00-05:00',
      '2023-02-13T08:00:00-05:00',
    ]);
    expect(result.closedAt).toMatch(/^2023-02-13T08:00/);

    // Each notice reached the SMTP server once, with its own Message-ID.
    const received = engine.mail.messages.slice(before);
    expect(received).toHaveLength(8);
    const ids = new Set(received.map((m) => m.messageId));
    expect(ids.size).toBe(8);
    for (const sent of result.sent) expect(ids.has(sent.messageId!)).toBe(true);
    // Escalations and the missed notice go to OAPLA, the plan's owner.
    const escalations = received.filter((m) => result.sent.find((s) => s.messageId === m.messageId)?.kind === 'escalation');
    expect(escalations).toHaveLength(3);
    for (const m of escalations) expect(m.to).toContain(OAPLA);
  });
});

describe('an activity answered in time', () => {
  it('activity 13 (ARVIV): evidence on 20 June, approved the next day, closes on time with no escalation', async () => {
    const activity = seedActivity(13);
    const plan = seedPlan([activity]);
    const before = engine.mail.messages.length;
    const run = await startActivity(engine, plan, activity, '2023-05-31T12:00');
    await run.advanceTo('2023-06-20T10:00');
    const receipt = await run.handle.executeUpdate(submitEvidenceUpdate, {
      args: [{ evidence: { kind: 'url', url: engine.evidence.url('ferias-2023.pdf') }, note: 'Informe de ferias', submittedBy: 'ARVIV' }],
    });
    expect(receipt).toMatchObject({ evidenceId: 'E1', status: 'checking' });
    await run.advanceTo('2023-06-21T09:00');
    const status = await run.handle.query(statusQuery);
    expect(status).toMatchObject({ status: 'in-review' });
    await run.handle.executeUpdate(reviewUpdate, { args: [{ decision: 'approve' }] });
    const result = await run.handle.result();

    expect(result.status).toBe('on-time');
    const kinds = result.sent.map((s) => s.kind);
    // The 10-day reminder went out on 15 June; the 3-day one (27 June) was no longer owed.
    expect(kinds).toEqual(['kickoff', 'reminder', 'evidence-received', 'review-requested', 'approved']);
    expect(result.sent[1]).toMatchObject({ key: '0/reminder-10', scheduledAt: '2023-06-15T08:00:00-05:00' });
    expect(kinds).not.toContain('escalation');
    const received = engine.mail.messages.slice(before);
    expect(received).toHaveLength(5);
    expect(received[0]!.to).toEqual([ARVIV]);
    void subjectsFor;
  });
});

describe('an activity answered late', () => {
  it('activity 14: evidence after two escalations stops them, and the activity closes late', async () => {
    const activity = seedActivity(14);
    const plan = seedPlan([activity]);
    const run = await startActivity(engine, plan, activity, '2023-08-01T12:00');
    // Due Thursday 31 August; escalations on 1 and 8 September; evidence on 11 September.
    await run.advanceTo('2023-09-11T15:00');
    await run.handle.executeUpdate(submitEvidenceUpdate, {
      args: [{ evidence: { kind: 'url', url: engine.evidence.url('pai.pdf') }, submittedBy: 'OAPLA' }],
    });
    await run.advanceTo('2023-09-12T09:00');
    await run.handle.executeUpdate(reviewUpdate, { args: [{ decision: 'approve' }] });
    const result = await run.handle.result();

    expect(result.status).toBe('late');
    const escalations = result.sent.filter((s) => s.kind === 'escalation').map((s) => s.scheduledAt);
    expect(escalations).toEqual(['2023-09-01T08:00:00-05:00', '2023-09-08T08:00:00-05:00']);
    expect(result.sent.map((s) => s.kind)).not.toContain('missed');
    expect(result.closedAt).toMatch(/^2023-09-12T09:00/);
  });
});

describe('evidence that does not pass the check, then a rejection with a new due date', () => {
  it('a broken link is refused with a reason for the area, a good one goes to review, OAPLA rejects it and the new due date rules', async () => {
    const activity = seedActivity(10);
    const plan = seedPlan([activity]);
    const before = engine.mail.messages.length;
    const run = await startActivity(engine, plan, activity, '2023-04-09T12:00');
    await run.advanceTo('2023-07-10T10:00');
    await run.handle.executeUpdate(submitEvidenceUpdate, {
      args: [{ evidence: { kind: 'url', url: engine.evidence.brokenUrl('rendicion.pdf') }, submittedBy: 'OAPLA' }],
    });
    await run.advanceTo('2023-07-10T11:00');
    let status = await run.handle.query(statusQuery);
    expect(status).toMatchObject({ status: 'active' });
    if (status.kind !== 'period') throw new Error('expected a plain activity');
    expect(status.evidence[0]!.check).toMatchObject({ ok: false, code: 'http-status', status: 404 });
    const failedMail = engine.mail.messages
      .slice(before)
      .find((m) => status.kind === 'period' && m.messageId === status.sent.find((s) => s.kind === 'check-failed')?.messageId);
    expect(failedMail?.text).toContain('404');

    await run.handle.executeUpdate(submitEvidenceUpdate, {
      args: [{ evidence: { kind: 'url', url: engine.evidence.url('rendicion.pdf') }, submittedBy: 'OAPLA' }],
    });
    await run.advanceTo('2023-07-11T09:00');
    // Due 28 July; OAPLA asks for more by Wednesday 9 August (7 August is a holiday).
    await expect(
      run.handle.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reason: 'Falta el acta de la audiencia.', newDue: '2023-08-09' }] }),
    ).resolves.toEqual({ status: 'active', due: '2023-08-09' });
    status = await run.handle.query(statusQuery);
    expect(status).toMatchObject({ status: 'active', due: '2023-08-09', revision: 1 });
    if (status.kind !== 'period') throw new Error('expected a plain activity');
    // The next notice counts from the new due date: 10 business days before 9 August, passing over 7 August.
    expect(status.next).toMatchObject({ kind: 'reminder', key: 'reminder-10', at: '2023-07-25T08:00:00-05:00' });
    expect(status.next!.why.es).toContain('7 de agosto');

    await run.handle.signal(cancelSignal, { reason: 'Se reprogramó para 2024.' });
    const result = await run.handle.result();
    expect(result.status).toBe('cancelled');
    const kinds = result.sent.map((s) => s.kind);
    // The first reminder (13 July) had not come yet when the evidence arrived on 10 July.
    expect(kinds).toEqual(['kickoff', 'check-failed', 'evidence-received', 'review-requested', 'rejected', 'cancelled']);
  });
});

describe('an extension that crosses Easter', () => {
  it('activity 6, extended on 28 March 2023 to 12 April, is reminded on 5 April: Holy Thursday and Good Friday are not business days', async () => {
    const activity = seedActivity(6, { start: '2023-02-20' });
    const plan = seedPlan([activity]);
    const run = await startActivity(engine, plan, activity, '2023-02-19T12:00');
    await run.advanceTo('2023-03-28T10:00');
    await expect(run.handle.executeUpdate(extendDeadlineUpdate, { args: [{ newDue: '2023-04-12', reason: 'La encuesta sigue abierta.' }] })).resolves.toEqual({
      status: 'active',
      due: '2023-04-12',
    });
    // A date already past is refused by the validator and leaves no trace in the history.
    await expect(run.handle.executeUpdate(extendDeadlineUpdate, { args: [{ newDue: '2023-03-01', reason: 'Por error.' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/La nueva fecha 2023-03-01 ya pasó \(hoy es 2023-03-28\)/) },
    });

    await run.advanceTo('2023-04-05T09:00');
    const status = await run.handle.query(statusQuery);
    if (status.kind !== 'period') throw new Error('expected a plain activity');
    const fromThatDay = status.sent.filter((s) => s.at >= '2023-03-28');
    expect(fromThatDay.map((s) => [s.kind, s.key, s.scheduledAt ?? s.at.slice(0, 16)])).toEqual([
      // The original 3-day reminder went out at 08:00 that morning, before the extension.
      ['reminder', '0/reminder-3', '2023-03-28T08:00:00-05:00'],
      ['extended', 'extended-1', '2023-03-28T10:00'],
      ['reminder', '1/reminder-3', '2023-04-05T08:00:00-05:00'],
    ]);
    expect(status.next).toMatchObject({ kind: 'due', at: '2023-04-12T08:00:00-05:00' });

    await run.advanceTo('2023-04-11T10:00');
    await run.handle.executeUpdate(submitEvidenceUpdate, {
      args: [{ evidence: { kind: 'url', url: engine.evidence.url('encuesta.pdf') }, submittedBy: 'OAPLA' }],
    });
    await run.advanceTo('2023-04-11T11:00');
    await run.handle.executeUpdate(reviewUpdate, { args: [{ decision: 'approve', reason: 'Completo.' }] });
    const result = await run.handle.result();
    // On time against the extended due date.
    expect(result.status).toBe('on-time');
    // The original due date (31 March) never produced a due notice or an escalation.
    expect(result.sent.filter((s) => s.kind === 'due' || s.kind === 'escalation')).toEqual([]);
  });
});

describe('an activity started when it is already overdue', () => {
  it('activity 13 (ARVIV, due 30 June 2023) started on 6 July, past its first escalation: ARVIV gets the kickoff and OAPLA the escalation at once', async () => {
    const activity = seedActivity(13, { number: 131 });
    const plan = seedPlan([activity]);
    const before = engine.mail.messages.length;
    const { handle, advanceTo } = await startActivity(engine, plan, activity, '2023-07-06T10:00');
    await advanceTo('2023-07-06T10:05');
    const status = await handle.query(statusQuery);
    if (status.kind !== 'period') throw new Error('expected a plain activity');
    expect(status.status).toBe('escalated');
    // The kickoff, then the latest escalation that had passed (Tuesday 4 July: Monday 3 was San Pedro).
    expect(status.sent.map((s) => [s.kind, s.key, s.scheduledAt])).toEqual([
      ['kickoff', 'kickoff', '2023-06-01T08:00:00-05:00'],
      ['escalation', '0/escalation-1', '2023-07-04T08:00:00-05:00'],
    ]);
    const received = engine.mail.messages.slice(before);
    expect(received.map((m) => [m.to[0], m.cc])).toEqual([
      [ARVIV, []],
      [OAPLA, [ARVIV]],
    ]);
    // The next one is the second escalation, on its own date: none is sent twice.
    expect(status.next).toMatchObject({ kind: 'escalation', key: 'escalation-2', at: '2023-07-11T08:00:00-05:00' });
    await handle.signal(cancelSignal, { reason: 'fin de la prueba' });
    await handle.result();
  });
});
