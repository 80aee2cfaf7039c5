/**
 * The .ics attachment is written by calendar-event.ts, not by the `ics` package (see why there);
 * the package stays as the oracle: on arbitrary titles, descriptions and links, both write the same
 * calendar once continuation lines are unfolded, and ours keeps every line within 75 octets.
 */
import fc from 'fast-check';
import { createEvent, type EventAttributes } from 'ics';
import { calendarEvent, foldLine } from '../../../activities/email/calendar-event';
import { dateParts, nextDay } from '../../../activities/email/dates';

const NOW = new Date(Date.UTC(2023, 0, 4, 13, 5, 9));

function byIcs(e: { uid: string; dueDate: string; title: string; description: string; url: string | null }): string | null {
  // `timestamp` (DTSTAMP) is read by ics but missing from its types.
  const attributes = {
    uid: e.uid,
    method: 'PUBLISH',
    productId: '-//plazos//avisos//ES',
    start: dateParts(e.dueDate),
    end: nextDay(e.dueDate),
    title: e.title,
    description: e.description,
    ...(e.url ? { url: e.url } : {}),
    busyStatus: 'FREE',
    transp: 'TRANSPARENT',
    timestamp: NOW.getTime(),
  } as EventAttributes;
  const { error, value } = createEvent(attributes);
  return error || !value ? null : value;
}

const unfold = (ics: string) => ics.replace(/\r\n[\t ]/g, '');

describe('calendarEvent', () => {
  it('writes what the ics package writes for the seed’s notice', () => {
    const event = {
      uid: '0123456789abcdef0123456789abcdef@entidad.gov.co',
      dueDate: '2023-01-20',
      title: 'Fecha límite: Registro de socialización en PAAC (actividad 3)',
      description:
        'Socializar la Formulación del Plan Anticorrupción y Atención al Ciudadano PAAC para la vigencia del 2023.\nResponsable: ARCOM; copia: OAPLA, ARCOM',
      url: 'https://plazos.entidad.gov.co/evidencias/participacion-ciudadana-2023/3?t=abc',
    };
    expect(unfold(calendarEvent(event, NOW))).toBe(unfold(byIcs(event) ?? ''));
    expect(calendarEvent(event, NOW)).toContain('DTSTAMP:20230104T130509Z\r\n');
  });

  it('is the same calendar as the ics package writes, on any text and link, with lines of at most 75 octets', () => {
    const day = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-30T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.string({ unit: 'grapheme', maxLength: 600 }),
        fc.option(fc.webUrl({ withQueryParameters: true, withFragments: true }), { nil: null }),
        day,
        (title, description, url, dueDate) => {
          const event = { uid: 'abc@entidad.gov.co', dueDate, title, description, url };
          const expected = byIcs(event);
          fc.pre(expected !== null); // a link ics's own pattern refuses is not a case to compare
          const ours = calendarEvent(event, NOW);
          expect(unfold(ours)).toBe(unfold(expected));
          for (const line of ours.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never folds inside a UTF-8 character', () => {
    const folded = foldLine(`SUMMARY:${'ñ'.repeat(80)}😀${'á'.repeat(40)}`);
    for (const part of folded.split('\r\n\t')) expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
    expect(folded.replace(/\r\n\t/g, '')).toBe(`SUMMARY:${'ñ'.repeat(80)}😀${'á'.repeat(40)}`);
  });

  it('refuses what would make a broken calendar: a bad date, a multi-line UID, a link that is not http(s)', () => {
    const ok = { uid: 'a@b', dueDate: '2023-01-20', title: 't', description: 'd', url: null };
    expect(() => calendarEvent({ ...ok, dueDate: '2023-02-30' })).toThrow('Fecha límite inválida para el calendario: 2023-02-30');
    expect(() => calendarEvent({ ...ok, uid: 'a@b\r\nX-EVIL:1' })).toThrow('UID de calendario inválido');
    expect(() => calendarEvent({ ...ok, url: 'javascript:alert(1)' })).toThrow('El enlace del evento de calendario no es una URL http(s) válida.');
  });
});
