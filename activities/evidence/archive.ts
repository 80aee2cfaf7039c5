/**
 * What a ZIP archive (a .zip, and the .docx, .xlsx, .pptx, .odt and .ods built on it) expands to,
 * found by inflating every entry and counting, never keeping what comes out. A zip bomb declares
 * small sizes in its directory and expands to gigabytes; here inflation stops one byte past the
 * limit, whatever the directory says. Used by the web form before an evidence file is stored and
 * by the XLSX plan importer before exceljs unzips a workbook into memory.
 */
import { createInflateRaw } from 'node:zlib';

export interface ArchiveLimits {
  /** Bytes all entries may expand to together. */
  maxExpandedBytes: number;
  maxEntries: number;
}

export type ArchiveCheck =
  { ok: true; entries: number; expandedBytes: number } | { ok: false; reason: 'not-zip' | 'too-many-entries' | 'too-large' | 'unsupported' | 'corrupt' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry {
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** The end-of-central-directory record: within the last 64 KiB + 22 bytes (its comment's room). */
function findEndRecord(bytes: Buffer): number {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (bytes.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}

function readDirectory(bytes: Buffer, limits: ArchiveLimits): Entry[] | Exclude<ArchiveCheck, { ok: true }> {
  const end = findEndRecord(bytes);
  if (end < 0) return { ok: false, reason: 'not-zip' };
  const count = bytes.readUInt16LE(end + 10);
  const offset = bytes.readUInt32LE(end + 16);
  // ZIP64 marks its real numbers elsewhere; no office file or evidence within our size limits needs it.
  if (count === 0xffff || offset === 0xffffffff) return { ok: false, reason: 'unsupported' };
  if (count > limits.maxEntries) return { ok: false, reason: 'too-many-entries' };
  const entries: Entry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) return { ok: false, reason: 'corrupt' };
    entries.push({
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      uncompressedSize: bytes.readUInt32LE(at + 24),
      localOffset: bytes.readUInt32LE(at + 42),
    });
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

/** Bytes the deflated data expands to, or 'over' once past `limit` (inflation stops there). */
function inflatedSize(data: Buffer, limit: number): Promise<number | 'over' | 'corrupt'> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let size = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflate.destroy();
        resolve('over');
      }
    });
    inflate.on('end', () => resolve(size));
    inflate.on('error', () => resolve('corrupt'));
    inflate.end(data);
  });
}

/** Checks what the archive expands to; the bytes are those of the whole file. */
export async function checkArchive(input: Uint8Array, limits: ArchiveLimits): Promise<ArchiveCheck> {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const entries = readDirectory(bytes, limits);
  if (!Array.isArray(entries)) return entries;
  let expanded = 0;
  for (const entry of entries) {
    // The declared sizes are only a first, cheap refusal: the inflation below is what counts.
    if (expanded + entry.uncompressedSize > limits.maxExpandedBytes) return { ok: false, reason: 'too-large' };
    const at = entry.localOffset;
    if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL) return { ok: false, reason: 'corrupt' };
    const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (data.length < entry.compressedSize) return { ok: false, reason: 'corrupt' };
    if (entry.method === 0) {
      expanded += data.length;
    } else if (entry.method === 8) {
      const size = await inflatedSize(data, limits.maxExpandedBytes - expanded);
      if (size === 'over') return { ok: false, reason: 'too-large' };
      if (size === 'corrupt') return { ok: false, reason: 'corrupt' };
      expanded += size;
    } else return { ok: false, reason: 'unsupported' };
    if (expanded > limits.maxExpandedBytes) return { ok: false, reason: 'too-large' };
  }
  return { ok: true, entries: entries.length, expandedBytes: expanded };
}
