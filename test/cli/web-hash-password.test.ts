/** `plazos web hash-password`: the password from standard input, a hash the web app accepts. */
import { spawnSync } from 'node:child_process';
import { parseUsers, verifyPassword } from '../../web/users';
import { BIN, cliEnv, REPO } from './helpers';

function hashPassword(input: string, args: string[] = []) {
  const r = spawnSync(process.execPath, [BIN, 'web', 'hash-password', ...args], { cwd: REPO, env: cliEnv(), input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('plazos web hash-password', () => {
  it('prints an scrypt hash of the piped password that signs that user in, and only with that password', () => {
    const run = hashPassword('clave-de-planeacion\n');
    expect(run.status).toBe(0);
    const hash = run.stdout.trim();
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const users = new Map([['planeacion', hash]]);
    expect(verifyPassword(users, 'planeacion', 'clave-de-planeacion')).toBe(true);
    expect(verifyPassword(users, 'planeacion', 'clave-de-planeacion\n')).toBe(false);
  });

  it('with --user prints the entry to paste into config/oapla-users.yaml', () => {
    const run = hashPassword('otra-clave-segura', ['--user', 'ana.planeacion']);
    expect(run.status).toBe(0);
    const users = parseUsers(`users:\n${run.stdout}`, 'oapla-users.yaml');
    expect([...users.keys()]).toEqual(['ana.planeacion']);
    expect(verifyPassword(users, 'ana.planeacion', 'otra-clave-segura')).toBe(true);
  });

  it('refuses a password shorter than 8 characters with a Spanish message and exit 2, printing no hash', () => {
    const run = hashPassword('corta\n');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('La contraseña debe tener al menos 8 caracteres.');
  });

  it('refuses a user name the users file would refuse, before reading any password', () => {
    const run = hashPassword('clave-de-planeacion', ['--user', 'Ana María']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usuario inválido "Ana María"');
  });
});
