/**
 * Broken plans: each one must give the planner one located error in Spanish, and the good rows
 * of the same file must still be read.
 */
import { importTsvPlan } from '../../plans/importers/tsv';
import { importCsvPlan } from '../../plans/importers/csv';
import { importYamlPlan } from '../../plans/importers/yaml';
import type { ImportResult, PlanField } from '../../plans/model';
import { importXlsxPlan } from '../../plans/importers/xlsx';
import { options, toCsv, toXlsx } from './support';

const HEADER = 'Actividades\tFecha inicial\tFecha Final\tResponsable\tPRODUCTO O ENTREGABLE';
const GOOD_A = 'Informe A\t4-ene-23\t31-ene-23\tOAPLA Oficina Asesora de Planeación\tInforme A.';
const GOOD_C = 'Informe C\t1-feb-23\t28-feb-23\tARCOM Área de Comunicaciones\tInforme C.';

/** A two-good-row plan with `row` between them: the row is on line 4 and is activity 2. */
function tsvWith(row: string): ImportResult {
  return importTsvPlan(['Plan de Prueba 2023', HEADER, GOOD_A, row, GOOD_C].join('\n'), options('prueba.txt'));
}

function goodRows(result: ImportResult): [number, string][] {
  return (result.plan?.activities ?? []).map((a) => [a.number, a.title]);
}

describe('a table row with a wrong value is reported on its line, and the other rows are kept', () => {
  it.each<[string, string, PlanField, string]>([
    ['an impossible 31 April', 'Informe B\t4-abr-23\t31-abr-23\tOAPLA\tInforme B.', 'due', 'Fecha final inválida "31-abr-23": abril tiene 30 días.'],
    [
      '29 February in 2023',
      'Informe B\t29-feb-23\t31-mar-23\tOAPLA\tInforme B.',
      'start',
      'Fecha inicial inválida "29-feb-23": 2023 no es bisiesto: febrero tiene 28 días.',
    ],
    ['day 32', 'Informe B\t32-ene-23\t31-mar-23\tOAPLA\tInforme B.', 'start', 'Fecha inicial inválida "32-ene-23": enero tiene 31 días.'],
    ['month 13', 'Informe B\t01/03/2023\t15/13/2023\tOAPLA\tInforme B.', 'due', 'Fecha final inválida "15/13/2023": el mes 13 no existe.'],
    ['an unknown month', 'Informe B\t4-xyz-23\t31-mar-23\tOAPLA\tInforme B.', 'start', 'Fecha inicial inválida "4-xyz-23": no se reconoce el mes "xyz".'],
    ['an empty start date', 'Informe B\t\t31-mar-23\tOAPLA\tInforme B.', 'start', 'Falta la fecha inicial.'],
    [
      'a due date before the start',
      'Informe B\t20-mar-23\t10-mar-23\tOAPLA\tInforme B.',
      'due',
      'La fecha final "10-mar-23" es anterior a la fecha inicial "20-mar-23".',
    ],
    [
      'an area not in the directory',
      'Informe B\t1-mar-23\t31-mar-23\tXYZW Área Inventada\tInforme B.',
      'responsible',
      'Área desconocida "XYZW": no está en el directorio de áreas (OAPLA, ARCOM, ASERA, ARACF, ARVIV, OCI).',
    ],
    ['an empty responsible cell', 'Informe B\t1-mar-23\t31-mar-23\t\tInforme B.', 'responsible', 'Falta el área responsable.'],
    [
      'a responsible cell with no area code',
      'Informe B\t1-mar-23\t31-mar-23\tla oficina de planeación\tInforme B.',
      'responsible',
      'No se reconoce ningún código de área en "la oficina de planeación"',
    ],
    ['a missing title', '\t1-mar-23\t31-mar-23\tOAPLA\tInforme B.', 'title', 'Falta el nombre de la actividad.'],
    ['a missing deliverable', 'Informe B\t1-mar-23\t31-mar-23\tOAPLA\t', 'deliverable', 'Falta el producto o entregable.'],
    ['the same activity twice', GOOD_A, 'title', 'Actividad repetida: igual a la actividad 1 (línea 3), con el mismo nombre y las mismas fechas.'],
    [
      'a date before Ley 51 de 1983 (1950)',
      'Informe B\t1-ene-1950\t31-mar-23\tOAPLA\tInforme B.',
      'start',
      'La fecha inicial "1-ene-1950" (1950-01-01) está fuera de los años que cubre el calendario de festivos (1984 a 2100).',
    ],
    [
      'a date past the last year the calendar is checked for',
      'Informe B\t1-mar-23\t31/03/2101\tOAPLA\tInforme B.',
      'due',
      'La fecha final "31/03/2101" (2101-03-31) está fuera de los años que cubre el calendario de festivos (1984 a 2100).',
    ],
    [
      "a two-digit year far from the plan's: 4-ene-50 in a 2023 plan is 2050, not a date of this plan",
      'Informe B\t1-mar-23\t4-ene-50\tOAPLA\tInforme B.',
      'due',
      'La fecha final "4-ene-50" (2050-01-04) cae en 2050, fuera de los años que admite un plan de 2023 (2021 a 2024).',
    ],
    [
      "a four-digit year three years before the plan's",
      'Informe B\t1-mar-2020\t31-mar-23\tOAPLA\tInforme B.',
      'start',
      'La fecha inicial "1-mar-2020" (2020-03-01) cae en 2020, fuera de los años que admite un plan de 2023 (2021 a 2024).',
    ],
    [
      "a year two years after the plan's",
      'Informe B\t1-mar-23\t31/03/2025\tOAPLA\tInforme B.',
      'due',
      'La fecha final "31/03/2025" (2025-03-31) cae en 2025, fuera de los años que admite un plan de 2023 (2021 a 2024).',
    ],
    [
      'a row cut short',
      'Informe B\t1-mar-23\t31-mar-23',
      'responsible',
      'La fila tiene 3 columnas y la tabla tiene 5: faltan "Responsable", "PRODUCTO O ENTREGABLE".',
    ],
  ])('%s', (_case, row, field, message) => {
    const result = tsvWith(row);
    expect(result.errors).toEqual([{ file: 'prueba.txt', line: 4, activity: 2, field, message: expect.stringContaining(message) }]);
    expect(goodRows(result)).toEqual([
      [1, 'Informe A'],
      [3, 'Informe C'],
    ]);
  });
});

