/**
 * The HMAC key behind evidence links (and the web app's sessions): one file, shared by the worker,
 * which signs links in e-mails, and the web app, which checks them. Created with 32 random bytes
 * on first use so a fresh install works; keep it out of backups that others can read.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { PRIVATE_DIR_MODE } from '../../config/private-files';

/** PLAZOS_SECRET_FILE, or `<dataDir>/secret.key`. */
export function secretFilePath(env: { PLAZOS_SECRET_FILE?: string; dataDir: string }): string {
  const file = env.PLAZOS_SECRET_FILE;
  if (!file) return join(env.dataDir, 'secret.key');
  return isAbsolute(file) ? file : join(process.cwd(), file);
}

export function loadOrCreateSecret(path: string): Buffer {
  try {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length < 32) throw new Error(`La clave de ${path} es demasiado corta (mínimo 32 bytes en base64).`);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const key = randomBytes(32);
  try {
    // 'wx': if another process (worker and web start together) created it first, read theirs.
    writeFileSync(path, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSecret(path);
    throw err;
  }
}
