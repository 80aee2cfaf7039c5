/**
 * readStatus (client/status.ts) on the real dev server with the production workflows: the worker's
 * full answer while it runs; once it is shut down, an answer from the server's index (the search
 * attributes the workflow set, the input it started with) instead of a wait; the same for a
 * workflow whose task queue no worker ever polled; and the weekly digest, which reads the same way.
 *
 * The tests run in order: the worker is shut down between the first describe block and the second.
 */
import { Client, Connection } from '@temporalio/client';
import { DateTime } from 'luxon';
import { collectDigestContent } from '../../activities/digest/collect';
import { BusinessCalendar } from '../../calendar/business-calendar';
import type { DigestContent } from '../../calendar/digest';
import { planListOf } from '../../client/plan-list';
import { startPlan } from '../../client/start-plan';
import { readStatus, STATUS_DEADLINE_MS, type StatusReading } from '../../client/status';
import { SEARCH_ATTRIBUTES, type PeriodStatusView } from '../../workflows/shared';
import { seedPlan } from '../helpers/seed';
import { closedPort } from '../helpers/smtp';
import { settled, startStatusStack, type StatusStack } from './status-stack';

const ZONE = 'America/Bogota';
const calendar = new BusinessCalendar();
const today = DateTime.now().setZone(ZONE).toISODate()!;
// Begun on the last business day: each kickoff is owed at once.
const yesterday = calendar.previousBusinessDay(today);
const due = calendar.addBusinessDays(today, 20);
// Within the digest's five business days.
const soon = calendar.addBusinessDays(today, 2);

const plan = seedPlan([
  { number: 1, title: 'Desarrollar ferias inmobiliarias', responsible: ['ARVIV'], deliverable: 'Informe de ferias.', start: yesterday, due },
  { number: 2, title: 'Divulgar trámites y servicios', responsible: ['ASERA', 'ARCOM'], deliverable: 'Informe de divulgación.', start: yesterday, due },
  { number: 3, title: 'Seguimiento al sitio web', responsible: ['ARCOM'], deliverable: 'Informe del sitio web.', start: yesterday, due: soon },
]);
const id = (n: number) => `${plan.id}/${n}`;
const digestInput = { planId: plan.id, timezone: ZONE, today };

let stack: StatusStack;
beforeAll(async () => {
  stack = await startStatusStack('plazos-status-read');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await Promise.all([1, 2, 3].map((n) => settled(stack.env.client, id(n))));
}, 120_000);
afterAll(() => stack?.stop());

function fromIndex(reading: StatusReading | null): Extract<StatusReading, { source: 'index' }> {
  if (reading?.source !== 'index') throw new Error(`expected an answer from the index, got ${JSON.stringify(reading)?.slice(0, 300)}`);
  return reading;
}

let workerSaw: PeriodStatusView;
let digestWithWorker: DigestContent;

describe('while a worker runs', () => {
  it('answers from the worker: the full status, with the kickoff it sent and the next notice', async () => {
    const reading = await readStatus(stack.env.client, id(2));
    if (reading?.source !== 'worker' || reading.status.kind !== 'period') throw new Error(`expected the worker's answer, got ${JSON.stringify(reading)}`);
    workerSaw = reading.status;
    expect(workerSaw.activity.title).toBe('Divulgar trámites y servicios');
    expect(workerSaw.due).toBe(due);
    expect(workerSaw.sent.map((s) => s.kind)).toEqual(['kickoff']);
    expect(workerSaw.next).not.toBeNull();
  });

  it('an activity that does not exist reads as null', async () => {
    expect(await readStatus(stack.env.client, `${plan.id}/99`)).toBeNull();
  });

  it('the weekly digest lists the activity due within five business days', async () => {
    digestWithWorker = await collectDigestContent(
      planListOf(() => stack.env.client),
      calendar,
      digestInput,
    );
    expect(digestWithWorker.dueSoon.map((e) => [e.workflowId, e.title, e.due])).toEqual([[id(3), 'Seguimiento al sitio web', soon]]);
  });
});

describe('after the worker is shut down', () => {
  beforeAll(() => stack.stopWorker());

  it('answers from the server index with the status, due date and areas the workflow set in its search attributes', async () => {
    const reading = fromIndex(await readStatus(stack.env.client, id(2)));
    const attrs = (await stack.env.client.workflow.getHandle(id(2)).describe()).typedSearchAttributes;
    expect(reading.deadlineMs).toBe(STATUS_DEADLINE_MS);
    expect(reading.index.status).toBe(attrs.get(SEARCH_ATTRIBUTES.status));
    expect(reading.index.status).toBe(workerSaw.status);
    expect(reading.index.due).toBe(DateTime.fromJSDate(attrs.get(SEARCH_ATTRIBUTES.due)!, { zone: ZONE }).toISODate());
    expect(reading.index.due).toBe(due);
    expect(reading.index.areas).toEqual(attrs.get(SEARCH_ATTRIBUTES.areas));
    expect(reading.index.areas).toEqual(['ASERA', 'ARCOM']);
    expect(reading.index).toMatchObject({ workflowId: id(2), planId: plan.id, activity: 2, period: null, execution: 'RUNNING' });
    expect(reading.index.startedAs).toEqual({
      title: 'Divulgar trámites y servicios',
      deliverable: 'Informe de divulgación.',
      start: yesterday,
      due,
      timezone: ZONE,
    });
  });

  it('an activity that does not exist still reads as null', async () => {
    expect(await readStatus(stack.env.client, `${plan.id}/99`)).toBeNull();
  });

  it('the weekly digest lists the same activities from the index as it did from the worker', async () => {
    expect(
      await collectDigestContent(
        planListOf(() => stack.env.client),
        calendar,
        digestInput,
      ),
    ).toEqual(digestWithWorker);
  });
});

describe('a workflow on a task queue that no worker ever polled', () => {
  it('answers from the index with the status and due date it was started with (plan start sets both), and its planned dates', async () => {
    const lonely = { ...plan, id: 'sin-motor', activities: plan.activities.slice(0, 1) };
    await startPlan(stack.env.client, lonely, calendar, { taskQueue: 'plazos-nobody-polls', searchAttributes: true });
    const reading = fromIndex(await readStatus(stack.env.client, 'sin-motor/1'));
    expect(reading.index).toMatchObject({ planId: 'sin-motor', activity: 1, areas: ['ARVIV'], status: 'scheduled', due, execution: 'RUNNING' });
    expect(reading.index.startedAs).toMatchObject({ title: 'Desarrollar ferias inmobiliarias', start: yesterday, due });
  });
});

describe('when the Temporal server cannot be reached', () => {
  it('the read fails instead of answering from an index it could not read', async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}` });
    try {
      await expect(readStatus(new Client({ connection }), id(1))).rejects.toThrow();
    } finally {
      await connection.close();
    }
  });
});