describe("dates outside the calendar's years or the plan's window, in every table format", () => {
  const rows = [
    'Plan de Prueba 2023',
    HEADER,
    GOOD_A,
    'Informe B\t4-ene-50\t4-feb-50\tOAPLA\tInforme B.',
    'Informe D\t1-ene-1950\t31-mar-23\tOAPLA\tInforme D.',
    'Informe E\t1-mar-23\t31/03/2101\tOAPLA\tInforme E.',
    GOOD_C,
  ].map((r) => r.split('\t'));
  const WINDOW = 'fuera de los años que admite un plan de 2023 (2021 a 2024).';
  const CALENDAR = 'fuera de los años que cubre el calendario de festivos (1984 a 2100).';

  it.each<[string, (file: string) => Promise<ImportResult>, string]>([
    ['TSV', (file) => Promise.resolve(importTsvPlan(rows.map((r) => r.join('\t')).join('\n'), options(file))), 'prueba.txt'],
    ['CSV', (file) => Promise.resolve(importCsvPlan(toCsv(rows, ';'), options(file))), 'prueba.csv'],
    // In the workbook `4-ene-50` and `4-feb-50` are date cells, read as 2050-01-04 and 2050-02-04.
    ['XLSX', async (file) => importXlsxPlan(await toXlsx(rows, { realDates: true }), options(file)), 'prueba.xlsx'],
  ])('%s: each one refused on its row and field, all listed together, the good rows kept', async (_format, read, file) => {
    const result = await read(file);
    expect(result.errors).toEqual([
      { file, line: 4, activity: 2, field: 'start', message: expect.stringContaining(`cae en 2050, ${WINDOW}`) },
      { file, line: 4, activity: 2, field: 'due', message: expect.stringContaining(`cae en 2050, ${WINDOW}`) },
      { file, line: 5, activity: 3, field: 'start', message: expect.stringContaining(`(1950-01-01) está ${CALENDAR}`) },
      { file, line: 6, activity: 4, field: 'due', message: expect.stringContaining(`(2101-03-31) está ${CALENDAR}`) },
    ]);
    expect(result.plan?.year).toBe(2023);
    expect(goodRows(result)).toEqual([
      [1, 'Informe A'],
      [5, 'Informe C'],
    ]);
  });
});

