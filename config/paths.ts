/** Paths that hold whether plazos runs from its sources (ts-jest) or from dist/ (the CLI). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config', 'tools.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`plazos: no repository root above ${from}`);
  }
}

export const REPO_ROOT = findRoot(__dirname);
