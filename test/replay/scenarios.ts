/**
 * The runs whose histories are kept in test/replay/histories/: each path of the lifecycle once.
 * `npm run record-histories` records them anew (only when a deliberate, patched() change asks for
 * it: the old files must stay, since running workflows have the old histories).
 */
import { UPDATES_PER_RUN_MAX } from '../../workflows/continue-as-new';
import { amendUpdate, cancelSignal, extendDeadlineUpdate, reportProgressUpdate, reviewUpdate, submitEvidenceUpdate } from '../../workflows/shared';
import type { Engine } from '../../simulation/engine';
import { startActivity, type Started } from '../helpers/engine';
import { seedActivity, seedPlan } from '../helpers/seed';

export interface Scenario {
  name: string;
  run(engine: Engine): Promise<Started>;
}

async function submitAndReview(engine: Engine, run: Started, at: string, reviewAt: string, review: object, url = engine.evidence.url('informe.pdf')) {
  await run.advanceTo(at);
  await run.handle.executeUpdate(submitEvidenceUpdate, { args: [{ evidence: { kind: 'url', url }, note: 'Informe', submittedBy: 'OAPLA' }] });
  await run.advanceTo(reviewAt);
  await run.handle.executeUpdate(reviewUpdate, { args: [review as never] });
}

export const SCENARIOS: Scenario[] = [
  {
    // From v2 on: a workflow that starts overdue sends its latest escalation at once.
    name: 'started-overdue',
    run: async (engine) => {
      const a = seedActivity(13);
      const run = await startActivity(engine, seedPlan([a]), a, '2023-07-06T10:00');
      await submitAndReview(engine, run, '2023-07-07T10:00', '2023-07-07T11:00', { decision: 'approve' });
      return run;
    },
  },
  {
    name: 'missed-no-evidence',
    run: async (engine) => {
      const a = seedActivity(3);
      return startActivity(engine, seedPlan([a]), a, '2023-01-03T12:00');
    },
  },
  {
    name: 'on-time-approved',
    run: async (engine) => {
      const a = seedActivity(13);
      const run = await startActivity(engine, seedPlan([a]), a, '2023-05-31T12:00');
      await submitAndReview(engine, run, '2023-06-20T10:00', '2023-06-21T09:00', { decision: 'approve' });
      return run;
    },
  },
  {
    name: 'check-failed-rejected-extended-late',
    run: async (engine) => {
      const a = seedActivity(10);
      const run = await startActivity(engine, seedPlan([a]), a, '2023-04-09T12:00');
      await run.advanceTo('2023-07-10T10:00');
      await run.handle.executeUpdate(submitEvidenceUpdate, {
        args: [{ evidence: { kind: 'url', url: engine.evidence.brokenUrl('x.pdf') }, submittedBy: 'OAPLA' }],
      });
      await submitAndReview(engine, run, '2023-07-10T11:00', '2023-07-11T09:00', { decision: 'reject', reason: 'Falta el acta.', newDue: '2023-08-09' });
      await run.advanceTo('2023-07-12T09:00');
      await run.handle.executeUpdate(extendDeadlineUpdate, { args: [{ newDue: '2023-08-16', reason: 'Vacaciones del equipo.' }] });
      await run.handle.executeUpdate(amendUpdate, { args: [{ deliverable: 'Informe y acta de la audiencia.', reason: 'Se precisa el entregable.' }] });
      await submitAndReview(engine, run, '2023-08-22T10:00', '2023-08-23T09:00', { decision: 'approve' });
      return run;
    },
  },
  {
    name: 'cancelled',
    run: async (engine) => {
      const a = seedActivity(14);
      const run = await startActivity(engine, seedPlan([a]), a, '2023-08-01T12:00');
      await run.advanceTo('2023-08-15T10:00');
      await run.handle.signal(cancelSignal, { reason: 'La actividad se retiró del plan.' });
      return run;
    },
  },
  {
    // From v6 on: more progress reports than one run takes, so the period continues as new (twice),
    // then an extension, evidence and its approval on the continued run.
    name: 'continued-as-new',
    run: async (engine) => {
      const a = seedActivity(13);
      const run = await startActivity(engine, seedPlan([a]), a, '2023-05-31T12:00');
      await run.advanceTo('2023-06-05T10:00');
      const reports = 2 * UPDATES_PER_RUN_MAX + 20;
      for (let i = 0; i < reports; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, k) =>
            run.handle.executeUpdate(reportProgressUpdate, { args: [{ percent: (i + k) % 101, note: `Avance ${i + k}`, reportedBy: 'OAPLA', via: 'web' }] }),
          ),
        );
      }
      await run.advanceTo('2023-06-06T10:00');
      await run.handle.executeUpdate(extendDeadlineUpdate, { args: [{ newDue: '2023-07-14', reason: 'Se espera el informe de la encuesta.' }] });
      await submitAndReview(engine, run, '2023-07-10T10:00', '2023-07-11T09:00', { decision: 'approve' });
      return run;
    },
  },
  {
    name: 'monthly-three-periods',
    run: async (engine) => {
      const a = seedActivity(14, {
        number: 11,
        title: 'Realizar seguimiento mensual a los contenidos del sitio WEB.',
        start: '2023-02-01',
        due: '2023-04-30',
        responsible: ['ARCOM'],
        recurrence: { frequency: 'monthly', due: { rule: 'end-of-period' } },
      });
      const run = await startActivity(engine, seedPlan([a]), a, '2023-01-31T12:00');
      await run.advanceTo('2023-03-06T10:00');
      const child = engine.env.client.workflow.getHandle('participacion-ciudadana-2023/11/2023-03');
      await child.executeUpdate(submitEvidenceUpdate, { args: [{ evidence: { kind: 'url', url: engine.evidence.url('web.pdf') }, submittedBy: 'ARCOM' }] });
      await run.advanceTo('2023-03-07T10:00');
      await child.executeUpdate(reviewUpdate, { args: [{ decision: 'approve' }] });
      return run;
    },
  },
];
