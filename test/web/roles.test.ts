/** The roles file (config/roles.yaml): what each claim value gives, and errors that name file, line and field. */
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRoles, rolesFromClaims, RolesFileError, watchedRoles } from '../../web/roles';

const AREAS = new Set(['OAPLA', 'ARCOM', 'ASERA']);

function refusal(text: string): string {
  try {
    parseRoles(text, 'config/roles.yaml', AREAS);
  } catch (err) {
    expect(err).toBeInstanceOf(RolesFileError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('the roles file', () => {
  test('the repository example parses: OAPLA and Control Interno groups', () => {
    const map = parseRoles(readFileSync(join(__dirname, '../../config/roles.yaml'), 'utf8'), 'config/roles.yaml', AREAS);
    expect(map.claim).toBe('groups');
    expect(rolesFromClaims(map, { groups: ['plazos-oapla'] })).toEqual({ oapla: true, control: false, areas: [] });
  });

  test('Entra ID app roles: several values add up, a value may give a list of roles, unknown values give nothing', () => {
    const map = parseRoles('claim: roles\nroles:\n  Plazos.Control: control-interno\n  Plazos.Areas: [area:ASERA, area:ARCOM]\n', 'r.yaml', AREAS);
    expect(rolesFromClaims(map, { roles: ['Plazos.Control', 'Plazos.Areas', 'Otra.App'] })).toEqual({ oapla: false, control: true, areas: ['ARCOM', 'ASERA'] });
    expect(rolesFromClaims(map, { roles: ['Otra.App'] })).toEqual({ oapla: false, control: false, areas: [] });
    expect(rolesFromClaims(map, { groups: ['Plazos.Control'] })).toEqual({ oapla: false, control: false, areas: [] });
  });

  test('a one-string claim such as email maps a person by address (Google, whose id token has no groups)', () => {
    const map = parseRoles('claim: email\nroles:\n  jefe.planeacion@entidad.gov.co: oapla\n', 'r.yaml', AREAS);
    expect(rolesFromClaims(map, { email: 'jefe.planeacion@entidad.gov.co' }).oapla).toBe(true);
    expect(rolesFromClaims(map, { email: ['jefe.planeacion@entidad.gov.co', 7] }).oapla).toBe(true);
    expect(rolesFromClaims(map, { email: { value: 'jefe.planeacion@entidad.gov.co' } }).oapla).toBe(false);
  });

  test('an unknown role is refused naming the file, its line and the field', () => {
    expect(refusal('claim: groups\nroles:\n  a: oapla\n  b: jefe\n')).toBe(
      'config/roles.yaml, línea 4, roles.b: rol desconocido: use oapla, control-interno o area:<CÓDIGO> (p. ej. area:ARCOM).',
    );
  });

  test('an area that is not in the areas directory is refused on its line', () => {
    expect(refusal('claim: groups\nroles:\n  a: oapla\n  b:\n    - control-interno\n    - area:ZZZZ\n')).toBe(
      'config/roles.yaml, línea 6, roles.b: el área ZZZZ no está en el directorio de áreas.',
    );
  });

  test('a missing claim, a file that is not a map and broken YAML are refused with their line', () => {
    expect(refusal('roles:\n  a: oapla\n')).toMatch(/^config\/roles\.yaml, línea 1, claim: falta el nombre del claim/);
    expect(refusal('- claim\n')).toBe('config/roles.yaml, línea 1: debe ser un mapa con claim: y roles:.');
    expect(refusal('claim: groups\nroles:\n  a: oapla\n  a: control-interno\n')).toMatch(/^config\/roles\.yaml, línea 4: no es YAML válido/);
  });
});

describe('the roles file as the web app reads it (watchedRoles)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plazos-roles-'));
  const file = join(dir, 'roles.yaml');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** Written with a later modification time, as an editor saving the file a moment later would. */
  function save(text: string, secondsLater: number): void {
    writeFileSync(file, text);
    const at = new Date(Date.now() + secondsLater * 1000);
    utimesSync(file, at, at);
  }
  const groupsOf = (roles: () => ReturnType<typeof parseRoles>, group: string) => rolesFromClaims(roles(), { groups: [group] });

  test('an edit applies at the next sign-in without a restart; a broken edit keeps the last valid mapping and is reported with its line', () => {
    save('claim: groups\nroles:\n  g-arcom: area:ARCOM\n', 0);
    const errors: string[] = [];
    const roles = watchedRoles(file, AREAS, (err) => errors.push(err.message));
    expect(groupsOf(roles, 'g-asera').areas).toEqual([]);
    save('claim: groups\nroles:\n  g-arcom: area:ARCOM\n  g-asera: area:ASERA\n', 10);
    expect(groupsOf(roles, 'g-asera').areas).toEqual(['ASERA']);
    save('claim: groups\nroles:\n  g-arcom: area:ARCOM\n  g-asera: area:ASEAR\n', 20);
    expect(groupsOf(roles, 'g-asera').areas).toEqual(['ASERA']);
    expect(groupsOf(roles, 'g-asera').areas).toEqual(['ASERA']);
    // Reported once for the change, naming the file and the line of the unknown area.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${file}, línea 4`);
    expect(errors[0]).toContain('ASEAR');
    save('claim: groups\nroles:\n  g-arcom: area:ARCOM\n', 30);
    expect(groupsOf(roles, 'g-asera').areas).toEqual([]);
  });

  test('a file that does not parse at start stops the start', () => {
    save('claim: groups\nroles:\n  g: area:NOEXISTE\n', 40);
    expect(() => watchedRoles(file, AREAS, () => undefined)).toThrow(RolesFileError);
  });
});
