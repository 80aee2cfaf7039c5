/**
 * Progress and the follow-up cuts on a real stack: Temporal's dev server, the production workflows
 * and activities, a real SMTP capture and the web app. Areas report progress through the evidence
 * page (alone, or with a deliverable) and through the update a reply uses (a re-delivered reply is
 * recorded once); the plan page lists it from visibility; the plan's cut Schedule, triggered on a cut
 * day, keeps the report and mails it once, with CSV, XLSX and PDF, to OAPLA and Control Interno; the
 * plan's cut page gives the kept files back byte-for-byte, and a past cut with nothing kept rebuilt.
 *
 * `PLAZOS_RECORD_PROGRESS=v4 npx jest test/web/progress-cuts` also writes the histories of the
 * progress-v1 paths for the replay tests (test/replay/histories/v4/progress/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import ExcelJS from 'exceljs';
import { cutIdempotencyKey, type CutResult } from '../../activities/follow-up';
import { messageIdFor } from '../../activities/email/message-id';
import { addDays } from '../../calendar/days';
import { cutScheduleId, ensureCutSchedule } from '../../client/cut-schedule';
import { startPlan } from '../../client/start-plan';
import { cancelSignal, reportProgressUpdate, statusQuery, type PeriodStatusView } from '../../workflows/shared';
import { itWhen } from '../helpers/skip';
import { BASE_URL, Browser, csrfOf, eventually, Multipart, PASSWORD, startStack, webTestPlan, type Stack } from './stack';

jest.setTimeout(120_000);

const { calendar, today, plan: base } = webTestPlan(3);
const yesterday = addDays(today, -1);
// Today is a cut of this plan, so the Schedule triggered now takes today's report; yesterday is one
// too, and nothing was kept for it.
const plan = { ...base, year: Number(today.slice(0, 4)), followUpCuts: [...new Set([yesterday.slice(5), today.slice(5)])].sort() };
const sameYear = yesterday.slice(0, 4) === today.slice(0, 4);

let stack: Stack;
let oapla: Browser;

beforeAll(async () => {
  stack = await startStack('plazos-avance-cortes');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await stack.mail.waitFor(3, 30_000);
  oapla = new Browser(stack.origin);
  const login = await oapla.get('/entrar');
  expect((await oapla.post('/entrar', { _csrf: csrfOf(login.body), usuario: 'planeacion', clave: PASSWORD, volver: '/' })).statusCode).toBe(303);
}, 90_000);

afterAll(async () => {
  await stack?.env.client.schedule
    .getHandle(cutScheduleId(plan.id))
    .delete()
    .catch(() => undefined);
  await stack?.stop();
});

const handle = (n: number) => stack.env.client.workflow.getHandle(`${plan.id}/${n}`);
const status = async (n: number) => (await handle(n).query(statusQuery)) as PeriodStatusView;

function linkFor(address: string): string {
  const mail = stack.mail.messages.find((m) => m.to.includes(address) && m.subject.startsWith('Inicia la actividad'));
  const m = mail && new RegExp(`${BASE_URL}/evidencia/[A-Za-z0-9_.-]+`).exec(mail.text);
  if (!m) throw new Error(`no evidence link in the kickoff mail to ${address}`);
  return m[0].slice(BASE_URL.length);
}

async function postForm(link: string, fields: Record<string, string>) {
  const browser = new Browser(stack.origin);
  const form = await browser.get(link);
  const multipart = new Multipart().field('_csrf', csrfOf(form.body));
  for (const [k, v] of Object.entries(fields)) multipart.field(k, v);
  return browser.request('POST', link, { multipart });
}

describe('progress', () => {
  it('an area reports 60 % with a note from the evidence page, without a deliverable: the activity keeps it, dated', async () => {
    const res = await postForm(linkFor('vivienda@entidad.gov.co'), { progress: '60', note: 'Dos de tres ferias realizadas.' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Recibimos el avance de la actividad 1');
    const s = await status(1);
    expect(s.status).toBe('active');
    expect(s.progress).toEqual([expect.objectContaining({ percent: 60, note: 'Dos de tres ferias realizadas.', reportedBy: 'ARVIV', via: 'web' })]);
    expect(s.evidence).toHaveLength(0);
  });

  it('the page refuses a percentage out of range in Spanish and records nothing', async () => {
    const res = await postForm(linkFor('vivienda@entidad.gov.co'), { progress: '150' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('El avance no puede pasar de 100 %.');
    expect((await status(1)).progress).toHaveLength(1);
  });

  it('a deliverable carries its progress: the evidence and a 100 % report, tied to it', async () => {
    const res = await postForm(linkFor('comunicaciones@entidad.gov.co'), { url: stack.evidence.url('sitio.pdf'), progress: '100' });
    expect(res.statusCode).toBe(200);
    const s = await eventually(
      () => status(3),
      (v) => v.status === 'in-review',
      'activity 3 in review',
    );
    expect(s.progress).toEqual([expect.objectContaining({ percent: 100, via: 'evidence', evidenceId: 'E1' })]);
  });

  it('a reply reported twice under the same Message-ID is recorded once; the validator refuses 101 before history', async () => {
    const report = { percent: 30, note: 'Avance: 30 %', reportedBy: 'ASERA', via: 'email' as const, sourceId: '<respuesta-1@entidad.gov.co>' };
    const first = await handle(2).executeUpdate(reportProgressUpdate, { args: [report] });
    const again = await handle(2).executeUpdate(reportProgressUpdate, { args: [{ ...report, percent: 35 }] });
    expect(again).toEqual(first);
    const before = (await handle(2).fetchHistory()).events?.length;
    await expect(handle(2).executeUpdate(reportProgressUpdate, { args: [{ ...report, sourceId: undefined, percent: 101 }] })).rejects.toMatchObject({
      cause: { message: expect.stringContaining('El avance no puede pasar de 100 %.') },
    });
    expect((await handle(2).fetchHistory()).events?.length).toBe(before);
    expect((await status(2)).progress).toEqual([expect.objectContaining({ percent: 30, via: 'email', sourceId: '<respuesta-1@entidad.gov.co>' })]);
  });

  it('the plan page lists each activity’s last progress from visibility', async () => {
    await eventually(
      async () => (await stack.env.client.workflow.count(`PlazosPlan = "${plan.id}" AND PlazosProgress >= 0`)).count,
      (n) => n === 3,
      'three activities indexed with progress',
    );
    const page = await oapla.get(`/planes/${plan.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<th>Avance</th>');
    for (const p of ['60 %', '30 %', '100 %']) expect(page.body).toContain(`<td data-label="Avance">${p}</td>`);
  });
});

describe('the follow-up cut', () => {
  let result: CutResult;

  it('the plan’s Schedule runs at 23:59 on each cut day, with the deadline in its comment; created once, then brought up to date', async () => {
    const created = await ensureCutSchedule(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue });
    expect(created.result).toBe('created');
    expect((await ensureCutSchedule(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue })).result).toBe('updated');
    const described = await stack.env.client.schedule.getHandle(cutScheduleId(plan.id)).describe();
    expect(described.spec.calendars?.map((c) => c.comment)).toEqual(created.cuts.map((c) => `Corte ${c.cut}; publicar a más tardar el ${c.deadline}`));
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 23, end: 23, step: 1 }], minute: [{ start: 59, end: 59, step: 1 }] });
  });

  it('triggered on a cut day, it keeps the report and mails it once to OAPLA and Control Interno, with CSV, XLSX and PDF', async () => {
    const schedule = stack.env.client.schedule.getHandle(cutScheduleId(plan.id));
    // Visibility follows the workflows a moment later: the report reads it.
    await eventually(
      async () => (await stack.env.client.workflow.count(`PlazosPlan = "${plan.id}" AND PlazosProgress = 30`)).count,
      (n) => n === 1,
      'the reply’s progress indexed',
    );
    await schedule.trigger();
    const run = await eventually(
      async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId,
      (id) => id !== undefined,
      'the Schedule started a run',
    );
    cutRun = run!;
    result = (await stack.env.client.workflow.getHandle(run!).result()) as CutResult;
    expect(result).toMatchObject({ cut: today, rows: 3 });
    const mails = stack.mail.messages.filter((m) => m.headers.get('x-plazos-notice') === 'follow-up-cut');
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.messageId).toBe(messageIdFor(cutIdempotencyKey(plan.id, today), 'entidad.test'));
    expect(mail.envelopeTo.sort()).toEqual(['control.interno@entidad.gov.co', 'planeacion@entidad.gov.co']);
    expect(mail.subject).toContain(`Seguimiento al corte del ${today}`);
    // The average as Spanish writes it: a decimal comma, never a point.
    expect(mail.subject).toMatch(/avance promedio \d+(,\d)? %/);
    expect(mail.text).toContain('Debe publicarse a más tardar el');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['csv', 'xlsx', 'pdf'].map((f) => `seguimiento-${plan.id}-${today}.${f}`));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(mail.attachments[1]!.content as unknown as Parameters<typeof book.xlsx.load>[0]);
    const rows = (book.getWorksheet('Seguimiento')?.getSheetValues() ?? []) as unknown[][];
    const row1 = rows.find((r) => Array.isArray(r) && r[1] === 1 && r[3] === 'Desarrollar ferias inmobiliarias');
    expect(row1?.slice(1, 10)).toEqual([
      1,
      '',
      'Desarrollar ferias inmobiliarias',
      'ARVIV',
      plan.activities[0]!.due,
      'en curso',
      60,
      today,
      'Dos de tres ferias realizadas.',
    ]);
    const csv = mail.attachments[0]!.content.toString('utf8');
    expect(csv).toContain('Datos tomados al corte');
    expect(csv).toContain(stack.evidence.url('sitio.pdf'));
  });

  it('a second run of the same cut keeps the kept report and sends nothing more', async () => {
    await stack.env.client.schedule.getHandle(cutScheduleId(plan.id)).trigger();
    await eventually(
      async () => (await stack.env.client.schedule.getHandle(cutScheduleId(plan.id)).describe()).info.recentActions.length,
      (n) => n >= 2,
      'a second run',
    );
    const second = (await stack.env.client.schedule.getHandle(cutScheduleId(plan.id)).describe()).info.recentActions[1]!.action.workflow.workflowId;
    expect(await stack.env.client.workflow.getHandle(second).result()).toEqual(result);
    expect(stack.mail.messages.filter((m) => m.headers.get('x-plazos-notice') === 'follow-up-cut')).toHaveLength(1);
  });

  it('OAPLA downloads the kept files from the plan’s cut page: the very bytes that were mailed', async () => {
    const page = await oapla.get(`/planes/${plan.id}/cortes`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('conservado (el enviado en el corte)');
    const mail = stack.mail.messages.find((m) => m.headers.get('x-plazos-notice') === 'follow-up-cut')!;
    for (const [i, format] of ['csv', 'xlsx', 'pdf'].entries()) {
      const file = await oapla.get(`/planes/${plan.id}/cortes/${today}.${format}`);
      expect(file.statusCode).toBe(200);
      expect(file.headers['x-plazos-cut-report']).toBe('kept');
      expect(file.bytes.equals(mail.attachments[i]!.content)).toBe(true);
    }
  });

  itWhen(sameYear, 'el 1 de enero el corte de ayer es de otro año')('a past cut with nothing kept is rebuilt on request, and says so in the file', async () => {
    const file = await oapla.get(`/planes/${plan.id}/cortes/${yesterday}.csv`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['x-plazos-cut-report']).toBe('rebuilt');
    expect(file.body).toContain('Reconstruido el');
    // Everything was reported today, after that cut.
    expect(file.body).not.toContain('Dos de tres ferias realizadas.');
  });

  it('a day that is not a cut, or a cut still to come, is a Spanish 404', async () => {
    const notCut = await oapla.get(`/planes/${plan.id}/cortes/${Number(today.slice(0, 4))}-02-28.pdf`);
    const expected = plan.followUpCuts.includes('02-28') ? 200 : 404;
    expect(notCut.statusCode).toBe(expected);
    if (expected === 404) expect(notCut.body).toContain('no es un corte del plan');
  });
});

const RECORD = process.env.PLAZOS_RECORD_PROGRESS;
let cutRun = '';

itWhen(Boolean(RECORD), 'grabar historias de reproducción solo se hace a pedido: PLAZOS_RECORD_PROGRESS=v4 npx jest test/web/progress-cuts')(
  'records the histories of the progress paths (PLAZOS_RECORD_PROGRESS), each closed by a cancellation',
  async () => {
    const dir = join(__dirname, '..', 'replay', 'histories', RECORD ?? '', 'progress');
    mkdirSync(dir, { recursive: true });
    for (const n of [1, 2, 3]) {
      await handle(n).signal(cancelSignal, { reason: 'Fin de la grabación de la historia.' });
      await expect(handle(n).result()).resolves.toMatchObject({ status: 'cancelled' });
      writeFileSync(join(dir, `${plan.id}_${n}.binpb`), temporal.api.history.v1.History.encode(await handle(n).fetchHistory()).finish());
    }
    const cut = stack.env.client.workflow.getHandle(cutRun);
    writeFileSync(join(dir, 'follow-up-cut.binpb'), temporal.api.history.v1.History.encode(await cut.fetchHistory()).finish());
  },
);
