/**
 * The demo's OAPLA sign-in for `plazos up --demo`: a user of the dashboard written into a users file
 * the web app reads beside PLAZOS_OAPLA_USERS. Here rather than in client/demo.ts because it writes
 * a web users file, and the client sits below web/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../web/users';

/** The demo's OAPLA sign-in: made once, kept in the data directory (demo only: the password is kept in clear). */
export interface DemoSignIn {
  username: string;
  password: string;
  usersFile: string;
}

export function demoSignIn(dataDir: string): DemoSignIn {
  const credentials = join(dataDir, 'demo-oapla.json');
  const usersFile = join(dataDir, 'demo-oapla-users.yaml');
  if (existsSync(credentials) && existsSync(usersFile)) {
    const kept = JSON.parse(readFileSync(credentials, 'utf8')) as { username: string; password: string };
    return { ...kept, usersFile };
  }
  const username = 'demo';
  const password = randomBytes(12).toString('base64url');
  writeFileSync(usersFile, `users:\n  - username: ${username}\n    hash: ${hashPassword(password)}\n`, { mode: 0o600 });
  writeFileSync(credentials, `${JSON.stringify({ username, password })}\n`, { mode: 0o600 });
  return { username, password, usersFile };
}
