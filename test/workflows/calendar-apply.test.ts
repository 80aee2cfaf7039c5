/**
 * A calendar change reaching a running plan, on the dev server with the production worker and a
 * real SMTP server: a day off declared on the date of a pending reminder moves the reminder to the
 * business day before, it arrives there once, the status says why, and the history keeps the change.
 *
 * The workflow's clock runs with an offset (as `plan simulate` does) so that "the business day
 * before" is a few seconds away: Wednesday 15 September 2027, 07:59:20 in Bogotá, when the test starts.
 *
 * `PLAZOS_RECORD_CALENDAR=v2 npx jest test/workflows/calendar-apply` also writes the history for the
 * replay tests (test/replay/histories/v2/calendar-apply/).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { applyCalendar } from '../../client/calendar-apply';
import { startPlan } from '../../client/start-plan';
import { parseEnv } from '../../config/schema';
import { PlanSchema } from '../../plans/model';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { createWorker } from '../../workers/main';
import { millisOf } from '../../workflows/clock';
import { CALENDAR_PATCH } from '../../workflows/calendar-update';
import { cancelSignal, SEARCH_ATTRIBUTES, statusQuery, type PeriodStatusView } from '../../workflows/shared';
import { eventually } from '../helpers/eventually';
import { seedActivity, seedPlan } from '../helpers/seed';
import { startDevServer } from '../helpers/temporal';

const TASK_QUEUE = 'plazos-calendar-apply-test';
const national = new BusinessCalendar();
// Thursday 16 September 2027 becomes a day off after the plan started (a día cívico).
const withDayOff = new BusinessCalendar(undefined, [{ date: '2027-09-16', name: 'Día cívico', law: 'Decreto 0001 de 2027' }]);

// Due Thursday 30 September: the first reminder, 10 business days before, falls on Thursday 16.
const plan = PlanSchema.parse({
  ...seedPlan([seedActivity(13, { start: '2027-09-01', due: '2027-09-30' })]),
  id: 'calendario-prueba-2027',
  title: 'Plan de prueba del calendario 2027',
  year: 2027,
});
const workflowId = `${plan.id}/13`;

let env: TestWorkflowEnvironment;
let mail: MailCapture;
let worker: Worker;
let running: Promise<void>;
let closeWorker: () => Promise<void>;
let dataDir: string;

const status = async () => (await env.client.workflow.getHandle(workflowId).query(statusQuery)) as PeriodStatusView;
const reminders = () => mail.messages.filter((m) => m.headers.get('x-plazos-notice') === 'reminder');

beforeAll(async () => {
  [env, mail] = await Promise.all([startDevServer({ searchAttributes: Object.values(SEARCH_ATTRIBUTES) }), startMailCapture()]);
  dataDir = mkdtempSync(join(tmpdir(), 'plazos-calendar-'));
  const config = parseEnv({ TEMPORAL_ADDRESS: env.address, PLAZOS_SMTP_URL: mail.url, PLAZOS_DATA_DIR: dataDir, PLAZOS_TASK_QUEUE: TASK_QUEUE });
  const created = await createWorker(config, pino({ level: 'silent' }));
  worker = created.worker;
  closeWorker = created.close;
  running = worker.run();
  const clockOffsetMs = millisOf('2027-09-15T07:59:20-05:00') - Date.now();
  await startPlan(env.client, plan, national, { taskQueue: TASK_QUEUE, searchAttributes: true, clockOffsetMs });
  await mail.waitFor(1); // the kickoff, sent at once: the activity began on 1 September
}, 60_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await closeWorker?.();
  await Promise.all([env?.teardown(), mail?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a día cívico declared on the date of a pending reminder', () => {
  it('before the change, the next notice is the reminder of Thursday 16 September', async () => {
    const s = await status();
    expect(s.next).toMatchObject({ kind: 'reminder', key: 'reminder-10', at: '2027-09-16T08:00:00-05:00' });
    expect(s.next?.moved).toBeUndefined();
  });

  it('calendar apply moves it to Wednesday 15 and says why, and the status keeps the change', async () => {
    const [report] = await applyCalendar(env.client, withDayOff, [plan.id], { today: '2027-09-15' });
    expect(report?.outcomes).toEqual([
      {
        workflowId,
        result: 'updated',
        moved: [
          {
            key: 'reminder-10',
            kind: 'reminder',
            from: '2027-09-16T08:00:00-05:00',
            to: '2027-09-15T08:00:00-05:00',
            causes: [{ date: '2027-09-16', change: 'added', kind: 'entity', name: { es: 'Día cívico', en: 'Día cívico' }, law: 'Decreto 0001 de 2027' }],
          },
        ],
      },
    ]);
    const s = await status();
    expect(s.next?.at).toBe('2027-09-15T08:00:00-05:00');
    expect(s.next?.moved?.why.es).toBe(
      'se movió al miércoles 15 de septiembre: el jueves 16 de septiembre es día no laborable de la entidad (Día cívico, Decreto 0001 de 2027)',
    );
    expect(s.calendarChanges).toHaveLength(1);
    expect(s.calendarChanges?.[0]?.added.map((d) => d.date)).toEqual(['2027-09-16']);
  });

  it('the reminder arrives once, on Wednesday 15 September at 08:00 of the workflow, and nothing is sent twice', async () => {
    await mail.waitFor(2, 90_000);
    // Recorded with its Message-ID once the send returned, in the task that also set the status.
    const s = await eventually(status, (v) => v.status === 'reminded' && v.sent.some((n) => n.kind === 'reminder' && n.messageId), 'the reminder recorded', {
      timeoutMs: 30_000,
    });
    expect(s.sent.filter((n) => n.kind === 'reminder')).toEqual([expect.objectContaining({ key: '0/reminder-10', scheduledAt: '2027-09-15T08:00:00-05:00' })]);
    expect(reminders()).toHaveLength(1);
    expect(mail.messages.filter((m) => m.headers.get('x-plazos-notice') === 'kickoff')).toHaveLength(1);
    expect(s.next).toMatchObject({ kind: 'reminder', key: 'reminder-3' });
  });

  it('applying the same calendar again changes nothing and writes nothing to the history', async () => {
    const handle = env.client.workflow.getHandle(workflowId);
    const before = (await handle.fetchHistory()).events?.length;
    const [report] = await applyCalendar(env.client, withDayOff, [plan.id], { today: '2027-09-15' });
    expect(report?.outcomes).toEqual([{ workflowId, result: 'unchanged' }]);
    expect((await handle.fetchHistory()).events?.length).toBe(before);
  });

  it('the history shows the change: one accepted applyCalendar update, with the day off it brought', async () => {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)).toEqual(['applyCalendar']);
    // The patch's id is in the marker's details, as JSON; other patches (list-attributes-v1) mark the history too.
    const markers = (history.events ?? []).filter(
      (e) =>
        e.markerRecordedEventAttributes?.markerName === 'core_patch' &&
        Object.values(e.markerRecordedEventAttributes.details ?? {}).some((d) =>
          d.payloads?.some((p) =>
            Buffer.from(p.data ?? [])
              .toString()
              .includes(CALENDAR_PATCH),
          ),
        ),
    );
    expect(markers).toHaveLength(1);
    await recordHistory();
  });
});

async function recordHistory(): Promise<void> {
  const version = process.env.PLAZOS_RECORD_CALENDAR;
  if (!version) return;
  const handle = env.client.workflow.getHandle(workflowId);
  await handle.signal(cancelSignal, { reason: 'Fin de la grabación de la historia.' });
  await handle.result();
  const dir = join(__dirname, '..', 'replay', 'histories', version, 'calendar-apply');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'day-off-moves-reminder.binpb'), temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
}
