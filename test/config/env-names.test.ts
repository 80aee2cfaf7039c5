/**
 * Every environment variable plazos's code reads is declared in EnvSchema (config/schema.ts), where
 * it is validated and documented (the README's tables are checked against it, test/docs). A name
 * read anywhere else would escape both.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../config/paths';
import { EnvSchema } from '../../config/schema';

const SOURCE = ['activities', 'calendar', 'cli', 'client', 'config', 'mailbox', 'plans', 'store', 'web', 'workers', 'workflows'];
/** The system's own, read for what they mean to every program. */
const SYSTEM = new Set(['PATH', 'HOME', 'TMPDIR', 'NODE_ENV']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

it('the code reads no environment variable EnvSchema does not declare', () => {
  const read = new Map<string, string>();
  for (const file of SOURCE.flatMap((d) => files(join(REPO_ROOT, d)))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g))
      read.set(m[1] ?? m[2]!, file.slice(REPO_ROOT.length + 1));
  }
  expect(read.size).toBeGreaterThan(30);
  const declared = new Set(Object.keys(EnvSchema.shape));
  expect([...read].filter(([name]) => !declared.has(name) && !SYSTEM.has(name))).toEqual([]);
});