describe("the plan's year", () => {
  it('1990 is a year the holiday calendar covers (Ley 51 de 1983): the plan is accepted, its two-digit years read as 1990', () => {
    const text = ['Plan de Prueba 1990', HEADER, 'Informe A\t4-ene-90\t31-ene-90\tOAPLA\tInforme A.', 'Informe C\t1-feb-90\t28-feb-90\tARCOM\tInforme C.'];
    const result = importTsvPlan(text.join('\n'), options('prueba.txt'));
    expect(result.errors).toEqual([]);
    expect(result.plan?.year).toBe(1990);
    expect(result.plan?.activities.map((a) => [a.start, a.due])).toEqual([
      ['1990-01-04', '1990-01-31'],
      ['1990-02-01', '1990-02-28'],
    ]);
  });

  it("one the calendar does not cover, said by the title, is refused on the title's line, and each activity is still checked", () => {
    const text = ['Plan de Prueba 1983', HEADER, 'Informe A\t4/01/1983\t31/01/1983\tOAPLA\tInforme A.', 'Informe C\t\t28/02/1983\tARCOM\tInforme C.'];
    const result = importTsvPlan(text.join('\n'), options('prueba.txt'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      {
        file: 'prueba.txt',
        line: 1,
        activity: null,
        field: 'plan',
        message: 'El año del plan debe estar entre 1984 y 2100, los años que cubre el calendario de festivos: el título dice 1983.',
      },
      {
        file: 'prueba.txt',
        line: 3,
        activity: 1,
        field: 'start',
        message: 'La fecha inicial "4/01/1983" (1983-01-04) está fuera de los años que cubre el calendario de festivos (1984 a 2100).',
      },
      {
        file: 'prueba.txt',
        line: 3,
        activity: 1,
        field: 'due',
        message: 'La fecha final "31/01/1983" (1983-01-31) está fuera de los años que cubre el calendario de festivos (1984 a 2100).',
      },
      { file: 'prueba.txt', line: 4, activity: 2, field: 'start', message: 'Falta la fecha inicial.' },
      { file: 'prueba.txt', line: 4, activity: 2, field: 'due', message: expect.stringContaining('(1983-02-28) está fuera de los años que cubre') },
    ]);
  });

  it('one read from the due dates, the title not saying it, is refused on the line of the first of those dates', () => {
    const text = [
      'Plan de Prueba',
      HEADER,
      GOOD_A,
      'Informe B\t1-mar-2101\t31-mar-2101\tOAPLA\tInforme B.',
      'Informe C\t1-abr-2101\t30-abr-2101\tARCOM\tInforme C.',
    ];
    const result = importTsvPlan(text.join('\n'), options('prueba.txt'));
    expect(result.plan).toBeNull();
    expect(result.errors[0]).toEqual({
      file: 'prueba.txt',
      line: 4,
      activity: null,
      field: 'plan',
      message:
        'El año del plan debe estar entre 1984 y 2100, los años que cubre el calendario de festivos: el título no dice el año y la mayoría de las fechas finales son de 2101.',
    });
    expect(result.errors.slice(1).map((e) => [e.line, e.activity, e.field])).toEqual([
      [4, 2, 'start'],
      [4, 2, 'due'],
      [5, 3, 'start'],
      [5, 3, 'due'],
    ]);
  });

  it("one said by the file's name, the sheet having no title, names the file", () => {
    const result = importTsvPlan([HEADER, 'Informe A\t4/01/1983\t31/01/1983\tOAPLA\tInforme A.'].join('\n'), options('datos/plan-1983.txt'));
    expect(result.plan).toBeNull();
    expect(result.errors[0]).toEqual({
      file: 'datos/plan-1983.txt',
      line: null,
      activity: null,
      field: 'plan',
      message:
        'El año del plan debe estar entre 1984 y 2100, los años que cubre el calendario de festivos: el título, tomado del nombre del archivo ("plan-1983"), dice 1983.',
    });
  });

  it("a law's number in the title is not the plan's year", () => {
    const result = importTsvPlan(['Plan de Prueba según la Ley 1955', HEADER, GOOD_A, GOOD_C].join('\n'), options('prueba.txt'));
    expect(result.errors).toEqual([]);
    expect(result.plan?.year).toBe(2023);
  });

  it('in a YAML plan is refused on the line of "year:", once: the dates are not measured against it', () => {
    const head = ['id: prueba-1983', 'title: Plan de Prueba 1983', 'year: 1983', 'activities:'];
    const result = importYamlPlan([...head, ...YAML_A].join('\n'), options('prueba.yaml'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      {
        file: 'prueba.yaml',
        line: 3,
        activity: null,
        field: 'plan',
        message: 'Valor inválido en "year" (1983): El año del plan debe estar entre 1984 y 2100, los años que cubre el calendario de festivos.',
      },
    ]);
  });
});

