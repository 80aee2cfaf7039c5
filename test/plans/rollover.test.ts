/**
 * Rolling a plan over to the next year (plans/rollover.ts). Expected dates were worked out by hand
 * from the 2024-2028 Colombian holiday lists and a calendar, not computed by the code under test.
 */
import { BusinessCalendar } from '../../calendar/business-calendar';
import { importTsvPlan } from '../../plans/importers/tsv';
import { PlanSchema, type Plan, type PlanActivity, type PlanInput, type PlanIssue } from '../../plans/model';
import { RolloverDatesError, RolloverOptionsError, resolveShift, rolloverId, rolloverPlan, type RolloverProblem } from '../../plans/rollover';
import { options, seedText } from './support';

const calendar = new BusinessCalendar();

function seedPlan(): Plan {
  const { plan, errors } = importTsvPlan(seedText(), options('plan-participacion-ciudadana-2023.txt'));
  if (!plan || errors.length > 0) throw new Error(`the seed does not import: ${JSON.stringify(errors)}`);
  return plan;
}

function activity(plan: Plan, n: number): PlanActivity {
  const found = plan.activities.find((a) => a.number === n);
  if (!found) throw new Error(`no activity ${n}`);
  return found;
}

function warningsFor(warnings: PlanIssue[], n: number, field: PlanIssue['field']): string[] {
  return warnings.filter((w) => w.activity === n && w.field === field).map((w) => w.message);
}

/** A small plan with the given activities' dates (areas and texts do not matter here). */
function smallPlan(year: number, dates: [string, string][], extra: Partial<PlanInput> = {}): Plan {
  return PlanSchema.parse({
    id: `prueba-${year}`,
    title: `Plan de Prueba ${year}`,
    year,
    activities: dates.map(([start, due], i) => ({
      number: i + 1,
      title: `Informe ${i + 1}`,
      start,
      due,
      responsible: ['OAPLA'],
      deliverable: 'Informe.',
    })),
    ...extra,
  });
}

function problemOf(run: () => unknown): RolloverProblem {
  try {
    run();
  } catch (err) {
    if (err instanceof RolloverOptionsError) return err.problem;
    throw err;
  }
  throw new Error('expected a RolloverOptionsError');
}

