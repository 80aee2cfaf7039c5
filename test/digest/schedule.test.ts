/**
 * The weekly digest on a real stack: Temporal's dev server, the production worker code, a real
 * SMTP server. A plan with one activity overdue, one due this week, one waiting for review and
 * one far off; the Schedule is created twice (the second time is a no-op), its next runs fall on
 * digest days at 08:00 Bogota, and a triggered run mails OAPLA the three lists, exactly once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { createActivities } from '../../activities';
import { digestIdempotencyKey, type DigestResult } from '../../activities/digest/types';
import { messageIdFor } from '../../activities/email/message-id';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { digestDayOfWeek } from '../../calendar/digest';
import { digestScheduleId, ensureDigestSchedule } from '../../client/digest-schedule';
import { startPlan } from '../../client/start-plan';
import { startEvidenceServer, type EvidenceServer } from '../../simulation/evidence-server';
import { startMailCapture, type CapturedMail, type MailCapture } from '../../simulation/mail-capture';
import { workflowCode } from '../../workers/workflow-code';
import { SEARCH_ATTRIBUTES, statusQuery, submitEvidenceUpdate } from '../../workflows/shared';
import { seedPlan } from '../helpers/seed';
import { startDevServer } from '../helpers/temporal';
import { testWorkerDeps } from '../helpers/worker-deps';

jest.setTimeout(120_000);

const TASK_QUEUE = 'plazos-digest-test';
const calendar = new BusinessCalendar();
const today = DateTime.now().setZone('America/Bogota').toISODate()!;
const longAgo = calendar.addBusinessDays(today, -15);
const plan = seedPlan([
  {
    number: 1,
    title: 'Publicar el informe de PQRSD',
    start: longAgo,
    due: calendar.addBusinessDays(today, -3),
    responsible: ['ASERA'],
    deliverable: 'Informe.',
  },
  {
    number: 2,
    title: 'Divulgar trámites <y> servicios',
    start: longAgo,
    due: calendar.addBusinessDays(today, 3),
    responsible: ['ASERA', 'ARCOM'],
    deliverable: 'Informe.',
  },
  {
    number: 3,
    title: 'Realizar ferias inmobiliarias',
    start: longAgo,
    due: calendar.addBusinessDays(today, 20),
    responsible: ['ARVIV'],
    deliverable: 'Informe.',
  },
  { number: 4, title: 'Evaluar la estrategia', start: longAgo, due: calendar.addBusinessDays(today, 30), responsible: ['OAPLA'], deliverable: 'Informe.' },
]);

let env: TestWorkflowEnvironment;
let mail: MailCapture;
let evidence: EvidenceServer;
let worker: Worker;
let running: Promise<void>;
let dataDir: string;
let closeDeps: () => void;

beforeAll(async () => {
  [env, mail, evidence] = await Promise.all([
    startDevServer({ searchAttributes: Object.values(SEARCH_ATTRIBUTES) }),
    startMailCapture(),
    startEvidenceServer(),
  ]);
  dataDir = mkdtempSync(join(tmpdir(), 'plazos-digest-'));
  const deps = testWorkerDeps(mail.url, dataDir, { allowPrivateEvidence: true });
  closeDeps = deps.close;
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    ...workflowCode(),
    activities: createActivities({ ...deps, links: { baseUrl: 'https://plazos.entidad.test', secret: Buffer.alloc(32, 1) } }),
  });
  running = worker.run();
  await startPlan(env.client, plan, calendar, { taskQueue: TASK_QUEUE, searchAttributes: true, kickoffNow: true });
  await mail.waitFor(4, 60_000);
  await env.client.workflow.getHandle(`${plan.id}/3`).executeUpdate(submitEvidenceUpdate, {
    args: [{ evidence: { kind: 'url', url: evidence.url('/evidencia/ferias.html') }, submittedBy: 'ARVIV' }],
  });
  await eventually(async () => (await env.client.workflow.getHandle(`${plan.id}/3`).query(statusQuery)).status === 'in-review');
  // The digest reads visibility, which follows the workflows a moment later.
  await eventually(async () => (await env.client.workflow.count(`PlazosPlan = "${plan.id}" AND PlazosStatus = "in-review"`)).count === 1);
}, 180_000);

afterAll(async () => {
  await env?.client.schedule
    .getHandle(digestScheduleId(plan.id))
    .delete()
    .catch(() => undefined);
  for (const n of [1, 2, 3, 4])
    await env?.client.workflow
      .getHandle(`${plan.id}/${n}`)
      .signal('cancel', { reason: 'fin de la prueba' })
      .catch(() => undefined);
  worker?.shutdown();
  await running;
  closeDeps?.();
  await Promise.all([env?.teardown(), mail?.close(), evidence?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * `PLAZOS_RECORD_DIGEST=v1 npx jest test/digest/schedule` writes the first run's history for the
 * replay tests (test/replay/histories/<version>/digest/): the time-skipping server that records the
 * other histories cannot list workflows, which the digest needs.
 */