describe('a table row that is readable but doubtful is kept, with a warning', () => {
  it.each<[string, string, PlanField, string]>([
    [
      'due on a Saturday',
      'Informe B\t1-jun-23\t1-jul-23\tOAPLA\tInforme B.',
      'due',
      'La fecha final "1-jul-23" (2023-07-01) cae en sábado, que no es día hábil.',
    ],
    ['due on a Sunday', 'Informe B\t1-jun-23\t2-jul-23\tOAPLA\tInforme B.', 'due', 'cae en domingo'],
    [
      'due on a holiday',
      'Informe B\t1-jun-23\t3-jul-23\tOAPLA\tInforme B.',
      'due',
      'cae en festivo (San Pedro y San Pablo, Ley 51 de 1983), que no es día hábil.',
    ],
    [
      'a shown number that is not its position',
      '7. Informe B\t1-mar-23\t31-mar-23\tOAPLA\tInforme B.',
      'number',
      'El número escrito (7) no coincide con la posición de la actividad en el plan (2): se usa 2.',
    ],
    [
      'a date in another year',
      'Informe B\t1-mar-24\t29-mar-24\tOAPLA\tInforme B.',
      'start',
      'La fecha inicial "1-mar-24" (2024-03-01) está fuera del año del plan (2023).',
    ],
    [
      "a date two years before the plan's, the first year of its window",
      'Informe B\t1-mar-21\t31-mar-23\tOAPLA\tInforme B.',
      'start',
      'La fecha inicial "1-mar-21" (2021-03-01) está fuera del año del plan (2023).',
    ],
    [
      "a date the year after the plan's, the last year of its window",
      'Informe B\t1-mar-23\t29-dic-24\tOAPLA\tInforme B.',
      'due',
      'La fecha final "29-dic-24" (2024-12-29) está fuera del año del plan (2023).',
    ],
    [
      'a quarterly title',
      'Seguimiento trimestral\t1-mar-23\t29-dic-23\tOAPLA\tInforme B.',
      'recurrence',
      'El nombre dice "trimestral": se asumió una entrega trimestral',
    ],
  ])('%s', (_case, row, field, message) => {
    const result = tsvWith(row);
    expect(result.errors).toEqual([]);
    expect(result.warnings[0]).toEqual({ file: 'prueba.txt', line: 4, activity: 2, field, message: expect.stringContaining(message) });
    expect(result.plan?.activities.map((a) => a.number)).toEqual([1, 2, 3]);
  });

  it('makes a quarterly activity out of a title that says "trimestral"', () => {
    const result = tsvWith('Seguimiento trimestral\t1-mar-23\t29-dic-23\tOAPLA\tInforme B.');
    expect(result.plan?.activities[1]?.recurrence).toEqual({ frequency: 'quarterly', due: { rule: 'end-of-period' } });
  });
});

