/**
 * The operator's commands run as the real `plazos` CLI against the Temporal dev server, with the
 * production worker (workers/main.ts) in this process and a real SMTP server: what the
 * administrator reads, what the areas receive, and that a refused command changes nothing.
 *
 * The tests of this file form one story (start, submit, review, extend...) and run in order.
 */
import type { StatusRow } from '../../cli/status';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import pino from 'pino';
import { createEvidenceStore } from '../../activities/evidence';
import { testBlobs } from '../helpers/worker-deps';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { parseEnv } from '../../config/schema';
import { startEvidenceServer, type EvidenceServer } from '../../simulation/evidence-server';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';
import { createWorker } from '../../workers/main';
import { SEARCH_ATTRIBUTES, statusQuery, type PeriodStatusView } from '../../workflows/shared';
import { closedPort } from '../helpers/smtp';
import { startDevServer } from '../helpers/temporal';
import { buildCli, makeTempFolder, plazosAsync, removeFolder, STACK_LINE, type Run } from './helpers';
import { eventually as poll } from '../helpers/eventually';
import { itWhen } from '../helpers/skip';

const eventually = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string) => poll(read, ok, what, { timeoutMs: 20_000 });

const calendar = new BusinessCalendar();
const today = DateTime.now().setZone('America/Bogota').toISODate()!;
// The last business day before today: the kickoff of an activity that began then is owed at once.
const yesterday = calendar.previousBusinessDay(today);
const dueIn20 = calendar.addBusinessDays(today, 20);
const PLAN = 'operacion-prueba';
const TASK_QUEUE = 'plazos-cli-operate';

/** Lead area and mailbox of each activity; 6 is left alone for the refusals. */
const ACTIVITIES = [
  { number: 1, responsible: ['ARVIV'], mailbox: 'vivienda@entidad.gov.co' },
  { number: 2, responsible: ['ARCOM'], mailbox: 'comunicaciones@entidad.gov.co' },
  { number: 3, responsible: ['ASERA', 'ARCOM'], mailbox: 'servicio.afiliado@entidad.gov.co' },
  { number: 4, responsible: ['OAPLA'], mailbox: 'planeacion@entidad.gov.co' },
  { number: 5, responsible: ['ARCOM'], mailbox: 'comunicaciones@entidad.gov.co' },
  { number: 6, responsible: ['ARACF'], mailbox: 'consumidor.financiero@entidad.gov.co' },
];

function planYaml(): string {
  const activities = ACTIVITIES.map((a) =>
    [
      `  - number: ${a.number}`,
      `    title: Actividad de operación ${a.number}`,
      `    start: ${yesterday}`,
      `    due: ${dueIn20}`,
      `    responsible: [${a.responsible.join(', ')}]`,
      `    deliverable: Informe ${a.number}.`,
    ].join('\n'),
  );
  return [`id: ${PLAN}`, 'title: Plan de prueba de operación', `year: ${today.slice(0, 4)}`, 'activities:', ...activities, ''].join('\n');
}

let env: TestWorkflowEnvironment;
let mail: MailCapture;
let evidence: EvidenceServer;
let worker: Worker;
let running: Promise<void>;
let closeWorker: () => Promise<void>;
let dir: string;
let planFile: string;

beforeAll(async () => {
  // One at a time: if one fails, each server already up is assigned and afterAll stops it.
  await buildCli();
  env = await startDevServer({ searchAttributes: Object.values(SEARCH_ATTRIBUTES) });
  mail = await startMailCapture();
  evidence = await startEvidenceServer();
  dir = makeTempFolder();
  planFile = join(dir, 'plan.yaml');
  writeFileSync(planFile, planYaml());
  const config = parseEnv({
    TEMPORAL_ADDRESS: env.address,
    PLAZOS_SMTP_URL: mail.url,
    PLAZOS_DATA_DIR: dir,
    PLAZOS_TASK_QUEUE: TASK_QUEUE,
    // The evidence server of this test listens on loopback.
    PLAZOS_EVIDENCE_ALLOW_PRIVATE: 'true',
  });
  const created = await createWorker(config, pino({ level: 'silent' }));
  worker = created.worker;
  closeWorker = created.close;
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await closeWorker?.();
  await Promise.all([env?.teardown(), mail?.close(), evidence?.close()]);
  removeFolder(dir);
});