async function recordHistory(workflowId: string): Promise<void> {
  const version = process.env.PLAZOS_RECORD_DIGEST;
  if (!version) return;
  await env.client.workflow.getHandle(workflowId).result();
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const dir = join(__dirname, '..', 'replay', 'histories', version, 'digest');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weekly-digest.binpb'), temporal.api.history.v1.History.encode(history).finish());
}

const digests = () => mail.messages.filter((m) => m.headers.get('x-plazos-notice') === 'digest');

/** The workflow IDs the Schedule has started, newest last. */
async function scheduledRuns(): Promise<string[]> {
  const description = await env.client.schedule.getHandle(digestScheduleId(plan.id)).describe();
  return description.info.recentActions.map((a) => a.action.workflow.workflowId);
}

describe('the weekly digest Schedule', () => {
  let digest: CapturedMail;

  it('is created by the first call and left alone by the second', async () => {
    const opts = { taskQueue: TASK_QUEUE, today };
    expect(await ensureDigestSchedule(env.client, plan, calendar, opts)).toEqual({ scheduleId: `${plan.id}/digest`, result: 'created' });
    expect(await ensureDigestSchedule(env.client, plan, calendar, opts)).toEqual({ scheduleId: `${plan.id}/digest`, result: 'already-exists' });
  });

  it('plans its next runs at 08:00 Bogota on the first business day of each week', async () => {
    const description = await env.client.schedule.getHandle(digestScheduleId(plan.id)).describe();
    const next = description.info.nextActionTimes;
    expect(next.length).toBeGreaterThan(3);
    for (const at of next) {
      const local = DateTime.fromJSDate(at, { zone: 'America/Bogota' });
      expect(local.toFormat('HH:mm:ss')).toBe('08:00:00');
      expect(local.toISODate()).toBe(digestDayOfWeek(calendar, local.toISODate()!));
    }
  });

  it('sends OAPLA one digest listing the overdue, the due-this-week and the waiting-for-review activities', async () => {
    await env.client.schedule.getHandle(digestScheduleId(plan.id)).trigger();
    await eventually(() => Promise.resolve(digests().length === 1), 60_000);
    digest = digests()[0]!;
    expect(digest.to).toEqual(['planeacion@entidad.gov.co']);
    expect(digest.messageId).toBe(messageIdFor(digestIdempotencyKey(plan.id, today), 'entidad.test'));
    expect(digest.subject).toMatch(/^Resumen semanal del .+: 1 vencidas, 1 por vencer, 1 en revisión · Formulación Plan de Participación Ciudadana 2023$/);
    const text = digest.text;
    const section = (title: string) => text.slice(text.indexOf(title), text.indexOf('\n\n', text.indexOf(title)));
    expect(section('VENCIDAS SIN EVIDENCIA (1)')).toContain('1. Publicar el informe de PQRSD · ASERA');
    expect(section('VENCEN HASTA EL')).toContain('2. Divulgar trámites <y> servicios · ASERA, ARCOM');
    expect(section('EVIDENCIA ESPERANDO REVISIÓN (1)')).toContain('3. Realizar ferias inmobiliarias · ARVIV');
    expect(text).not.toContain('Evaluar la estrategia');
    expect(text).toContain(`https://plazos.entidad.test/actividad?id=${encodeURIComponent(`${plan.id}/1`)}`);
    await recordHistory((await scheduledRuns())[0]!);
  });

  it('escapes plan text in the HTML part', () => {
    expect(digest.html).toContain('Divulgar trámites &lt;y&gt; servicios');
    expect(digest.html).not.toContain('<y>');
  });

  it('a second run on the same day sends nothing: the same key, already in the sent-ledger', async () => {
    // The Schedule skips a run while the previous one is still open (overlap SKIP): let it finish.
    await env.client.workflow.getHandle((await scheduledRuns())[0]!).result();
    await env.client.schedule.getHandle(digestScheduleId(plan.id)).trigger();
    await eventually(async () => (await scheduledRuns()).length === 2, 60_000);
    const second = (await scheduledRuns())[1]!;
    const result: DigestResult = await env.client.workflow.getHandle(second).result();
    expect(result).toEqual({ date: today, overdue: 1, dueSoon: 1, inReview: 1, messageId: digest.messageId });
    expect(digests()).toHaveLength(1);
  });
});
