/**
 * `plazos calendar feed create|list|revoke` as an operator runs it (the compiled CLI, a data
 * directory of its own): the URL printed once, the store that the web app reads finding its token,
 * and a revoked feed found no more.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRecords } from '../helpers/records';
import { plazos, plazosJson } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'plazos-feeds-'));
const ENV = { PLAZOS_DATA_DIR: dir, PLAZOS_WEB_URL: 'https://plazos.entidad.gov.co/' };

afterAll(async () => {
  await testRecords(dir).close();
  rmSync(dir, { recursive: true, force: true });
});

interface Created {
  id: string;
  scope: string;
  url: string;
  webcal: string;
  revokedAt: string | null;
}

test('create prints the https and webcal addresses once; the web app finds the feed by the token in them', async () => {
  const run = plazos(['calendar', 'feed', 'create', '--area', 'ARCOM'], ENV);
  expect(run.status).toBe(0);
  const [, https, webcal] = run.stdout.split('\n');
  expect(run.stdout).toMatch(/^Calendario [0-9a-f]{8} creado para ARCOM:/);
  expect(https).toMatch(/^ {2}https:\/\/plazos\.entidad\.gov\.co\/calendario\/[A-Za-z0-9_-]{43}\.ics$/);
  expect(webcal!.trim()).toBe(https!.trim().replace('https://', 'webcal://'));
  expect(run.stdout).toContain('no puede volver a mostrarla');
  const token = /calendario\/([^.]+)\.ics/.exec(https!)![1]!;
  await expect(testRecords(dir).calendarFeeds.find(token)).resolves.toMatchObject({ scope: 'ARCOM' });
});

test('list shows every feed without its address; revoke ends one, and a second revoke says there is none (exit 1)', async () => {
  const { json: all } = plazosJson<Created>(['calendar', 'feed', 'create', '--area', 'all', '--json'], ENV);
  expect(all.scope).toBe('all');
  const token = /calendario\/([^.]+)\.ics/.exec(all.url)![1]!;

  const listed = plazos(['calendar', 'feed', 'list'], ENV);
  expect(listed.stdout).toMatch(new RegExp(`^${all.id} {2}todos los planes {2}creado \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} {2}activo$`, 'm'));
  expect(listed.stdout).not.toContain('calendario/');

  const revoked = plazos(['calendar', 'feed', 'revoke', all.id], ENV);
  expect([revoked.status, revoked.stdout]).toEqual([0, `Calendario ${all.id} revocado: su dirección ya no responde.\n`]);
  await expect(testRecords(dir).calendarFeeds.find(token)).resolves.toBeNull();
  const again = plazosJson<{ revoked: boolean }>(['calendar', 'feed', 'revoke', all.id, '--json'], ENV);
  expect([again.status, again.json.revoked]).toEqual([1, false]);
  const { json: feeds } = plazosJson<Created[]>(['calendar', 'feed', 'list', '--json'], ENV);
  expect(feeds.find((f) => f.id === all.id)?.revokedAt).toEqual(expect.any(String));
});

test('an area code that is not one is a usage error (exit 2), in Spanish', () => {
  const run = plazos(['calendar', 'feed', 'create', '--area', 'arcom'], ENV);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^Uso incorrecto: --area "arcom": se espera un código de área en mayúsculas/);
});

test('an area the directory does not have is refused (exit 1), naming it and the known ones; nothing is created', async () => {
  const before = (await testRecords(dir).calendarFeeds.list()).length;
  const run = plazos(['calendar', 'feed', 'create', '--area', 'ARCOMM'], ENV);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('El área ARCOMM no está en el directorio de áreas');
  expect(run.stderr).toContain('las áreas conocidas son ARACF, ARCOM, ARVIV, ASERA, OAPLA, OCI, o all para todos los planes.');
  expect(run.stdout).toBe('');
  await expect(testRecords(dir).calendarFeeds.list()).resolves.toHaveLength(before);
});

test('the directory is the one the other commands read: --areas, else PLAZOS_AREAS; an unreadable one is a usage error (exit 2)', () => {
  const areas = join(dir, 'areas.yaml');
  writeFileSync(areas, 'ARNUE:\n  name: Área Nueva\n  email: [nueva@entidad.gov.co]\n  cc: []\n');
  expect(plazos(['calendar', 'feed', 'create', '--area', 'ARNUE', '--areas', areas], ENV).status).toBe(0);
  expect(plazos(['calendar', 'feed', 'create', '--area', 'ARNUE'], { ...ENV, PLAZOS_AREAS: areas }).status).toBe(0);
  const other = plazos(['calendar', 'feed', 'create', '--area', 'ARCOM'], { ...ENV, PLAZOS_AREAS: areas });
  expect(other.status).toBe(1);
  expect(other.stderr).toContain('las áreas conocidas son ARNUE, o all');
  const missing = plazos(['calendar', 'feed', 'create', '--area', 'ARCOM', '--areas', join(dir, 'no-existe.yaml')], ENV);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain('no existe');
  // all needs no directory.
  expect(plazos(['calendar', 'feed', 'create', '--area', 'all', '--areas', join(dir, 'no-existe.yaml')], ENV).status).toBe(0);
});