describe('rolling the 2023 Citizen Participation Plan over to 2024', () => {
  const seed = seedPlan();
  const { plan, warnings } = rolloverPlan(seed, { year: 2024 }, calendar);

  it('is the 2024 plan: id, title and year say 2024, version 1, without the 2023 people and version date', () => {
    expect(plan).toMatchObject({
      id: 'participacion-ciudadana-2024',
      title: 'Formulación Plan de Participación Ciudadana 2024',
      year: 2024,
      version: '1',
      owner: 'OAPLA',
      timezone: 'America/Bogota',
    });
    expect(plan).not.toHaveProperty('versionDate');
    expect(plan).not.toHaveProperty('preparedBy');
    expect(plan).not.toHaveProperty('reviewedBy');
    expect(plan.preamble).toEqual(seed.preamble);
  });

  it('keeps the same 19 activities, titles, areas and deliverables, without the old file lines', () => {
    expect(plan.activities.map(({ start: _s, due: _d, ...rest }) => rest)).toEqual(seed.activities.map(({ start: _s, due: _d, line: _l, ...rest }) => rest));
    expect(plan.activities.filter((a) => a.line !== undefined)).toEqual([]);
  });

  it('activity 3: starts Thursday 4 January 2024; its due date, Saturday 20 January, comes forward to Friday 19, with a warning', () => {
    expect(activity(plan, 3)).toMatchObject({ start: '2024-01-04', due: '2024-01-19' });
    expect(warningsFor(warnings, 3, 'start')).toEqual([]);
    expect(warningsFor(warnings, 3, 'due')).toEqual([
      'La fecha final 2023-01-20 pasa a 2024-01-20, que cae en sábado. Se adelantó al día hábil anterior, viernes 19 de enero de 2024.',
    ]);
  });

  it('activity 6 keeps its 2022 start a year before the plan (20 February 2023), warned, and its due date skips Holy Week back to 27 March 2024', () => {
    expect(activity(plan, 6)).toMatchObject({ start: '2023-02-20', due: '2024-03-27' });
    expect(warningsFor(warnings, 6, 'start')).toEqual([
      'La fecha inicial 2022-02-20 ya estaba fuera del año del plan (2023): se movió igual que las demás fechas y queda en 2023-02-20, fuera de 2024. Revise si aún corresponde.',
    ]);
    expect(warningsFor(warnings, 6, 'due')).toEqual([
      'La fecha final 2023-03-31 pasa a 2024-03-31, que cae en domingo. Se adelantó al día hábil anterior, miércoles 27 de marzo de 2024; se saltaron el jueves 28 de marzo (Jueves Santo) y el viernes 29 de marzo (Viernes Santo).',
    ]);
  });

  it('activity 10: from Wednesday 10 April to Friday 26 July 2024 (28 July is a Sunday)', () => {
    expect(activity(plan, 10)).toMatchObject({ start: '2024-04-10', due: '2024-07-26' });
    expect(warningsFor(warnings, 10, 'due')).toHaveLength(1);
  });

  it('activity 13: Saturday 1 June starts on Tuesday 4 June, past the Corpus Christi Monday; Sunday 30 June is due Friday 28 June', () => {
    expect(activity(plan, 13)).toMatchObject({ start: '2024-06-04', due: '2024-06-28' });
    expect(warningsFor(warnings, 13, 'start')).toEqual([
      'La fecha inicial 2023-06-01 pasa a 2024-06-01, que cae en sábado. Se corrió al siguiente día hábil, martes 4 de junio de 2024; se saltó el lunes 3 de junio (Corpus Christi).',
    ]);
  });

  it('activity 11 keeps its monthly recurrence and its 2022 start, a year before the plan', () => {
    expect(activity(plan, 11)).toMatchObject({
      start: '2023-02-01',
      due: '2024-11-29',
      recurrence: { frequency: 'monthly', due: { rule: 'end-of-period' } },
    });
  });

  it('activities 15 and 17, prepared in 2022 for 2023, move to 2023 and are warned as outside 2024', () => {
    expect(activity(plan, 15)).toMatchObject({ start: '2023-10-12', due: '2023-11-16' });
    expect(activity(plan, 17)).toMatchObject({ start: '2023-10-17', due: '2024-11-29' });
    expect(warningsFor(warnings, 15, 'start')[0]).toContain('ya estaba fuera del año del plan (2023)');
    expect(warningsFor(warnings, 15, 'due')[0]).toContain('ya estaba fuera del año del plan (2023)');
    expect(warningsFor(warnings, 17, 'start')[0]).toContain('ya estaba fuera del año del plan (2023)');
  });

  it('every start and due date is a business day, and no activity ends before it starts', () => {
    const offDays = plan.activities.flatMap((a) => [a.start, a.due]).filter((d) => !calendar.isBusinessDay(d));
    expect(offDays).toEqual([]);
    expect(plan.activities.filter((a) => a.due < a.start)).toEqual([]);
  });

  it('every warning names the source line and activity, and has no file of its own', () => {
    const byActivity = warnings.filter((w) => w.activity !== null);
    expect(byActivity.length).toBeGreaterThan(0);
    for (const w of byActivity) {
      expect(w).toMatchObject({ file: null, line: activity(seed, w.activity as number).line });
    }
    expect(warningsFor(warnings, 3, 'due')).toHaveLength(1);
    expect(warnings.find((w) => w.activity === 6 && w.field === 'start')?.line).toBe(22);
  });

  it('flags, without rewriting, the years written in titles and in the preamble', () => {
    expect(warningsFor(warnings, 3, 'title')).toEqual(['El nombre de la actividad menciona 2023: revise si debe cambiar en el plan 2024.']);
    expect(warningsFor(warnings, 17, 'title')).toEqual(['El nombre de la actividad menciona 2022: revise si debe cambiar en el plan 2024.']);
    expect(activity(plan, 3).title).toBe(activity(seed, 3).title);
    expect(warnings.filter((w) => w.field === 'plan').map((w) => w.message)).toEqual([
      'El texto "Formulación" del preámbulo menciona 2023: revise si debe decir 2024.',
    ]);
  });

  it('leaves the plan it was given untouched', () => {
    expect(seed).toEqual(seedPlan());
  });
});