function plazos(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return plazosAsync(args, { TEMPORAL_ADDRESS: env.address, PLAZOS_TASK_QUEUE: TASK_QUEUE, PLAZOS_DATA_DIR: dir, PLAZOS_LOCALE: 'es', ...extra });
}

async function plazosJson<T>(args: string[]): Promise<Run & { json: T }> {
  const run = await plazos([...args, '--json']);
  try {
    return { ...run, json: JSON.parse(run.stdout) as T };
  } catch {
    throw new Error(`plazos ${args.join(' ')} --json did not print JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

const handle = (n: number) => env.client.workflow.getHandle(`${PLAN}/${n}`);

async function status(n: number): Promise<PeriodStatusView> {
  const s = await handle(n).query(statusQuery);
  if (s.kind !== 'period') throw new Error(`${PLAN}/${n} is a recurring activity`);
  return s;
}

/** No workflow task and no activity in flight: the workflow sleeps, and its history stays as it is. */
async function atRest(n: number): Promise<void> {
  await eventually(
    async () => (await handle(n).describe()).raw,
    (raw) => !raw.pendingWorkflowTask && (raw.pendingActivities?.length ?? 0) === 0,
    `${PLAN}/${n} at rest`,
  );
}

async function historyLength(n: number): Promise<number> {
  return (await handle(n).fetchHistory()).events?.length ?? 0;
}

/** The line `plazos status` prints for one activity. */
function lineOf(stdout: string, n: number): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${PLAN}/${n} `));
  if (!line) throw new Error(`no line for ${PLAN}/${n} in:\n${stdout}`);
  return line;
}

const kickoffs = () => mail.messages.filter((m) => m.subject.startsWith('Inicia la actividad'));

type StatusRowJson = StatusRow;

