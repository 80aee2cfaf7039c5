/**
 * What `plazos plan preview` and `plazos calendar holidays` print: the agenda, its JSON, and the
 * year's holidays.
 */
import { formatAgenda, previewJson, shortTitle } from '../../calendar/agenda';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { formatHolidays, holidaysJson } from '../../calendar/holidays-report';
import { planNotices } from '../../calendar/schedule';
import { plan, seed } from './seed';

const calendar = new BusinessCalendar();

describe('formatAgenda', () => {
  it("prints activity 3's agenda in Spanish, grouped by month, one line per notice with its reason", () => {
    const p = plan([seed.a3]);
    expect(formatAgenda(planNotices(p, calendar), p, 'es')).toBe(
      [
        'Plan de Participación Ciudadana 2023: 8 avisos',
        '',
        'Enero de 2023',
        '  2023-01-04 08:00  inicio        3. Socializar la Formulación del Plan…  para: OAPLA  · inicio del periodo (miércoles 4 de enero de 2023)',
        '  2023-01-05 08:00  recordatorio  3. Socializar la Formulación del Plan…  para: OAPLA  · 10 días hábiles antes del vencimiento (viernes 20 de enero de 2023); se saltó el lunes 9 de enero (Reyes Magos)',
        '  2023-01-17 08:00  recordatorio  3. Socializar la Formulación del Plan…  para: OAPLA  · 3 días hábiles antes del vencimiento (viernes 20 de enero de 2023)',
        '  2023-01-20 08:00  vencimiento   3. Socializar la Formulación del Plan…  para: OAPLA  · día del vencimiento (viernes 20 de enero de 2023)',
        '  2023-01-23 08:00  escalamiento  3. Socializar la Formulación del Plan…  para: OAPLA  · 1 día hábil después del vencimiento (viernes 20 de enero de 2023)',
        '  2023-01-30 08:00  escalamiento  3. Socializar la Formulación del Plan…  para: OAPLA  · 6 días hábiles después del vencimiento (viernes 20 de enero de 2023)',
        '',
        'Febrero de 2023',
        '  2023-02-06 08:00  escalamiento  3. Socializar la Formulación del Plan…  para: OAPLA  · 11 días hábiles después del vencimiento (viernes 20 de enero de 2023)',
        '  2023-02-13 08:00  incumplido    3. Socializar la Formulación del Plan…  para: OAPLA  · 16 días hábiles después del vencimiento (viernes 20 de enero de 2023)',
        '',
      ].join('\n'),
    );
  });

  it('shows copies and the period of a recurring activity, in English when asked', () => {
    const p = plan([seed.a8, seed.a11]);
    const lines = formatAgenda(planNotices(p, calendar), p, 'en').split('\n');
    expect(lines[0]).toBe('Plan de Participación Ciudadana 2023: 184 notices');
    expect(lines).toContain('April 2023');
    expect(lines).toContain(
      '  2023-04-10 08:00  kickoff     8. Divulgar los trámites y servicios en los canales…  to: ASERA cc: ARCOM  · start of the period (Monday 10 April 2023)',
    );
    expect(lines).toContain(
      '  2023-04-28 08:00  due         11. Realizar seguimiento mensual a los contenidos… (period 2023-04)  to: ARCOM  · the due date, Sunday 30 April 2023, is not a business day: brought forward to Friday 28',
    );
  });

  it('puts notices in time order under each month even when given out of order', () => {
    const p = plan([seed.a3]);
    const text = formatAgenda([...planNotices(p, calendar)].reverse(), p, 'es');
    expect(text.indexOf('Enero de 2023')).toBeLessThan(text.indexOf('Febrero de 2023'));
    expect(text.indexOf('2023-01-04')).toBeLessThan(text.indexOf('2023-01-05'));
  });

  it('shortens titles at a word and drops the numbering some plans write into them', () => {
    expect(shortTitle('13. Desarrollar ferias inmobiliarias virtuales o presenciales.')).toBe('Desarrollar ferias inmobiliarias virtuales o…');
    expect(shortTitle('Informe de evaluación')).toBe('Informe de evaluación');
  });
});

describe('previewJson', () => {
  it('lists notifications with activity, period, kind, instant and recipients, in time order', () => {
    const p = plan([seed.a13, seed.a3]);
    const json = previewJson([...planNotices(p, calendar)].reverse());
    expect(json.notifications).toHaveLength(16);
    expect(json.notifications[0]).toEqual({ activity: 3, period: null, kind: 'kickoff', at: '2023-01-04T08:00:00-05:00', to: ['OAPLA'], cc: [] });
    expect(json.notifications[15]).toEqual({
      activity: 13,
      period: null,
      kind: 'missed',
      at: '2023-07-26T08:00:00-05:00',
      to: ['OAPLA'],
      cc: ['ARVIV'],
    });
    const times = json.notifications.map((n) => n.at);
    expect(times).toEqual([...times].sort());
  });
});

