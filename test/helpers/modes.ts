/** Permission bits of what plazos leaves on disk, for the tests that check no one else can read it. */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every path under `root`, the root included, with its permission bits. */
export function modesUnder(root: string): { path: string; mode: number }[] {
  const found = [{ path: root, mode: lstatSync(root).mode & 0o777 }];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (lstatSync(path).isDirectory()) found.push(...modesUnder(path));
    else found.push({ path, mode: lstatSync(path).mode & 0o777 });
  }
  return found;
}

/** The entries that someone other than the owner could read, write or enter, shown in octal. */
export function openToOthers(root: string): string[] {
  return modesUnder(root)
    .filter((e) => (e.mode & 0o077) !== 0)
    .map((e) => `${e.path.slice(root.length) || '/'} ${e.mode.toString(8)}`);
}