describe('plazos plan start', () => {
  it('starts one workflow per activity, says how many, and each lead area receives its kickoff', async () => {
    const run = await plazos(['plan', 'start', planFile]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Plan "Plan de prueba de operación" (${PLAN}): 6 actividades iniciadas, 0 ya estaban en curso.`);
    expect(run.stdout).toContain(`Resumen semanal para OAPLA (lunes 08:00, o el siguiente día hábil): programado (${PLAN}/digest).`);
    for (const a of ACTIVITIES) expect(run.stdout).toMatch(new RegExp(`\\s${a.number}\\s+iniciada\\s+${PLAN}/${a.number}\\n`));
    await mail.waitFor(6);
    expect(
      kickoffs()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(ACTIVITIES.map((a) => a.mailbox).sort());
  });

  it('a second start says each activity is already running and touches no workflow, so nothing is sent', async () => {
    await Promise.all(ACTIVITIES.map((a) => atRest(a.number)));
    expect((await Promise.all(ACTIVITIES.map((a) => status(a.number)))).map((s) => s.sent.map((n) => n.kind))).toEqual(ACTIVITIES.map(() => ['kickoff']));
    const before = await Promise.all(ACTIVITIES.map((a) => historyLength(a.number)));
    const run = await plazos(['plan', 'start', planFile]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('0 actividades iniciadas, 6 ya estaban en curso.');
    expect(run.stdout).toContain(`Resumen semanal para OAPLA (lunes 08:00, o el siguiente día hábil): ya estaba programado (${PLAN}/digest).`);
    expect(run.stdout.match(/ya en curso/g)).toHaveLength(6);
    // A send is an activity scheduled in the workflow's history: an unchanged history sent nothing.
    expect(await Promise.all(ACTIVITIES.map((a) => historyLength(a.number)))).toEqual(before);
    expect(kickoffs()).toHaveLength(6);
  });

  it('--json gives { plan, started, alreadyStarted, outcomes }', async () => {
    const { status: code, json } = await plazosJson<{ plan: string; started: number[]; alreadyStarted: number[]; outcomes: unknown[]; digest: unknown }>([
      'plan',
      'start',
      planFile,
    ]);
    expect(code).toBe(0);
    expect(json).toEqual({
      plan: PLAN,
      started: [],
      alreadyStarted: [1, 2, 3, 4, 5, 6],
      outcomes: ACTIVITIES.map((a) => ({ activity: a.number, workflowId: `${PLAN}/${a.number}`, result: 'already-started' })),
      digest: { scheduleId: `${PLAN}/digest`, result: 'already-exists' },
      // The cut Schedule is brought up to the plan's cuts at every start (client/cut-schedule.ts).
      cuts: { scheduleId: `${PLAN}/cortes`, result: 'updated', cuts: expect.any(Array) },
    });
  });
});

describe('plazos status', () => {
  const reminder = () => `${calendar.addBusinessDays(calendar.previousBusinessDay(dueIn20, true), -10)} 08:00`;

  it('prints one line per activity from visibility alone: status, due date, areas, evidence, next notice, in Spanish', async () => {
    const run = await plazos(['status', PLAN]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    for (const a of ACTIVITIES) {
      const line = lineOf(run.stdout, a.number);
      expect(line).toMatch(/ en curso /);
      expect(line).toContain(`vence ${dueIn20}`);
      expect(line).toContain(a.responsible.join(','));
      expect(line).toContain('evidencias 0');
      expect(line).toContain(`próximo aviso ${reminder()}`);
    }
    expect(run.stderr).toBe('');
  });

  it('one activity (plazos status PLAN N) is asked directly: its next notice, its kind and why', async () => {
    const run = await plazos(['status', PLAN, '3']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`próximo: recordatorio ${reminder()} · `);
    expect(lines[0]).toMatch(/10 días hábiles antes del vencimiento/);
    const missing = await plazos(['status', PLAN, '99']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`No existe la actividad 99 del plan "${PLAN}"`);
  });

  it('--area ARCOM lists only the activities ARCOM leads or shares', async () => {
    const run = await plazos(['status', PLAN, '--area', 'ARCOM']);
    expect(run.status).toBe(0);
    expect(
      run.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual([`${PLAN}/2`, `${PLAN}/3`, `${PLAN}/5`]);
  });

  it('--json gives each activity with its status, due date and next notice; one activity also says which notice and why', async () => {
    const { status: code, json } = await plazosJson<{ activities: StatusRowJson[] }>(['status', PLAN]);
    expect(code).toBe(0);
    expect(json.activities.map((r) => r.workflowId)).toEqual(ACTIVITIES.map((a) => `${PLAN}/${a.number}`));
    expect(json.activities[2]).toMatchObject({
      activity: 3,
      period: null,
      title: 'Actividad de operación 3',
      responsible: ['ASERA', 'ARCOM'],
      status: 'active',
      due: dueIn20,
      evidence: 0,
      next: { at: reminder() },
      source: 'visibility',
    });
    const one = await plazosJson<{ activities: StatusRowJson[] }>(['status', PLAN, '3']);
    expect(one.json.activities).toHaveLength(1);
    expect(one.json.activities[0]).toMatchObject({
      workflowId: `${PLAN}/3`,
      next: { kind: 'reminder', why: expect.stringContaining('días hábiles antes del vencimiento') },
      source: 'worker',
    });
  });
});

/** The line of activity `n` in `plazos status PLAN` once visibility shows `expected` (it follows the workflow within moments). */
async function listedLine(n: number, expected: RegExp | string, env: Record<string, string> = {}): Promise<string> {
  const matches = (line: string) => (typeof expected === 'string' ? line.includes(expected) : expected.test(line));
  return eventually(async () => lineOf((await plazos(['status', PLAN], env)).stdout, n), matches, `plazos status shows ${String(expected)} for activity ${n}`);
}

describe('evidence, review, extension, amendment, cancellation', () => {
  it('evidence submit --url gives a receipt, and the activity goes to review once the link is checked', async () => {
    const run = await plazos(['evidence', 'submit', PLAN, '1', '--url', evidence.url('ferias.pdf'), '--note', 'Informe de ferias']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^Evidencia E1 recibida el \\S+ para ${PLAN}/1: se verificará y pasará a revisión de la oficina de planeación\\.\\n$`),
    );
    await eventually(
      () => status(1),
      (s) => s.status === 'in-review',
      'activity 1 in review',
    );
    const line = await listedLine(1, / en revisión /);
    expect(line).toContain('evidencias 1');
  });

  it('evidence submit --file stores the PDF by its sha256 and, once checked, puts it in review', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const file = join(dir, 'informe-comunicaciones.pdf');
    writeFileSync(file, pdf);
    const { status: code, json } = await plazosJson<{ evidenceId: string; status: string }>(['evidence', 'submit', PLAN, '2', '--file', file]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ evidenceId: 'E1', status: 'checking' });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    // The CLI's own blob store, as the settings give it (PLAZOS_DATA_DIR, no PLAZOS_BLOB_STORE).
    expect(await createEvidenceStore(testBlobs(dir)).has(sha256)).toBe(true);
    const s = await eventually(
      () => status(2),
      (v) => v.status === 'in-review',
      'activity 2 in review',
    );
    expect(s.evidence[0]).toMatchObject({
      evidence: { kind: 'file', sha256, size: pdf.length, mediaType: 'application/pdf', name: 'informe-comunicaciones.pdf' },
      submittedBy: 'ARCOM',
      check: { ok: true },
    });
  });

  it('review --approve closes the activity on time', async () => {
    const run = await plazos(['review', PLAN, '1', '--approve']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Evidencia aprobada: ${PLAN}/1 queda a tiempo.\n`);
    await expect(handle(1).result()).resolves.toMatchObject({ status: 'on-time' });
    await listedLine(1, / a tiempo /);
  });

  it('review --reject --reason --due sends the evidence back with a new due date, and tells the area', async () => {
    const newDue = calendar.addBusinessDays(dueIn20, 3);
    const run = await plazos(['review', PLAN, '2', '--reject', '--reason', 'Falta el listado de asistencia.', '--due', newDue]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Evidencia rechazada: ${PLAN}/2 vuelve a estar en curso, con entrega el ${newDue}.\n`);
    const s = await status(2);
    expect(s.due).toBe(newDue);
    expect(s.evidence[0]?.review).toMatchObject({ decision: 'reject', reason: 'Falta el listado de asistencia.', newDue });
    const returned = await eventually(
      () => Promise.resolve(mail.messages.filter((m) => m.subject.startsWith('Evidencia devuelta'))),
      (m) => m.length > 0,
      'rejection mail',
    );
    expect(returned.map((m) => m.to[0])).toEqual(['comunicaciones@entidad.gov.co']);
  });

  it('extend --due --reason moves the due date, as status then shows', async () => {
    const newDue = calendar.addBusinessDays(dueIn20, 5);
    const run = await plazos(['extend', PLAN, '3', '--due', newDue, '--reason', 'Cambio de proveedor']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Prórroga registrada: ${PLAN}/3 vence ahora el ${newDue}; los avisos pendientes se recalcularon.\n`);
    await listedLine(3, `vence ${newDue}`);
  });

  it('amend --deliverable --reason changes the deliverable and tells the area', async () => {
    const run = await plazos(['amend', PLAN, '4', '--deliverable', 'Informe y acta de la audiencia.', '--reason', 'Se amplía el alcance.']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Cambio registrado en ${PLAN}/4; el área recibirá el aviso.\n`);
    expect((await status(4)).activity.deliverable).toBe('Informe y acta de la audiencia.');
    const changed = await eventually(
      () => Promise.resolve(mail.messages.filter((m) => m.subject.startsWith('Cambios en la actividad 4'))),
      (m) => m.length > 0,
      'amendment mail',
    );
    expect(changed.map((m) => m.to[0])).toEqual(['planeacion@entidad.gov.co']);
  });

  it('cancel --reason closes the activity as cancelled', async () => {
    const run = await plazos(['cancel', PLAN, '5', '--reason', 'La actividad sale del plan.']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Cancelación enviada a ${PLAN}/5; el área recibirá el aviso.\n`);
    await expect(handle(5).result()).resolves.toMatchObject({ status: 'cancelled' });
    await listedLine(5, / cancelada /);
  });
});

describe('plazos history', () => {
  it('reads the timeline of an activity: kickoff, evidence, check, review, closing', async () => {
    const run = await plazos(['history', PLAN, '1']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${PLAN}/1`);
    const order = [
      `seguimiento iniciado (vence ${dueIn20})`,
      'correo inicio → ',
      'evidencia entregada por ',
      'verificación: correcta',
      'evidencia aprobada',
      'cerrada: a tiempo',
    ];
    const found = order.map((text) => lines.findIndex((l) => l.includes(text)));
    expect(found.every((i) => i > 0)).toBe(true);
    expect([...found].sort((a, b) => a - b)).toEqual(found);
  });

  it('--json gives the same timeline as entries with kind and name', async () => {
    const { status: code, json } = await plazosJson<{ workflowId: string; timeline: { kind: string; name: string }[] }>(['history', PLAN, '1']);
    expect(code).toBe(0);
    expect(json.workflowId).toBe(`${PLAN}/1`);
    const steps = json.timeline.map((e) => `${e.kind}:${e.name}`);
    expect(
      steps.filter((s) => ['started:started', 'notice:kickoff', 'update:submitEvidence', 'check:ok', 'update:review', 'closed:on-time'].includes(s)),
    ).toEqual(['started:started', 'notice:kickoff', 'update:submitEvidence', 'check:ok', 'update:review', 'closed:on-time']);
  });

  it('over the whole story each activity was announced exactly once', () => {
    expect(
      kickoffs()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(ACTIVITIES.map((a) => a.mailbox).sort());
  });
});

