/**
 * `plazos plan simulate` on the seed plan: the real workflows and activities, the time-skipping
 * server and a real SMTP server, checked against `plazos plan preview` and by hand.
 */
import { join } from 'node:path';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { planNotices } from '../../calendar/schedule';
import { loadAreasFile } from '../../config/load-areas';
import { REPO_ROOT } from '../../config/paths';
import { importPlanFile } from '../../plans/importers';
import type { Plan } from '../../plans/model';
import { simulatePlan, type SimulationReport } from '../../simulation/simulate';
import '../helpers/temporal';

const calendar = new BusinessCalendar();
const { areas } = loadAreasFile(join(REPO_ROOT, 'config', 'areas.yaml'));
let seed: Plan;

beforeAll(async () => {
  const imported = await importPlanFile(join(REPO_ROOT, 'plans', 'examples', 'plan-participacion-ciudadana-2023.txt'), { areas: areas!, calendar });
  seed = imported.plan!;
});

function only(plan: Plan, numbers: number[]): Plan {
  return { ...plan, activities: plan.activities.filter((a) => numbers.includes(a.number)) };
}

describe('the seed plan left unanswered for a whole year', () => {
  let report: SimulationReport;
  beforeAll(async () => {
    report = await simulatePlan({ plan: seed, areas: areas!, calendar, submit: new Map(), reject: new Map() });
  });

  it('sends exactly the notices plan preview lists, at the same instants', () => {
    const preview = planNotices(seed, calendar).map((n) => [n.activity, n.period, n.kind, n.at]);
    const sent = report.notifications.map((n) => [n.activity, n.period, n.kind, n.scheduledAt]);
    // Each went out at its instant (workflow time; seconds later when the machine is loaded).
    expect(report.notifications.filter((n) => !(n.scheduledAt && n.at >= n.scheduledAt && n.at.slice(0, 16) === n.scheduledAt.slice(0, 16)))).toEqual([]);
    expect(sent).toHaveLength(320);
    expect(sent).toEqual(preview);
  });

  it('ends every activity and every monthly period of activity 11 as missed', () => {
    expect(report.outcomes).toHaveLength(18 + 22);
    expect(new Set(report.outcomes.map((o) => o.status))).toEqual(new Set(['missed']));
    expect(report.outcomes.filter((o) => o.activity === 11).map((o) => o.period)).toEqual([
      '2022-02',
      '2022-03',
      '2022-04',
      '2022-05',
      '2022-06',
      '2022-07',
      '2022-08',
      '2022-09',
      '2022-10',
      '2022-11',
      '2022-12',
      '2023-01',
      '2023-02',
      '2023-03',
      '2023-04',
      '2023-05',
      '2023-06',
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
      '2023-11',
    ]);
  });

  it('addresses each e-mail from the areas directory, with a Spanish subject', () => {
    const kickoff13 = report.notifications.find((n) => n.activity === 13 && n.kind === 'kickoff');
    expect(kickoff13).toMatchObject({ scheduledAt: '2023-06-01T08:00:00-05:00', to: ['vivienda@entidad.gov.co'] });
    expect(kickoff13!.subject).toMatch(/^Inicia la actividad 13: Desarrollar ferias inmobiliarias/);
    const escalation = report.notifications.find((n) => n.activity === 13 && n.kind === 'escalation');
    expect(escalation).toMatchObject({ to: ['planeacion@entidad.gov.co'], cc: ['vivienda@entidad.gov.co'] });
    expect(report.notifications.every((n) => n.to.length > 0 && n.subject.length > 0)).toBe(true);
  });
});

describe('the seed plan with evidence', () => {
  it('evidence before the due date: no escalation and on-time; after it: escalations stop that day and late; rejected: the new due date rules', async () => {
    const plan = only(seed, [10, 13, 14]);
    const report = await simulatePlan({
      plan,
      areas: areas!,
      calendar,
      submit: new Map([
        [13, ['2023-06-20']],
        [14, ['2023-09-11']],
        [10, ['2023-07-10', '2023-08-08']],
      ]),
      reject: new Map([[10, ['2023-08-09']]]),
    });
    const outcome = (n: number) => report.outcomes.find((o) => o.activity === n);
    const kinds = (n: number) => report.notifications.filter((x) => x.activity === n).map((x) => x.kind);

    expect(outcome(13)).toMatchObject({ status: 'on-time', closedAt: expect.stringMatching(/^2023-06-21T09:00/) });
    expect(kinds(13)).toEqual(['kickoff', 'reminder', 'evidence-received', 'review-requested', 'approved']);

    expect(outcome(14)).toMatchObject({ status: 'late', closedAt: expect.stringMatching(/^2023-09-12T09:00/) });
    const escalations14 = report.notifications.filter((x) => x.activity === 14 && x.kind === 'escalation').map((x) => x.scheduledAt);
    expect(escalations14).toEqual(['2023-09-01T08:00:00-05:00', '2023-09-08T08:00:00-05:00']);

    // Activity 10: due 28 July; evidence on 10 July rejected on 11 July with a new due date of
    // 9 August; new evidence on 8 August, approved on 9 August: on time against the new date.
    expect(kinds(10)).toEqual([
      'kickoff',
      'evidence-received',
      'review-requested',
      'rejected',
      'reminder',
      'reminder',
      'evidence-received',
      'review-requested',
      'approved',
    ]);
    expect(outcome(10)).toMatchObject({ status: 'on-time', closedAt: expect.stringMatching(/^2023-08-09T09:00/) });
    expect(report.notes).toEqual([]);
  });
});
