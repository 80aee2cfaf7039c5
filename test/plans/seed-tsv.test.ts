import { importTsvPlan } from '../../plans/importers/tsv';
import { expectedSeedActivities, options, seedText, SEED_ACTIVITIES } from './support';

const result = importTsvPlan(seedText(), options('plan-participacion-ciudadana-2023.txt'));

describe('the 2023 Citizen Participation Plan, as given (TSV)', () => {
  it('reads with no errors', () => {
    expect(result.errors).toEqual([]);
    expect(result.plan).not.toBeNull();
  });

  it('has all 19 activities with their numbers, titles, dates, areas, deliverables and lines', () => {
    expect(result.plan?.activities).toEqual(expectedSeedActivities());
  });

  it('drops the numbers some titles show ("3. ", "10. ") and numbers every row by its position', () => {
    expect(result.plan?.activities.filter((a) => /^\d/.test(a.title))).toEqual([]);
    expect(result.plan?.activities.map((a) => a.number)).toEqual(SEED_ACTIVITIES.map((_, i) => i + 1));
    expect(result.warnings.filter((w) => w.field === 'number')).toEqual([]);
  });

  it('takes title, year, id, owner and timezone from the sheet', () => {
    expect(result.plan).toMatchObject({
      id: 'participacion-ciudadana-2023',
      title: 'Formulación Plan de Participación Ciudadana 2023',
      year: 2023,
      owner: 'OAPLA',
      timezone: 'America/Bogota',
    });
  });

  it('keeps the footer: who consolidated, the version and its date, who reviewed', () => {
    expect(result.plan).toMatchObject({
      preparedBy: 'Carlos Arturo Contreras Profesional Especializado Oficina Asesora de Planeación',
      version: '1',
      versionDate: '2023-01-26',
      reviewedBy: 'Lina María Rendón Lozano Jefe Oficina Asesora de Planeación',
    });
  });

  it('keeps the preamble labels (without their colons) and texts', () => {
    expect(result.plan?.preamble).toEqual([
      { label: 'Formulación', text: 'Formulación Plan de Participación Ciudadana 2023' },
      { label: 'Política de Gestión y Desempeño Institucional', text: 'Política de participación ciudadana en la gestión pública' },
      {
        label: 'Objetivo estratégico',
        text: '5. Promover la innovación, transformación digital y mejora continua de los procesos con énfasis en analítica de datos e inteligencia artificial.',
      },
      {
        label: 'Objetivo dependencia',
        text: '5.7 Asesorar y acompañar a los procesos en la mejora continua en el marco del MIPG, para mantener el índice de gestión y desempeño institucional.',
      },
      {
        label: 'Iniciativa estratégica',
        text: '5.7.2 Definición y Ejecución de la estrategia de Rendición de Cuentas y Participación Ciudadana',
      },
      {
        label: 'Objetivos del plan',
        text: 'Promover escenarios, mecanismos de interacción y participación ciudadana entre Caja Honor y los diferentes grupos de valor, para la construcción colaborativa en el diseño, implementación y seguimiento de la gestión institucional.',
      },
      {
        label: 'Marco legal',
        text: 'Constitución Política Artículo 20 y 270. Ley 1750 de 2015 artículos 2 y 50. Ley 1757 de 2015 y Decreto 1499 de 2017.',
      },
      {
        label: 'Dependencias responsables',
        text: 'Líder: Oficina Asesora de Planeación (OAPLA) con el apoyo de las área de Comunicaciones (ARCOM), Servicio al Afiliado (ASERA), Atención al Consumidor Financiero (ARACF), Vivienda (ARVIV)',
      },
    ]);
  });

  it('warns about exactly these things: 2022 dates in 6, 11, 15, 17; three activities over a year; 11 made monthly', () => {
    const f = 'plan-participacion-ciudadana-2023.txt';
    expect(result.warnings).toEqual([
      { file: f, line: 22, activity: 6, field: 'start', message: 'La fecha inicial "20-feb-22" (2022-02-20) está fuera del año del plan (2023).' },
      { file: f, line: 22, activity: 6, field: 'due', message: 'La actividad dura más de un año: del 2022-02-20 al 2023-03-31.' },
      { file: f, line: 29, activity: 11, field: 'start', message: 'La fecha inicial "1-feb-22" (2022-02-01) está fuera del año del plan (2023).' },
      { file: f, line: 29, activity: 11, field: 'due', message: 'La actividad dura más de un año: del 2022-02-01 al 2023-11-30.' },
      {
        file: f,
        line: 29,
        activity: 11,
        field: 'recurrence',
        message:
          'El nombre dice "mensual": se asumió una entrega mensual al final de cada periodo. Puede fijar la periodicidad con la clave "recurrence" en el plan YAML.',
      },
      { file: f, line: 33, activity: 15, field: 'start', message: 'La fecha inicial "12-oct-22" (2022-10-12) está fuera del año del plan (2023).' },
      { file: f, line: 33, activity: 15, field: 'due', message: 'La fecha final "16-nov-22" (2022-11-16) está fuera del año del plan (2023).' },
      { file: f, line: 35, activity: 17, field: 'start', message: 'La fecha inicial "17-oct-22" (2022-10-17) está fuera del año del plan (2023).' },
      { file: f, line: 35, activity: 17, field: 'due', message: 'La actividad dura más de un año: del 2022-10-17 al 2023-11-30.' },
    ]);
  });

  it('finds no due date on a weekend or holiday, because the seed has none', () => {
    // Worked out by hand: 31-ene Tue, 20-ene Fri, 30-nov Thu, 31-mar Fri, 29-dic Fri, 28-abr Fri,
    // 28-jul Fri, 14-jul Fri, 30-jun Fri, 31-ago Thu, 16-nov-22 Wed, 20-dic Wed, 11-dic Mon; none
    // is a Colombian holiday (3-jul San Pedro, 21-ago Asunción, 8-dic Inmaculada are near misses).
    expect(result.warnings.filter((w) => w.message.includes('día hábil'))).toEqual([]);
  });

  it('reads the same with CRLF line ends and a UTF-8 byte order mark', () => {
    const crlf = importTsvPlan(`\uFEFF${seedText().replace(/\n/g, '\r\n')}`, options('plan-participacion-ciudadana-2023.txt'));
    expect(crlf).toEqual(result);
  });

  it('finds the columns by name when a table has them in another order', () => {
    const reordered = seedText()
      .split('\n')
      .map((line) => {
        const cells = line.split('\t');
        // Only table rows (5 cells, no trailing tabs) are reordered: deliverable first, dates last.
        if (cells.length !== 5) return line;
        const [title, start, due, responsible, deliverable] = cells;
        return [deliverable, responsible, title, due, start].join('\t');
      })
      .join('\n');
    const again = importTsvPlan(reordered, options('plan-participacion-ciudadana-2023.txt'));
    expect(again.errors).toEqual([]);
    expect(again.plan?.activities).toEqual(expectedSeedActivities());
  });
});