describe('a table that cannot be found or read', () => {
  it('without the activities header gives no plan and says which columns it expects', () => {
    const result = importTsvPlan(['Plan de Prueba 2023', GOOD_A, GOOD_C].join('\n'), options('prueba.txt'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      { file: 'prueba.txt', line: null, activity: null, field: 'header', message: expect.stringContaining('No se encontró la tabla de actividades') },
    ]);
  });

  it('with a header missing the Responsable column skips that table but reads the next one', () => {
    const badHeader = 'Actividades\tFecha inicial\tFecha Final\tPRODUCTO O ENTREGABLE';
    const text = ['Plan de Prueba 2023', badHeader, 'Informe X\t4-ene-23\t31-ene-23\tInforme X.', '', HEADER, GOOD_C].join('\n');
    const result = importTsvPlan(text, options('prueba.txt'));
    expect(result.errors).toEqual([
      { file: 'prueba.txt', line: 2, activity: null, field: 'header', message: expect.stringContaining('le falta la columna "Responsable"') },
    ]);
    expect(goodRows(result)).toEqual([[2, 'Informe C']]);
  });
});

describe('CSV that breaks the quoting rules', () => {
  it('reports the line of an unclosed quote and still reads the rows after it', () => {
    const csv = [
      'Actividades,Fecha inicial,Fecha Final,Responsable,PRODUCTO O ENTREGABLE',
      'Informe A,4-ene-23,31-ene-23,OAPLA,Informe A.',
      '"Informe B,1-mar-23,31-mar-23,OAPLA,Informe B.',
      'Informe C,1-feb-23,28-feb-23,ARCOM,Informe C.',
    ].join('\n');
    const result = importCsvPlan(csv, options('prueba.csv'));
    expect(result.errors).toEqual([
      { file: 'prueba.csv', line: 3, activity: null, field: 'file', message: expect.stringContaining('unas comillas se abren y nunca se cierran') },
    ]);
    expect(result.plan?.activities.map((a) => [a.title, a.line])).toEqual([
      ['Informe A', 2],
      ['Informe C', 4],
    ]);
  });
});

describe('an XLSX row with empty cells', () => {
  it('reports the empty responsible and deliverable on the spreadsheet row, and keeps the other rows', async () => {
    const rows = ['Plan de Prueba 2023', HEADER, GOOD_A, 'Informe B\t1-mar-23\t31-mar-23', GOOD_C].map((r) => r.split('\t'));
    const result = await importXlsxPlan(await toXlsx(rows, { realDates: true }), options('prueba.xlsx'));
    expect(result.errors).toEqual([
      { file: 'prueba.xlsx', line: 4, activity: 2, field: 'responsible', message: 'Falta el área responsable.' },
      { file: 'prueba.xlsx', line: 4, activity: 2, field: 'deliverable', message: 'Falta el producto o entregable.' },
    ]);
    expect(goodRows(result)).toEqual([
      [1, 'Informe A'],
      [3, 'Informe C'],
    ]);
  });
});

const YAML_HEAD = ['id: prueba-2023', 'title: Plan de Prueba 2023', 'year: 2023', 'activities:'];
const YAML_A = [
  '  - number: 1',
  '    title: Informe A',
  '    start: 2023-01-04',
  '    due: 2023-01-31',
  '    responsible: [OAPLA]',
  '    deliverable: Informe A.',
];
const YAML_C = [
  '  - number: 3',
  '    title: Informe C',
  '    start: 2023-02-01',
  '    due: 2023-02-28',
  '    responsible: [ARCOM]',
  '    deliverable: Informe C.',
];

/** A YAML plan whose second activity (line 11) is `b`. */
function yamlWith(b: string[], head = YAML_HEAD): ImportResult {
  return importYamlPlan([...head, ...YAML_A, ...b, ...YAML_C].join('\n'), options('prueba.yaml'));
}

const B = (over: Record<string, string | null>) => {
  const fields: Record<string, string | null> = {
    number: '2',
    title: 'Informe B',
    start: '2023-03-01',
    due: '2023-03-31',
    responsible: '[OAPLA]',
    deliverable: 'Informe B.',
    ...over,
  };
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `    ${k}: ${v}`);
  return [`  -${(lines[0] as string).slice(3)}`, ...lines.slice(1)];
};

