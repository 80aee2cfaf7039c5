/**
 * Reading a file the user named, within a size limit, for the plan importers and the areas
 * directory. The file system is asked first: a device (/dev/zero), a FIFO, a socket, or a symlink
 * to one of them is refused without being opened, and a regular file larger than the limit
 * without being read. What is read stops one byte past the limit whatever the size said (files
 * under /proc report 0), so memory stays bounded even if the file grows meanwhile.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { megabytes } from '../limits';

export type ReadRefusal =
  /** Could not be opened: a usage error (wrong path), exit 2. */
  | { kind: 'unreadable'; reason: 'missing' | 'denied' | 'folder' | 'io' }
  /** Opened or looked at, and refused: the input is not acceptable, exit 1. */
  | { kind: 'refused'; reason: 'not-a-file' | 'too-large'; size: number | null };

export type ReadResult = { ok: true; bytes: Buffer } | ({ ok: false } & ReadRefusal);

function errnoRefusal(error: unknown): ReadResult {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, kind: 'unreadable', reason: 'missing' };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, kind: 'unreadable', reason: 'denied' };
  if (code === 'EISDIR') return { ok: false, kind: 'unreadable', reason: 'folder' };
  return { ok: false, kind: 'unreadable', reason: 'io' };
}

function refusalOf(stats: Stats, maxBytes: number): ReadResult | null {
  if (stats.isDirectory()) return { ok: false, kind: 'unreadable', reason: 'folder' };
  if (!stats.isFile()) return { ok: false, kind: 'refused', reason: 'not-a-file', size: null };
  if (stats.size > maxBytes) return { ok: false, kind: 'refused', reason: 'too-large', size: stats.size };
  return null;
}

/** The file's bytes, or why they were not read. Never throws for a bad path or file. */
export function readBoundedFile(path: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    const before = refusalOf(statSync(path), maxBytes);
    if (before) return before;
    // O_NONBLOCK: if the path became a FIFO since the stat, opening it must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return errnoRefusal(error);
  }
  try {
    const after = refusalOf(fstatSync(fd), maxBytes);
    if (after) return after;
    // Sized from the stat, grown (doubling, up to the limit) if the file holds more than it said.
    let buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(fstatSync(fd).size + 1, 64 * 1024)));
    let used = 0;
    for (;;) {
      if (used === buffer.length) {
        if (used > maxBytes) return { ok: false, kind: 'refused', reason: 'too-large', size: null };
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(bigger);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, used, buffer.length - used, null);
      if (n === 0) return { ok: true, bytes: buffer.subarray(0, used) };
      used += n;
    }
  } catch (error) {
    return errnoRefusal(error);
  } finally {
    closeSync(fd);
  }
}

/** Why the file was not read, in a planner's words, to follow `No se pudo leer "FILE": `. */
export function refusalMessage(refusal: ReadRefusal, maxBytes: number): string {
  switch (refusal.reason) {
    case 'missing':
      return 'el archivo no existe';
    case 'denied':
      return 'no hay permiso para leerlo';
    case 'folder':
      return 'es una carpeta, no un archivo';
    case 'io':
      return 'error de lectura';
    case 'not-a-file':
      return `no es un archivo común sino un dispositivo, una tubería o un enlace a uno de ellos: plazos solo lee archivos`;
    case 'too-large': {
      // Just past the limit, both would round to the same figure.
      const size = refusal.size === null || megabytes(refusal.size) === megabytes(maxBytes) ? `más de ${megabytes(maxBytes)}` : megabytes(refusal.size);
      return `pesa ${size} y el máximo es ${megabytes(maxBytes)}`;
    }
  }
}
