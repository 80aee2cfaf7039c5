/**
 * The dashboard's users file is read again when it changes: an OAPLA user added with
 * `plazos web hash-password` signs in without restarting the web app, and a file broken while
 * being edited keeps the users it had.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, verifyPassword, watchedUsers } from '../../web/users';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'plazos-users-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the file with a modification time of its own, as a later edit would have. */
function write(file: string, text: string, second: number): void {
  writeFileSync(file, text);
  utimesSync(file, second, second);
}

it('sees a user added to the file while it runs, and stops seeing one removed', () => {
  const file = join(dir, 'oapla-users.yaml');
  write(file, `users:\n  - username: planeacion\n    hash: ${hashPassword('clave-uno')}\n`, 1_000);
  const errors: Error[] = [];
  const users = watchedUsers([file], (e) => errors.push(e));
  expect(verifyPassword(users, 'planeacion', 'clave-uno')).toBe(true);
  expect(verifyPassword(users, 'control', 'clave-dos')).toBe(false);

  write(
    file,
    `users:\n  - username: planeacion\n    hash: ${hashPassword('clave-uno')}\n  - username: control\n    hash: ${hashPassword('clave-dos')}\n`,
    2_000,
  );
  expect(verifyPassword(users, 'control', 'clave-dos')).toBe(true);

  write(file, `users:\n  - username: control\n    hash: ${hashPassword('clave-dos')}\n`, 3_000);
  expect(verifyPassword(users, 'planeacion', 'clave-uno')).toBe(false);
  expect(errors).toEqual([]);
});

it('keeps the users it had when the file is broken mid-edit, and says why', () => {
  const file = join(dir, 'oapla-users.yaml');
  write(file, `users:\n  - username: planeacion\n    hash: ${hashPassword('clave-uno')}\n`, 1_000);
  const errors: Error[] = [];
  const users = watchedUsers([file], (e) => errors.push(e));
  expect(verifyPassword(users, 'planeacion', 'clave-uno')).toBe(true);
  write(file, 'users:\n  - username: planeacion\n    hash: a-medio-escribir\n', 2_000);
  expect(verifyPassword(users, 'planeacion', 'clave-uno')).toBe(true);
  expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('hash inválido')]);
});

it('reads several files, as plazos up --demo adds the demo sign-in to the entity users', () => {
  const entity = join(dir, 'oapla-users.yaml');
  const demo = join(dir, 'demo-oapla-users.yaml');
  write(demo, `users:\n  - username: demo\n    hash: ${hashPassword('demo-clave')}\n`, 1_000);
  const users = watchedUsers([entity, demo]);
  expect(verifyPassword(users, 'demo', 'demo-clave')).toBe(true);
});
