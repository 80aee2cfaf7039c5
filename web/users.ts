/**
 * OAPLA users of the dashboard: a YAML file of usernames and scrypt hashes, read again whenever it
 * changes, so a user added with `plazos web hash-password` can sign in without a restart.
 *
 *   users:
 *     - username: planeacion
 *       hash: scrypt$16384$8$1$<salt base64>$<key base64>
 *
 * Make a hash with `plazos web hash-password --user NAME` (reads the password from standard input).
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const UsersFileSchema = z.object({
  users: z.array(
    z.object({
      username: z.string().regex(/^[a-z0-9._-]{2,64}$/, { message: 'usuario inválido (minúsculas, números, . _ -)' }),
      hash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, { message: 'hash inválido: genérelo con plazos web hash-password' }),
    }),
  ),
});

/** Username to scrypt hash; all the sign-in needs is to look one up. */
export type Users = Pick<ReadonlyMap<string, string>, 'get'>;

export function parseUsers(text: string, file: string): ReadonlyMap<string, string> {
  const parsed = UsersFileSchema.safeParse(parse(text) ?? { users: [] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return new Map(parsed.data.users.map((u) => [u.username, u.hash]));
}

/** A missing file means no one can sign in yet (the evidence links still work). */
export function loadUsers(file: string): ReadonlyMap<string, string> {
  if (!existsSync(file)) return new Map();
  return parseUsers(readFileSync(file, 'utf8'), file);
}

/**
 * The users of one or more files, each read again when its size or modification time changes (a
 * stat per sign-in attempt). A file that stops parsing keeps the users it had, and `onError` says
 * why, so a typo while editing it locks nobody out.
 */
export function watchedUsers(files: readonly string[], onError: (err: Error) => void = () => undefined): Users {
  const seen = new Map<string, { stamp: string; users: ReadonlyMap<string, string> }>();
  const current = (file: string): ReadonlyMap<string, string> => {
    let stamp = 'missing';
    try {
      const st = statSync(file);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      // a missing file has no users
    }
    const known = seen.get(file);
    if (known?.stamp === stamp) return known.users;
    try {
      const users = stamp === 'missing' ? new Map<string, string>() : loadUsers(file);
      seen.set(file, { stamp, users });
      return users;
    } catch (err) {
      onError(err as Error);
      return known?.users ?? new Map();
    }
  };
  return {
    get: (username) =>
      files
        .map(current)
        .find((users) => users.has(username))
        ?.get(username),
  };
}

/** A short hash of a stored password hash: a session opened under another password no longer matches. */
export function userStamp(hash: string): string {
  return createHash('sha256').update(hash).digest('hex').slice(0, 16);
}

const N = 16384;
const R = 8;
const P = 1;

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const key = scryptSync(password, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

// Checked against a fixed hash when the user is unknown, so timing does not tell which users exist.
const DUMMY = hashPassword('x', Buffer.alloc(16));

export function verifyPassword(users: Users, username: string, password: string): boolean {
  const stored = users.get(username);
  const [, n, r, p, salt, key] = (stored ?? DUMMY).split('$');
  const expected = Buffer.from(key ?? '', 'base64');
  const actual = scryptSync(password, Buffer.from(salt ?? '', 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected) && stored !== undefined;
}
