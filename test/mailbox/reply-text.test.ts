/**
 * What the lead wrote, without what the mail client added, for the reply shapes of Outlook, Gmail
 * and Thunderbird; and the links in it.
 */
import { linksIn, ownText } from '../../mailbox/reply-text';

const NOTICE = ['Inicia la actividad 1 del plan “Participación Ciudadana 2023”.', '', 'Registre la evidencia en http://plazos.test/evidencia/abc.def'].join(
  '\n',
);

describe('the text a lead wrote in a reply', () => {
  it('Outlook: everything from the line of underscores and the "De: / Enviado:" block on is the notice, not the reply', () => {
    const text = [
      'Adjunto el informe.',
      '',
      'Cordialmente,',
      'María',
      '',
      '________________________________',
      'De: Plazos <respuestas+ab@entidad.gov.co>',
      'Enviado: lunes, 4 de diciembre de 2023 8:00',
      'Asunto: Inicia',
      '',
      NOTICE,
    ].join('\r\n');
    expect(ownText(text)).toBe('Adjunto el informe.\n\nCordialmente,\nMaría');
  });

  it('Outlook without its separator (Outlook on the web): the "De:" line followed by "Enviado:" opens the history', () => {
    expect(
      ownText(['Listo: https://x.gov.co/informe.pdf', '', 'From: Plazos <plazos@entidad.gov.co>', 'Sent: Monday, December 4, 2023 8:00 AM', NOTICE].join('\n')),
    ).toBe('Listo: https://x.gov.co/informe.pdf');
  });

  it('Outlook, HTML only: the rule mailparser writes for its <hr> opens the history, and an earlier "Avance: 30 %" below it is not the lead\'s', () => {
    const text = ['Seguimos trabajando.', '', '-'.repeat(80), '', 'De: Plazos', 'Enviado: lunes, 4 de diciembre de 2023 8:00', 'Avance: 30 %'].join('\n');
    expect(ownText(text)).toBe('Seguimos trabajando.');
  });

  it('Gmail: the attribution wrapped over two lines and the "> " quotes are left out, and so is the "-- " signature', () => {
    const text = [
      'Va el enlace: https://drive.example/informe',
      '',
      '-- ',
      'María Pérez',
      '',
      'El lun, 4 dic 2023 a las 8:00, Plazos (<',
      'respuestas+ab@entidad.gov.co>) escribió:',
      '',
      '> Inicia la actividad 1',
      '> http://plazos.test/evidencia/abc',
    ].join('\n');
    expect(ownText(text)).toBe('Va el enlace: https://drive.example/informe');
  });

  it('Thunderbird: a reply written below the quote keeps only the lines below it', () => {
    const text = [
      'On 4/12/23 8:00, Plazos wrote:',
      '> Inicia la actividad 1',
      '> http://plazos.test/evidencia/abc',
      '',
      'Aquí está: https://sitio.gov.co/informe.',
      '',
      '-- ',
      'Firma',
    ].join('\n');
    expect(ownText(text)).toBe('Aquí está: https://sitio.gov.co/informe.');
    expect(linksIn(ownText(text))).toEqual(['https://sitio.gov.co/informe']);
  });

  it("a forwarded message inside the reply is history: its links are not the lead's", () => {
    const text = [
      'Reenvío lo de Ana.',
      '',
      '---------- Forwarded message ---------',
      'De: Ana <ana@entidad.gov.co>',
      'Borrador en https://intranet/borrador.docx',
    ].join('\n');
    expect(linksIn(ownText(text))).toEqual([]);
    expect(ownText(text)).toBe('Reenvío lo de Ana.');
  });

  it('links: trailing punctuation and the brackets Outlook writes around a link are not part of it', () => {
    expect(linksIn('Ver <https://a.gov.co/x?y=1>, y (https://b.gov.co/z).')).toEqual(['https://a.gov.co/x?y=1', 'https://b.gov.co/z']);
  });
});