describe('business days in the new year', () => {
  it('a start on Jueves Santo 2024 moves to Monday 1 April, naming the holiday', () => {
    const { plan, warnings } = rolloverPlan(smallPlan(2023, [['2023-03-28', '2023-04-28']]), { year: 2024 }, calendar);
    expect(plan.activities[0]).toMatchObject({ start: '2024-04-01', due: '2024-04-26' });
    expect(warningsFor(warnings, 1, 'start')).toEqual([
      'La fecha inicial 2023-03-28 pasa a 2024-03-28, que cae en festivo: Jueves Santo (Ley 51 de 1983). Se corrió al siguiente día hábil, lunes 1 de abril de 2024; se saltó el viernes 29 de marzo (Viernes Santo).',
    ]);
  });

  it('a due date on Jueves Santo 2024 comes forward to Wednesday 27 March', () => {
    const { plan, warnings } = rolloverPlan(smallPlan(2023, [['2023-03-01', '2023-03-28']]), { year: 2024 }, calendar);
    expect(plan.activities[0]?.due).toBe('2024-03-27');
    expect(warningsFor(warnings, 1, 'due')[0]).toContain(
      'que cae en festivo: Jueves Santo (Ley 51 de 1983). Se adelantó al día hábil anterior, miércoles 27 de marzo de 2024.',
    );
  });

  it('an activity with no business day in its span (Sunday 7 January 2024) ends on its moved start, Tuesday 9, past Reyes Magos', () => {
    const { plan, warnings } = rolloverPlan(smallPlan(2023, [['2023-01-07', '2023-01-07']]), { year: 2024 }, calendar);
    expect(plan.activities[0]).toMatchObject({ start: '2024-01-09', due: '2024-01-09' });
    expect(warningsFor(warnings, 1, 'due')).toEqual([
      'La fecha final 2023-01-07 pasa a 2024-01-07, que cae en domingo, y no hay días hábiles desde la fecha inicial hasta ella. Se fijó igual a la fecha inicial, martes 9 de enero de 2024.',
    ]);
  });

  it('rolling the seed to 2027 lands no date on a 2027 holiday, Ley 2578 de 2026 included, and says why each moved', () => {
    const seed = seedPlan();
    const { plan, warnings } = rolloverPlan(seed, { year: 2027 }, calendar);
    for (const a of plan.activities) {
      expect([a.number, calendar.nonWorkingReason(a.start), calendar.nonWorkingReason(a.due)]).toEqual([a.number, null, null]);
    }
    // Every date that the shift put on a day off has a warning that names the day.
    for (const a of seed.activities) {
      for (const field of ['start', 'due'] as const) {
        const shifted = `${Number(a[field].slice(0, 4)) + 4}${a[field].slice(4)}`;
        const off = calendar.nonWorkingReason(shifted);
        if (off) expect(warningsFor(warnings, a.number, field).join(' ')).toContain(`pasa a ${shifted}, que cae en`);
      }
    }
  });

  it('a due date on 12 July 2027 comes forward to Friday 9 July: Monday 12 is Chiquinquirá by Ley 2578 de 2026', () => {
    const { plan, warnings } = rolloverPlan(smallPlan(2023, [['2023-07-03', '2023-07-12']]), { year: 2027 }, calendar);
    expect(plan.activities[0]?.due).toBe('2027-07-09');
    expect(warningsFor(warnings, 1, 'due')).toEqual([
      'La fecha final 2023-07-12 pasa a 2027-07-12, que cae en festivo: Nuestra Señora del Rosario de Chiquinquirá (Ley 2578 de 2026). Se adelantó al día hábil anterior, viernes 9 de julio de 2027.',
    ]);
  });

  it('refuses, located by activity and field, a date the shift puts past the last year of the holiday calendar', () => {
    const plan = smallPlan(2023, [
      ['2023-03-01', '2023-03-31'],
      ['2023-11-01', '2024-01-31'],
    ]);
    let caught: unknown;
    try {
      rolloverPlan(plan, { year: 2100 }, calendar);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RolloverDatesError);
    expect((caught as RolloverDatesError).issues).toEqual([
      {
        file: null,
        line: null,
        activity: 2,
        field: 'due',
        message: 'La fecha final 2024-01-31 pasaría a 2101-01-31, fuera de los años que cubre el calendario de festivos (1984 a 2100).',
      },
    ]);
  });

  it('refuses, located by activity and field, a date the shift puts outside the years the new plan admits, which plan validate would refuse', () => {
    // 2021-02-01 -> 2024-12-01 is 1399 days; 2 July 2023 lands in 2027, so the new plan is 2027's and admits 2025 to 2028.
    const plan = smallPlan(2023, [
      ['2021-02-01', '2023-03-31'],
      ['2023-03-01', '2023-03-31'],
    ]);
    let caught: unknown;
    try {
      rolloverPlan(plan, { startOn: '2024-12-01' }, calendar);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RolloverDatesError);
    expect((caught as RolloverDatesError).issues).toEqual([
      {
        file: null,
        line: null,
        activity: 1,
        field: 'start',
        message: 'La fecha inicial 2021-02-01 pasaría a 2024-12-02, fuera de los años que admite un plan de 2027 (2025 a 2028).',
      },
    ]);
  });

  it("counts the entity's own non-working days like holidays", () => {
    const withClosure = new BusinessCalendar(undefined, [{ date: '2024-12-24', name: 'Cierre de fin de año' }]);
    const { plan, warnings } = rolloverPlan(smallPlan(2023, [['2023-12-01', '2023-12-24']]), { year: 2024 }, withClosure);
    expect(plan.activities[0]?.due).toBe('2024-12-23');
    expect(warningsFor(warnings, 1, 'due')[0]).toContain('que cae en día no laborable de la entidad: Cierre de fin de año.');
  });
});