describe('holidays report', () => {
  it('lists the 18 Colombian holidays of 2024 with their Spanish names as JSON', () => {
    expect(holidaysJson(2024, calendar)).toEqual([
      { date: '2024-01-01', name: 'Año Nuevo', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-01-08', name: 'Reyes Magos', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-03-25', name: 'San José', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-03-28', name: 'Jueves Santo', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-03-29', name: 'Viernes Santo', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-05-01', name: 'Día del Trabajo', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-05-13', name: 'Ascensión del Señor', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-06-03', name: 'Corpus Christi', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-06-10', name: 'Sagrado Corazón de Jesús', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-07-01', name: 'San Pedro y San Pablo', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-07-20', name: 'Grito de la Independencia', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-08-07', name: 'Batalla de Boyacá', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-08-19', name: 'Asunción de la Virgen', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-10-14', name: 'Día de la Raza', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-11-04', name: 'Todos los Santos', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-11-11', name: 'Independencia de Cartagena', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-12-08', name: 'Inmaculada Concepción', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-12-25', name: 'Navidad', law: 'Ley 51 de 1983', kind: 'holiday' },
    ]);
  });

  it("adds the entity's own days off to the list, in date order", () => {
    const entity = new BusinessCalendar(undefined, [{ date: '2024-03-05', name: 'Aniversario de la entidad' }]);
    expect(holidaysJson(2024, entity).slice(1, 4)).toEqual([
      { date: '2024-01-08', name: 'Reyes Magos', law: 'Ley 51 de 1983', kind: 'holiday' },
      { date: '2024-03-05', name: 'Aniversario de la entidad', law: null, kind: 'entity' },
      { date: '2024-03-25', name: 'San José', law: 'Ley 51 de 1983', kind: 'holiday' },
    ]);
  });

  it('prints 2025 readably in Spanish, with 30 June once and both of its names, and the law beside each day', () => {
    expect(formatHolidays(2025, calendar, 'es')).toBe(
      [
        'Festivos y días no laborables de 2025: 17 días',
        '  miércoles 1 de enero    Año Nuevo                                         Ley 51 de 1983',
        '  lunes 6 de enero        Reyes Magos                                       Ley 51 de 1983',
        '  lunes 24 de marzo       San José                                          Ley 51 de 1983',
        '  jueves 17 de abril      Jueves Santo                                      Ley 51 de 1983',
        '  viernes 18 de abril     Viernes Santo                                     Ley 51 de 1983',
        '  jueves 1 de mayo        Día del Trabajo                                   Ley 51 de 1983',
        '  lunes 2 de junio        Ascensión del Señor                               Ley 51 de 1983',
        '  lunes 23 de junio       Corpus Christi                                    Ley 51 de 1983',
        '  lunes 30 de junio       Sagrado Corazón de Jesús / San Pedro y San Pablo  Ley 51 de 1983',
        '  domingo 20 de julio     Grito de la Independencia                         Ley 51 de 1983',
        '  jueves 7 de agosto      Batalla de Boyacá                                 Ley 51 de 1983',
        '  lunes 18 de agosto      Asunción de la Virgen                             Ley 51 de 1983',
        '  lunes 13 de octubre     Día de la Raza                                    Ley 51 de 1983',
        '  lunes 3 de noviembre    Todos los Santos                                  Ley 51 de 1983',
        '  lunes 17 de noviembre   Independencia de Cartagena                        Ley 51 de 1983',
        '  lunes 8 de diciembre    Inmaculada Concepción                             Ley 51 de 1983',
        '  jueves 25 de diciembre  Navidad                                           Ley 51 de 1983',
        '',
      ].join('\n'),
    );
  });

  it("prints English names and marks the entity's days off", () => {
    const entity = new BusinessCalendar(undefined, [{ date: '2024-03-05', name: { es: 'Aniversario', en: 'Anniversary' } }]);
    const lines = formatHolidays(2024, entity, 'en').split('\n');
    expect(lines[0]).toBe('Public holidays and entity days off in 2024: 19 days');
    // Dates are padded to the longest one of the year, 'Wednesday 25 December'.
    // An entity's day with no act named has no law column.
    expect(lines).toContain('  Tuesday 5 March        Anniversary (entity day off)');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}Thursday 28 March {6}Maundy Thursday +Ley 51 de 1983$/));
  });
});
