import { parseResponsible } from '../../plans/responsible';
import { realAreas } from './support';

const areas = realAreas();

describe('reading the Responsable cell', () => {
  it.each([
    ['OAPLA Oficina Asesora de Planeación', ['OAPLA']],
    ['ASERA Área de Servicio al Afiliado ARCOM Área de Comunicaciones', ['ASERA', 'ARCOM']],
    ['OAPLA-ARCOM Oficina Asesora de Planeación y Área de Comunicaciones', ['OAPLA', 'ARCOM']],
    ['ARACF Área de Atención Consumidor Financiero', ['ARACF']],
    ['OAPLA, ARCOM', ['OAPLA', 'ARCOM']],
    ['OAPLA; ARCOM', ['OAPLA', 'ARCOM']],
    ['ARCOM / OAPLA', ['ARCOM', 'OAPLA']],
    ['OAPLA Y ARCOM', ['OAPLA', 'ARCOM']],
    ['OAPLA OFICINA ASESORA DE PLANEACIÓN', ['OAPLA']],
    ['OAPLA, ARCOM, OAPLA', ['OAPLA', 'ARCOM']],
    ['Oficina Asesora de Planeación', ['OAPLA']],
  ])('"%s" names %j, the first one leading', (cell, codes) => {
    expect(parseResponsible(cell, areas)).toEqual({ codes, problems: [] });
  });

  it('names an uppercase code that is not in the directory', () => {
    expect(parseResponsible('OAPLA-XYZW Oficina Asesora de Planeación', areas)).toEqual({
      codes: ['OAPLA'],
      problems: ['Área desconocida "XYZW": no está en el directorio de áreas (OAPLA, ARCOM, ASERA, ARACF, ARVIV, OCI).'],
    });
  });

  it('refuses an empty cell and an empty list', () => {
    expect(parseResponsible('   ', areas).problems).toEqual(['Falta el área responsable.']);
    expect(parseResponsible([], areas).problems).toEqual(['Falta el área responsable.']);
  });

  it('takes a YAML list of codes as written, and points out a code in lowercase', () => {
    expect(parseResponsible(['ARCOM', 'OAPLA'], areas)).toEqual({ codes: ['ARCOM', 'OAPLA'], problems: [] });
    expect(parseResponsible(['oapla'], areas).problems).toEqual(['Código de área "oapla" mal escrito: los códigos van en mayúsculas ("OAPLA").']);
  });
});