describe('29 February', () => {
  it('rolling 2024 to 2025, a 29 February due date becomes Friday 28 February 2025, with a warning', () => {
    const { plan, warnings } = rolloverPlan(smallPlan(2024, [['2024-02-01', '2024-02-29']]), { year: 2025 }, calendar);
    expect(plan.activities[0]).toMatchObject({ start: '2025-02-03', due: '2025-02-28' });
    expect(warningsFor(warnings, 1, 'due')).toEqual([
      'La fecha final 2024-02-29 es un 29 de febrero y 2025 no es bisiesto: se usó el 28 de febrero (2025-02-28).',
    ]);
  });

  it('a 29 February start becomes 28 February too, and the span stays in order', () => {
    const { plan } = rolloverPlan(smallPlan(2024, [['2024-02-29', '2024-03-29']]), { year: 2025 }, calendar);
    expect(plan.activities[0]).toMatchObject({ start: '2025-02-28', due: '2025-03-28' });
  });
});

describe('--start-on: the whole plan shifted by days', () => {
  const seed = seedPlan();

  it('on 2026-12-01, the earliest start (activity 11, 2022-02-01) moves there and every other date by the same 1764 days', () => {
    const { plan, warnings } = rolloverPlan(seed, { startOn: '2026-12-01' }, calendar);
    expect(activity(plan, 11).start).toBe('2026-12-01');
    // 2023-01-04 + 1764 days = Wednesday 3 November 2027; 2023-01-31 -> Tuesday 30 November 2027.
    expect(activity(plan, 1)).toMatchObject({ start: '2027-11-03', due: '2027-11-30' });
    // 2023-06-01 -> Thursday 30 March 2028; 2023-06-30 -> Friday 28 April 2028.
    expect(activity(plan, 13)).toMatchObject({ start: '2028-03-30', due: '2028-04-28' });
    // 2022-02-20 -> Sunday 20 December 2026, which starts on Monday 21.
    expect(activity(plan, 6)).toMatchObject({ start: '2026-12-21', due: '2028-01-28' });
    expect(warningsFor(warnings, 6, 'start')[0]).toBe(
      'La fecha inicial 2022-02-20 pasa a 2026-12-20, que cae en domingo. Se corrió al siguiente día hábil, lunes 21 de diciembre de 2026.',
    );
  });

  it('takes the year most of the old year lands in (2 July 2023 + 1764 days is in 2028), and says so', () => {
    const { plan, warnings } = rolloverPlan(seed, { startOn: '2026-12-01' }, calendar);
    expect(plan).toMatchObject({ year: 2028, id: 'participacion-ciudadana-2028', title: 'Formulación Plan de Participación Ciudadana 2028' });
    expect(warnings.filter((w) => w.field === 'plan').map((w) => w.message)).toContain(
      'Todas las fechas se corrieron 1764 días para que la primera fecha inicial (2022-02-01) pase a 2026-12-01; el plan nuevo es del año 2028, al que llega la mitad del año 2023 (2 de julio).',
    );
    expect(warningsFor(warnings, 1, 'start')).toEqual([
      'La fecha inicial 2023-01-04 queda en 2027-11-03, fuera del año del plan nuevo (2028). Revise si aún corresponde.',
    ]);
  });

  it('keeps every span when no date needs a business-day move', () => {
    const plan = smallPlan(2023, [
      ['2023-01-10', '2023-03-10'],
      ['2023-02-01', '2023-06-30'],
    ]);
    const result = rolloverPlan(plan, { startOn: '2024-01-09' }, calendar);
    // 364 days: Tuesday 10 January 2023 -> Tuesday 9 January 2024, and so on, weekday for weekday.
    expect(result.plan.activities.map((a) => [a.start, a.due])).toEqual([
      ['2024-01-09', '2024-03-08'],
      ['2024-01-31', '2024-06-28'],
    ]);
    expect(result.plan.year).toBe(2024);
  });

  it('with --year too, both must agree', () => {
    expect(rolloverPlan(seed, { startOn: '2026-12-01', year: 2028 }, calendar).plan).toEqual(rolloverPlan(seed, { startOn: '2026-12-01' }, calendar).plan);
    expect(problemOf(() => rolloverPlan(seed, { startOn: '2026-12-01', year: 2027 }, calendar))).toEqual({
      kind: 'inconsistent',
      year: 2027,
      startOn: '2026-12-01',
      derivedYear: 2028,
    });
  });
});

