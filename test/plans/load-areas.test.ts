import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadAreasFile, parseAreas, resolveAreasPath } from '../../config/load-areas';
import { AREAS_PATH } from './support';

describe('the areas directory', () => {
  it('config/areas.yaml loads its six areas with no errors, Control Interno marked by its role', () => {
    const { areas, errors } = loadAreasFile(AREAS_PATH);
    expect(errors).toEqual([]);
    expect(Object.keys(areas ?? {})).toEqual(['OAPLA', 'ARCOM', 'ASERA', 'ARACF', 'ARVIV', 'OCI']);
    expect(areas?.OCI?.role).toBe('control-interno');
    expect(areas?.OAPLA).toEqual({ name: 'Oficina Asesora de Planeación', email: ['planeacion@entidad.gov.co'], cc: [] });
  });

  it('refuses a second Control Interno and an unknown role, on their lines, in Spanish', () => {
    const text = [
      'OCI:', //                                         1
      '  name: Oficina de Control Interno', //           2
      '  email: [control.interno@entidad.gov.co]', //    3
      '  role: control-interno', //                      4
      'OCI2:', //                                        5
      '  name: Control Interno (copia)', //              6
      '  email: [otra@entidad.gov.co]', //               7
      '  role: control-interno', //                      8
      'ARCOM:', //                                       9
      '  name: Comunicaciones', //                       10
      '  email: [comunicaciones@entidad.gov.co]', //     11
      '  role: jefe', //                                 12
    ].join('\n');
    const { errors } = parseAreas(text, 'areas.yaml');
    expect(errors).toEqual([
      {
        file: 'areas.yaml',
        line: 5,
        activity: null,
        field: null,
        message: 'Área "OCI2", role: ya hay otra área con el rol control-interno (OCI); solo una puede tenerlo.',
      },
      { file: 'areas.yaml', line: 12, activity: null, field: null, message: expect.stringContaining('Rol de área desconocido') },
    ]);
  });

  const BAD = [
    'OAPLA:', //                                                   1
    '  name: Oficina Asesora de Planeación', //                    2
    '  email: [planeacion@entidad.gov.co]', //                     3
    'ARCOM:', //                                                   4
    '  name: Área de Comunicaciones', //                           5
    '  email: [comunicaciones@entidad.gov.co, no-es-un-correo]', // 6
    'ASERA:', //                                                   7
    '  name: "Servicio al Afiliado\\r\\nBcc: intruso@example.com"', // 8
    '  email: [servicio@entidad.gov.co]', //                       9
    'arviv:', //                                                   10
    '  name: Área de Vivienda', //                                 11
    '  email: [vivienda@entidad.gov.co]', //                       12
    'ARACF:', //                                                   13
    '  name: Área de Atención al Consumidor Financiero', //        14
    '  email: []', //                                              15
  ].join('\n');

  it('reports each bad entry on its line, in Spanish, and keeps the good ones', () => {
    const { areas, errors } = parseAreas(BAD, 'areas.yaml');
    expect(errors).toEqual([
      { file: 'areas.yaml', line: 6, activity: null, field: null, message: 'Área "ARCOM", correo 2 "no-es-un-correo": Dirección de correo inválida.' },
      { file: 'areas.yaml', line: 8, activity: null, field: null, message: expect.stringContaining('Área "ASERA", nombre') },
      {
        file: 'areas.yaml',
        line: 10,
        activity: null,
        field: null,
        message: expect.stringContaining('Código de área inválido "arviv": El código de área debe ir en mayúsculas'),
      },
      { file: 'areas.yaml', line: 15, activity: null, field: null, message: 'Área "ARACF", correo: El área necesita al menos una dirección de correo.' },
    ]);
    expect(errors[1]?.message).toContain('El nombre no puede contener saltos de línea.');
    expect(Object.keys(areas ?? {})).toEqual(['OAPLA']);
  });

  it('reports broken YAML with its line and gives no directory', () => {
    const { areas, errors } = parseAreas('OAPLA:\n  name: Planeación\n\temail: [a@b.co]\n', 'areas.yaml');
    expect(areas).toBeNull();
    expect(errors).toEqual([{ file: 'areas.yaml', line: 3, activity: null, field: 'file', message: expect.stringContaining('hay tabuladores en la sangría') }]);
  });

  it('reports a file that is a list instead of a map of codes', () => {
    const { areas, errors } = parseAreas('- OAPLA\n- ARCOM\n', 'areas.yaml');
    expect(areas).toBeNull();
    expect(errors[0]?.message).toContain('debe ser un mapa de códigos de área');
  });

  describe('on disk', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'plazos-areas-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads a file with a byte order mark and names the file in its errors', () => {
      const path = join(dir, 'areas.yaml');
      writeFileSync(path, `\uFEFF${BAD}`);
      const { errors } = loadAreasFile(path);
      expect(errors.map((e) => [e.file, e.line])).toEqual([
        [path, 6],
        [path, 8],
        [path, 10],
        [path, 15],
      ]);
    });

    it('reports a missing file as an error instead of throwing', () => {
      const path = join(dir, 'no-existe.yaml');
      expect(loadAreasFile(path)).toEqual({
        areas: null,
        errors: [{ file: path, line: null, activity: null, field: 'file', message: `No se pudo leer el directorio de áreas "${path}": no existe.` }],
        unreadable: true,
      });
    });
  });
});

describe('which areas file is used', () => {
  it('is the --areas option first', () => {
    expect(resolveAreasPath('/etc/plazos/areas.yaml', { PLAZOS_AREAS: '/otra/areas.yaml' })).toBe('/etc/plazos/areas.yaml');
  });

  it('is PLAZOS_AREAS when there is no option', () => {
    expect(resolveAreasPath(undefined, { PLAZOS_AREAS: '/otra/areas.yaml' })).toBe('/otra/areas.yaml');
  });

  it("is the repository's config/areas.yaml otherwise, even when PLAZOS_AREAS is set but empty", () => {
    expect(resolveAreasPath(undefined, {})).toBe(AREAS_PATH);
    expect(resolveAreasPath(undefined, { PLAZOS_AREAS: '' })).toBe(AREAS_PATH);
    expect(existsSync(resolveAreasPath(undefined, {}))).toBe(true);
  });
});
