/**
 * Everything plazos keeps on disk is for the plazos user alone: evidence people handed in, the
 * Temporal history (names, notes, evidence links), the demo inbox's mail (live evidence links),
 * cut reports. Folders are 0700 and files 0600.
 *
 * Our own code passes those modes where it creates a file, but the Temporal dev server writes its
 * SQLite database and maildev its .eml files with the modes they choose (0644 under the usual
 * umask 022). A process's umask is inherited by the children it spawns, so setting it once where a
 * command starts reaches them too; and the data directory is chmodded 0700 at every start, which
 * closes what an older version left readable inside it (a file is out of reach when its folder
 * cannot be entered).
 */
import { chmodSync, mkdirSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** No group or other bits on anything created from here on, by this process or its children. */
export const PRIVATE_UMASK = 0o077;

/** Sets the process's umask to PRIVATE_UMASK (main thread only: a worker thread cannot). */
export function usePrivateUmask(): void {
  process.umask(PRIVATE_UMASK);
}

/** Creates the folder (and missing parents) 0700, and tightens it to 0700 if it was there already. */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(path, PRIVATE_DIR_MODE);
}