describe('options that cannot roll a plan over', () => {
  const plan = smallPlan(2023, [['2023-01-10', '2023-03-10']]);

  it('neither a year nor a start date', () => {
    expect(problemOf(() => rolloverPlan(plan, {}, calendar))).toEqual({ kind: 'missing' });
  });

  it("the plan's own year", () => {
    expect(resolveShift(plan, { year: 2023 })).toEqual({ kind: 'same-year', year: 2023 });
  });

  it("a year outside what a plan accepts, the holiday calendar's years (1984-2100)", () => {
    expect(resolveShift(plan, { year: 1983 })).toEqual({ kind: 'bad-year', year: 1983 });
    expect(resolveShift(plan, { year: 2101 })).toEqual({ kind: 'bad-year', year: 2101 });
    expect(resolveShift(plan, { year: 1984 })).toEqual({ kind: 'years', years: -39, year: 1984 });
    expect(resolveShift(plan, { year: 2100 })).toEqual({ kind: 'years', years: 77, year: 2100 });
  });

  it('a start date that does not exist', () => {
    expect(resolveShift(plan, { startOn: '2024-02-30' })).toEqual({ kind: 'bad-date', date: '2024-02-30' });
  });

  it('a start date for a plan without activities', () => {
    expect(resolveShift(smallPlan(2023, []), { startOn: '2024-01-09' })).toEqual({ kind: 'no-activities', startOn: '2024-01-09' });
  });

  it('a start date that would take the plan past 2100', () => {
    expect(resolveShift(plan, { startOn: '2100-12-01' })).toEqual({ kind: 'start-out-of-range', startOn: '2100-12-01', derivedYear: 2101 });
  });
});

describe('ids and titles', () => {
  it('replaces the year as a whole id segment, or appends it', () => {
    expect(rolloverId('participacion-ciudadana-2023', 2023, 2024)).toBe('participacion-ciudadana-2024');
    expect(rolloverId('plan-2023-participacion', 2023, 2024)).toBe('plan-2024-participacion');
    expect(rolloverId('participacion', 2023, 2024)).toBe('participacion-2024');
    expect(rolloverId('plan-20231', 2023, 2024)).toBe('plan-20231-2024');
  });

  it('keeps an appended id within the 64 characters a plan id may have', () => {
    const long = 'a'.repeat(62);
    const id = rolloverId(long, 2023, 2024);
    expect(id).toBe(`${'a'.repeat(59)}-2024`);
    expect(id).toHaveLength(64);
  });

  it('a title without the year is kept, with a warning', () => {
    const plan = smallPlan(2023, [['2023-01-10', '2023-03-10']], { id: 'participacion', title: 'Plan de Participación' });
    const result = rolloverPlan(plan, { year: 2024 }, calendar);
    expect(result.plan).toMatchObject({ id: 'participacion-2024', title: 'Plan de Participación' });
    expect(result.warnings.filter((w) => w.field === 'plan').map((w) => w.message)).toEqual([
      'El título "Plan de Participación" no menciona el año 2023: se dejó igual; agregue el año 2024 si corresponde.',
    ]);
  });

  it('keeps the plan and activity notice policies', () => {
    const plan = smallPlan(2023, [['2023-01-10', '2023-03-10']], { policy: { sendAt: '07:30' } });
    const withActivityPolicy: Plan = { ...plan, activities: plan.activities.map((a) => ({ ...a, policy: { maxEscalations: 1 } })) };
    const result = rolloverPlan(withActivityPolicy, { year: 2024 }, calendar);
    expect(result.plan.policy).toEqual({ sendAt: '07:30' });
    expect(result.plan.activities[0]?.policy).toEqual({ maxEscalations: 1 });
  });
});