describe('bad input: a Spanish message, its exit code, no stack trace, and nothing changed', () => {
  const untouched = 6;

  async function refused(args: string[], exit: number, message: RegExp | string, extra: Record<string, string> = {}): Promise<void> {
    const before = await historyLength(untouched);
    const run = await plazos(args, extra);
    expect(run.status).toBe(exit);
    expect(run.stderr).toEqual(typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message));
    expect(run.stderr).not.toContain(STACK_LINE);
    expect(run.stdout).toBe('');
    expect(await historyLength(untouched)).toBe(before);
  }

  it('a plan file that does not exist: exit 2, no workflow started', async () => {
    const count = (await env.client.workflow.count()).count;
    await refused(['plan', 'start', join(dir, 'no-existe.yaml')], 2, /no-existe\.yaml.*el archivo no existe[\s\S]*No se inició ninguna actividad/);
    expect((await env.client.workflow.count()).count).toBe(count);
  });

  it('an unknown plan: exit 1', async () => {
    await refused(['history', 'plan-inexistente', '1'], 1, 'No existe la actividad 1 del plan "plan-inexistente"');
  });

  it('an unknown activity: exit 1, and no workflow is created for it', async () => {
    await refused(['evidence', 'submit', PLAN, '99', '--url', evidence.url('x.pdf')], 1, `No existe la actividad 99 del plan "${PLAN}"`);
    await expect(handle(99).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('a date that does not exist: exit 2', async () => {
    await refused(['extend', PLAN, String(untouched), '--due', '2025-02-30', '--reason', 'x'], 2, '--due "2025-02-30": fecha inválida, se espera AAAA-MM-DD');
  });

  it('an evidence link that is not http or https: exit 2', async () => {
    await refused(
      ['evidence', 'submit', PLAN, String(untouched), '--url', 'ftp://entidad.gov.co/informe.pdf'],
      2,
      'El enlace debe empezar por http:// o https://.',
    );
  });

  it('an extension to a date already past: exit 1, refused by the workflow', async () => {
    await refused(['extend', PLAN, String(untouched), '--due', yesterday, '--reason', 'x'], 1, `Rechazado: La nueva fecha ${yesterday} ya pasó`);
  });

  it('a review when no evidence is in review: exit 1', async () => {
    await refused(['review', PLAN, String(untouched), '--approve'], 1, 'Rechazado: No hay evidencia en revisión para esta actividad.');
  });

  it('--approve and --reject together: exit 2', async () => {
    await refused(
      ['review', PLAN, String(untouched), '--approve', '--reject', '--reason', 'x', '--due', dueIn20],
      2,
      'Indique --approve o --reject (una de las dos).',
    );
  });

  it('in English with PLAZOS_LANG=en: the same refusal, in English', async () => {
    await refused(
      ['review', PLAN, String(untouched), '--approve', '--reject', '--reason', 'x', '--due', dueIn20],
      2,
      'Give --approve or --reject (one of the two).',
      {
        PLAZOS_LANG: 'en',
      },
    );
  });

  it('status in English with PLAZOS_LANG=en: statuses, due dates and notices in English, no Spanish words of its own', async () => {
    const run = await plazos(['status', PLAN], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(0);
    expect(lineOf(run.stdout, untouched)).toMatch(/ active +due \d{4}-\d{2}-\d{2} .* evidence 0 +next notice \d{4}-/);
    expect(run.stdout).not.toMatch(/ vence | evidencias | próximo/);
    const one = await plazos(['status', PLAN, String(untouched)], { PLAZOS_LANG: 'en' });
    expect(lineOf(one.stdout, untouched)).toMatch(/ evidence 0 +next: reminder /);
  });

  it('Temporal unreachable: exit 3, naming the address', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    await refused(['review', PLAN, String(untouched), '--approve'], 3, `No se pudo conectar con Temporal en ${address}`, { TEMPORAL_ADDRESS: address });
  });

  it('after every refusal the untouched activity is still active, with only its kickoff sent', async () => {
    const s = await status(untouched);
    expect(s.status).toBe('active');
    expect(s.due).toBe(dueIn20);
    expect(s.evidence).toEqual([]);
    expect(s.sent.map((n) => n.kind)).toEqual(['kickoff']);
  });
});

describe('plazos calendar apply', () => {
  const untouched = 6;

  it('a plan id that is not one: exit 2, nothing sent', async () => {
    const before = await historyLength(untouched);
    const run = await plazos(['calendar', 'apply', 'Plan"Malo']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('plan "Plan"Malo": se espera el identificador de un plan');
    expect(await historyLength(untouched)).toBe(before);
  });

  it('a día cívico in the entity calendar moves the pending reminder to the business day before, and says so', async () => {
    const pending = await status(untouched);
    const reminderDay = pending.next?.at.slice(0, 10) ?? '';
    expect(pending.next?.kind).toBe('reminder');
    const calendarFile = join(dir, 'calendario.yaml');
    writeFileSync(calendarFile, `nonWorkingDays:\n  - { date: ${reminderDay}, name: Día cívico, law: Decreto 0002 de ${reminderDay.slice(0, 4)} }\n`);
    const run = await plazos(['calendar', 'apply', PLAN], { PLAZOS_CALENDAR: calendarFile });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${PLAN}: \\d+ flujos en curso; \\d+ con el calendario nuevo, 0 ya al día\\.\\n`));
    expect(lineOf(run.stdout.replace(/^ +/gm, ''), untouched)).toContain('recordatorio del ');
    expect(run.stdout).toContain(`es día no laborable de la entidad (Día cívico, Decreto 0002 de ${reminderDay.slice(0, 4)})`);
    const after = await status(untouched);
    expect(after.next?.at.slice(0, 10)).toBe(calendar.previousBusinessDay(reminderDay));
    // `plazos status` says why the reminder is where it is.
    const shown = await plazos(['status', PLAN, String(untouched)], { PLAZOS_CALENDAR: calendarFile });
    expect(lineOf(shown.stdout, untouched)).toContain('se movió al ');

    const again = await plazosJson<{ planId: string; outcomes: { workflowId: string; result: string }[] }[]>(['calendar', 'apply', PLAN]);
    // Without PLAZOS_CALENDAR the day off is gone again: the reminder goes back to its day.
    expect(again.json[0]?.outcomes.find((o) => o.workflowId === `${PLAN}/${untouched}`)?.result).toBe('updated');
    const twice = await plazosJson<{ planId: string; outcomes: { workflowId: string; result: string }[] }[]>(['calendar', 'apply', PLAN]);
    expect(new Set(twice.json[0]?.outcomes.map((o) => o.result))).toEqual(new Set(['unchanged']));
    expect((await status(untouched)).next?.at.slice(0, 10)).toBe(reminderDay);

    // The history says what each apply did in one line, not the calendar it carried.
    const history = await plazos(['history', PLAN, String(untouched)]);
    expect(history.status).toBe(0);
    const applied = history.stdout.split('\n').filter((l) => l.includes('calendario aplicado: '));
    expect(applied.length).toBeGreaterThanOrEqual(2);
    expect(applied.some((l) => / 1 aviso movido; /.test(l))).toBe(true);
    for (const line of history.stdout.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
    expect(history.stdout).not.toMatch(/\{"/);
  });
});

describe('plazos report', () => {
  const year = today.slice(0, 4);
  const pastCut = [`${year}-12-31`, `${year}-08-31`, `${year}-04-30`].find((c) => c < today);
  const futureCut = [`${year}-04-30`, `${year}-08-31`, `${year}-12-31`].find((c) => c > today);

  // Idempotent: the plan's cut Schedule exists whether or not the tests above ran.
  beforeAll(async () => expect((await plazos(['plan', 'start', planFile])).status).toBe(0), 60_000);

  it('lists the plan’s cuts from its Schedule, each with its publication deadline', async () => {
    const { status: code, json } = await plazosJson<{ scheduled: boolean; scheduleId: string; cuts: { cut: string; deadline: string; kept: boolean }[] }>([
      'report',
      'cuts',
      PLAN,
    ]);
    expect(code).toBe(0);
    expect(json.scheduled).toBe(true);
    expect(json.scheduleId).toBe(`${PLAN}/cortes`);
    expect(json.cuts.map((c) => c.cut)).toEqual([`${year}-04-30`, `${year}-08-31`, `${year}-12-31`]);
    expect(json.cuts[0]?.deadline).toBe(calendar.addBusinessDays(`${year}-04-30`, 10));
  });

  it('refuses a day that is not a cut, in Spanish, naming the plan’s cuts, and writes nothing', async () => {
    const out = join(dir, 'no-corte.csv');
    const run = await plazos(['report', 'cut', PLAN, '--cut', `${year}-02-28`, '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${year}-02-28 no es un corte del plan "${PLAN}". Sus cortes ese año: ${year}-04-30, ${year}-08-31, ${year}-12-31.`);
  });

  itWhen(futureCut !== undefined, 'el 31 de diciembre no queda corte por venir este año')('refuses a cut still to come', async () => {
    const run = await plazos(['report', 'cut', PLAN, '--cut', futureCut!, '--out', join(dir, 'futuro.pdf')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`El corte ${futureCut} aún no llega`);
  });

  itWhen(pastCut !== undefined, 'antes del 30 de abril no hay corte pasado este año')(
    'run takes, keeps and mails a missed past cut; cut then writes the very file that was mailed',
    async () => {
      const ran = await plazos(['report', 'run', PLAN, '--cut', pastCut!]);
      expect(ran.stderr).toBe('');
      expect(ran.status).toBe(0);
      expect(ran.stdout).toContain(`Informe al corte ${pastCut} tomado (6 actividades)`);
      const mailed = mail.messages.find((m) => m.headers.get('x-plazos-notice') === 'follow-up-cut');
      expect(mailed?.envelopeTo.sort()).toEqual(['control.interno@entidad.gov.co', 'planeacion@entidad.gov.co']);
      const out = join(dir, 'corte.xlsx');
      const written = await plazos(['report', 'cut', PLAN, '--cut', pastCut!, '--out', out]);
      expect(written.status).toBe(0);
      expect(written.stdout).toContain('el conservado y enviado en el corte');
      expect(readFileSync(out).equals(mailed!.attachments.find((a) => a.filename?.endsWith('.xlsx'))!.content)).toBe(true);
      // Run after the cut day: the report says it was rebuilt, not read at the cut.
      expect(mailed!.attachments[0]!.content.toString('utf8')).toContain('Reconstruido el');
      expect((await plazos(['report', 'run', PLAN, '--cut', pastCut!])).status).toBe(1);
    },
  );
});