describe("a YAML plan with a wrong activity names the activity's line", () => {
  it.each<[string, Record<string, string | null>, PlanField, string]>([
    ['a number where a date goes', { start: '5' }, 'start', 'Valor inválido en "start" (5)'],
    ['a missing due key', { due: null }, 'due', 'Falta la fecha final.'],
    ['an area not in the directory', { responsible: '[OAPLA, XYZW]' }, 'responsible', 'Área desconocida "XYZW"'],
    ['an area code in lowercase', { responsible: '[arcom]' }, 'responsible', 'Código de área "arcom" mal escrito: los códigos van en mayúsculas ("ARCOM").'],
    ['an impossible date', { due: '2023-04-31' }, 'due', 'Fecha final inválida "2023-04-31": abril tiene 30 días.'],
    [
      "a date far from the plan's year",
      { due: '2050-01-04' },
      'due',
      'La fecha final "2050-01-04" cae en 2050, fuera de los años que admite un plan de 2023 (2021 a 2024).',
    ],
    ['an unknown frequency', { recurrence: '{frequency: weekly}' }, 'recurrence', 'Valor inválido en "recurrence.frequency" ("weekly")'],
  ])('%s', (_case, over, field, message) => {
    const result = yamlWith(B(over));
    expect(result.errors).toEqual([{ file: 'prueba.yaml', line: 11, activity: 2, field, message: expect.stringContaining(message) }]);
    expect(goodRows(result)).toEqual([
      [1, 'Informe A'],
      [3, 'Informe C'],
    ]);
  });

  it('warns when a title says "mensual" but no recurrence is given, and does not invent one', () => {
    const result = yamlWith(B({ title: 'Seguimiento mensual' }));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        file: 'prueba.yaml',
        line: 11,
        activity: 2,
        field: 'recurrence',
        message: expect.stringContaining('El nombre dice "mensual" pero la actividad no tiene periodicidad'),
      },
    ]);
    expect(result.plan?.activities[1]?.recurrence).toBeUndefined();
  });

  it('takes the recurrence as written, without a warning, when the title says "mensual"', () => {
    const result = yamlWith(B({ title: 'Seguimiento mensual', recurrence: '{frequency: monthly, due: {rule: business-days-after, days: 5}}' }));
    expect(result.warnings).toEqual([]);
    expect(result.plan?.activities[1]?.recurrence).toEqual({ frequency: 'monthly', due: { rule: 'business-days-after', days: 5 } });
  });

  it('warns about a misspelt key instead of dropping it silently', () => {
    const result = yamlWith(B({ recurrance: '{frequency: monthly}' }));
    expect(result.warnings).toEqual([
      { file: 'prueba.yaml', line: 11, activity: 2, field: 'plan', message: 'Clave desconocida "recurrance" en la actividad: se ignora.' },
    ]);
  });
});

describe('a YAML plan that cannot be used', () => {
  it('with broken indentation gives no plan and names the line', () => {
    const text = [...YAML_HEAD, '  - number: 1', '    title: Informe A', '      start: 2023-01-04'].join('\n');
    const result = importYamlPlan(text, options('prueba.yaml'));
    expect(result.plan).toBeNull();
    expect(result.errors[0]).toEqual({
      file: 'prueba.yaml',
      line: 6,
      activity: null,
      field: 'file',
      message: expect.stringContaining('El archivo YAML no es válido en la línea 6'),
    });
  });

  it('with a year that is not a number gives no plan, but still checks the activities', () => {
    const head = ['id: prueba-2023', 'title: Plan de Prueba 2023', 'year: dos mil veintitrés', 'activities:'];
    const result = yamlWith(B({ start: '2023-02-30' }), head);
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      { file: 'prueba.yaml', line: 3, activity: null, field: 'plan', message: expect.stringContaining('Valor inválido en "year" ("dos mil veintitrés")') },
      {
        file: 'prueba.yaml',
        line: 11,
        activity: 2,
        field: 'start',
        message: expect.stringContaining('Fecha inicial inválida "2023-02-30": febrero tiene 28 días.'),
      },
    ]);
  });

  it('without an activities list gives no plan', () => {
    const result = importYamlPlan(YAML_HEAD.slice(0, 3).join('\n'), options('prueba.yaml'));
    expect(result.plan).toBeNull();
    expect(result.errors).toEqual([
      { file: 'prueba.yaml', line: null, activity: null, field: 'plan', message: expect.stringContaining('Falta la lista de actividades') },
    ]);
  });
});
