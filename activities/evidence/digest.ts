/**
 * One streaming pass over a file: its sha256, its size and its first bytes, without holding the
 * file in memory. Shared by the store (verify) and the file check (hash, size and type at once).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface Digest {
  sha256: string;
  size: number;
  /** The first `headBytes` bytes (fewer if the file is shorter). */
  head: Buffer;
  /** Reading stopped because the file grew past `maxBytes`; `sha256` is then meaningless. */
  overLimit: boolean;
}

export interface DigestOptions {
  headBytes?: number;
  /** Stop reading once the file exceeds this, so a huge file costs no more than the limit. */
  maxBytes?: number;
}

export async function digestStream(stream: Readable, options: DigestOptions = {}): Promise<Digest> {
  const headBytes = options.headBytes ?? 0;
  const hash = createHash('sha256');
  const headParts: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (options.maxBytes !== undefined && size > options.maxBytes) {
      stream.destroy();
      return { sha256: '', size, head: Buffer.concat(headParts), overLimit: true };
    }
    hash.update(buf);
    if (headLength < headBytes) {
      const part = buf.subarray(0, headBytes - headLength);
      headParts.push(part);
      headLength += part.length;
    }
  }
  return { sha256: hash.digest('hex'), size, head: Buffer.concat(headParts), overLimit: false };
}
