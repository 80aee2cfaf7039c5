/**
 * `plazos plan preview FILE [--json]`: every notice the plan will send if no evidence arrives.
 * The dates below were counted by hand on the 2023 calendar (holidays: Reyes Magos on 9 January,
 * Sagrado Corazón on 19 June, San Pedro y San Pablo on 3 July, Grito de Independencia on 20 July).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN_TSV, buildCli, makeTempFolder, plazos, plazosIntoClosedPipe, plazosJson, removeFolder, SEED, STACK_LINE } from './helpers';

interface Notification {
  activity: number;
  period: string | null;
  kind: string;
  at: string;
  to: string[];
  cc: string[];
}

let notifications: Notification[];
let dir: string;

beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
  const { status, json } = plazosJson<{ notifications: Notification[] }>(['plan', 'preview', SEED, '--json']);
  expect(status).toBe(0);
  expect(Object.keys(json)).toEqual(['notifications']);
  notifications = json.notifications;
});
afterAll(() => removeFolder(dir));

const at = (date: string) => `${date}T08:00:00-05:00`;
const brief = (n: Notification) => [n.kind, n.at, n.to, n.cc];
const of = (activity: number) => notifications.filter((n) => n.activity === activity);

describe('the JSON preview of the seed plan', () => {
  it('lists each notice as { activity, period, kind, at, to, cc }, of the five kinds', () => {
    for (const n of notifications) expect(Object.keys(n)).toEqual(['activity', 'period', 'kind', 'at', 'to', 'cc']);
    expect(new Set(notifications.map((n) => n.kind))).toEqual(new Set(['kickoff', 'reminder', 'due', 'escalation', 'missed']));
    expect(new Set(notifications.map((n) => n.activity))).toEqual(new Set(Array.from({ length: 19 }, (_, i) => i + 1)));
  });

  it('is sorted by the time each notice goes out', () => {
    const times = notifications.map((n) => Date.parse(n.at));
    expect(times.every((t, i) => i === 0 || (times[i - 1] as number) <= t)).toBe(true);
  });

  it('gives activity 3 its eight notices: kickoff, reminders 10 and 3 business days before, due, three escalations, missed', () => {
    expect(of(3).map(brief)).toEqual([
      ['kickoff', at('2023-01-04'), ['OAPLA'], []],
      // 10 business days back from Friday 20 January skips Reyes Magos (Monday 9 January).
      ['reminder', at('2023-01-05'), ['OAPLA'], []],
      ['reminder', at('2023-01-17'), ['OAPLA'], []],
      ['due', at('2023-01-20'), ['OAPLA'], []],
      ['escalation', at('2023-01-23'), ['OAPLA'], []],
      ['escalation', at('2023-01-30'), ['OAPLA'], []],
      ['escalation', at('2023-02-06'), ['OAPLA'], []],
      ['missed', at('2023-02-13'), ['OAPLA'], []],
    ]);
    expect(of(3).every((n) => n.period === null)).toBe(true);
  });

  it('sends activity 13 to ARVIV until it is due, then escalates to OAPLA with ARVIV in copy', () => {
    expect(of(13).map(brief)).toEqual([
      ['kickoff', at('2023-06-01'), ['ARVIV'], []],
      // Back from Friday 30 June, skipping Sagrado Corazón (Monday 19 June).
      ['reminder', at('2023-06-15'), ['ARVIV'], []],
      ['reminder', at('2023-06-27'), ['ARVIV'], []],
      ['due', at('2023-06-30'), ['ARVIV'], []],
      // Monday 3 July is San Pedro y San Pablo; Thursday 20 July, Independence Day.
      ['escalation', at('2023-07-04'), ['OAPLA'], ['ARVIV']],
      ['escalation', at('2023-07-11'), ['OAPLA'], ['ARVIV']],
      ['escalation', at('2023-07-18'), ['OAPLA'], ['ARVIV']],
      ['missed', at('2023-07-26'), ['OAPLA'], ['ARVIV']],
    ]);
  });

  it('turns the monthly activity 11 into 22 periods, February 2022 to November 2023, each with its own due notice', () => {
    const periods = [...new Set(of(11).map((n) => n.period))];
    expect(periods).toHaveLength(22);
    expect(periods[0]).toBe('2022-02');
    expect(periods[21]).toBe('2023-11');
    for (const period of periods) {
      expect(of(11).filter((n) => n.period === period && n.kind === 'due')).toHaveLength(1);
    }
  });
});

describe('the readable preview', () => {
  let text: string;
  beforeAll(() => {
    const run = plazos(['plan', 'preview', SEED]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    text = run.stdout;
  });

  it('announces as many notices as the JSON lists', () => {
    expect(text.split('\n')[0]).toBe(`Formulación Plan de Participación Ciudadana 2023: ${notifications.length} avisos`);
  });

  it('groups the notices under Spanish month headings, each month once and in order', () => {
    const headings = text.split('\n').filter((l) => /^[A-Z][a-z]+ de \d{4}$/.test(l));
    expect(headings).toContain('Enero de 2023');
    expect(headings.slice(0, 2)).toEqual(['Febrero de 2022', 'Marzo de 2022']);
    expect(new Set(headings).size).toBe(headings.length);
    const MONTHS = ['Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio', 'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre'];
    let month = '';
    for (const line of text.split('\n')) {
      const heading = /^(\S+) de (\d{4})$/.exec(line);
      if (heading) month = `${heading[2]}-${String(MONTHS.indexOf(heading[1] as string) + 1).padStart(2, '0')}`;
      const notice = /^ {2}(\d{4}-\d{2})-\d{2} /.exec(line);
      if (notice) expect({ line, month: notice[1] }).toEqual({ line, month });
    }
  });

  it('says in Spanish what each notice is, to whom, and why', () => {
    const lines = text.split('\n');
    expect(lines).toContain(
      '  2023-01-20 08:00  vencimiento   3. Socializar la Formulación del Plan…  para: OAPLA  · día del vencimiento (viernes 20 de enero de 2023)',
    );
    expect(lines).toContain(
      '  2023-01-23 08:00  escalamiento  3. Socializar la Formulación del Plan…  para: OAPLA  · 1 día hábil después del vencimiento (viernes 20 de enero de 2023)',
    );
    expect(lines.filter((l) => l.startsWith('  2023-07-04 08:00  escalamiento  13. '))).toEqual([expect.stringContaining('para: OAPLA cc: ARVIV')]);
    expect(text).toMatch(/ inicio {8}/);
    expect(text).toMatch(/ recordatorio /);
    expect(text).toMatch(/ incumplido /);
  });

  it('is in English with PLAZOS_LANG=en', () => {
    const run = plazos(['plan', 'preview', SEED], { PLAZOS_LANG: 'en' });
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`Formulación Plan de Participación Ciudadana 2023: ${notifications.length} notices`);
    expect(lines).toContain('January 2023');
    expect(lines).toContain('  2023-01-20 08:00  due         3. Socializar la Formulación del Plan…  to: OAPLA  · due date (Friday 20 January 2023)');
  });
});

describe('what preview refuses', () => {
  it('a plan with errors: the errors on stderr, nothing on stdout, exit 1', () => {
    const plan = join(dir, 'roto.txt');
    writeFileSync(plan, BROKEN_TSV);
    const run = plazos(['plan', 'preview', plan]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`ERROR   ${plan}, línea 6 · actividad 3 [responsible]: Área desconocida "XYZW"`);
    expect(run.stderr).not.toContain(STACK_LINE);
  });

  it('a plan with errors, with --json: no notifications, and the errors and warnings as JSON on stdout, exit 1', () => {
    const plan = join(dir, 'roto.txt');
    writeFileSync(plan, BROKEN_TSV);
    const { status, json } = plazosJson<{ notifications: null; errors: { line: number; field: string; message: string }[]; warnings: unknown[] }>([
      'plan',
      'preview',
      plan,
      '--json',
    ]);
    expect(status).toBe(1);
    expect(json.notifications).toBeNull();
    expect(json.errors).toContainEqual(
      expect.objectContaining({ line: 6, activity: 3, field: 'responsible', message: expect.stringContaining('Área desconocida "XYZW"') }),
    );
    expect(Array.isArray(json.warnings)).toBe(true);
  });

  it('a date before 1984, which no holiday law covers: located on its line and field, exit 1, no internal error', () => {
    const plan = join(dir, 'antiguo.txt');
    writeFileSync(
      plan,
      [
        'Plan Antiguo 2023',
        'Actividades\tFecha inicial\tFecha Final\tResponsable\tPRODUCTO O ENTREGABLE',
        'Informe\t1-ene-1950\t31-ene-23\tOAPLA\tInforme.',
      ].join('\n'),
    );
    for (const command of ['validate', 'preview']) {
      const run = plazos(['plan', command, plan]);
      expect([command, run.status]).toEqual([command, 1]);
      // validate reports on stdout (it is the command's output); preview keeps stdout for the agenda.
      const report = command === 'validate' ? run.stdout : run.stderr;
      expect(report).toContain(
        `ERROR   ${plan}, línea 3 · actividad 1 [start]: La fecha inicial "1-ene-1950" (1950-01-01) está fuera de los años que cubre el calendario de festivos (1984 a 2100).`,
      );
      expect(run.stdout + run.stderr).not.toContain('Error interno');
    }
  });

  it('stops quietly when the reader closes the pipe early (plazos plan preview ... | head)', async () => {
    const run = await plazosIntoClosedPipe(['plan', 'preview', SEED]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
