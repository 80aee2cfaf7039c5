/**
 * Hand-built ZIP archives for the tests that feed plazos hostile ones: zip bombs whose directory
 * may lie about what the entries expand to. Written by the ZIP specification (APPNOTE 4.3), with
 * no library, so a test controls every field.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** The entry's content; stored deflated unless `stored`. */
  data: Buffer;
  stored?: boolean;
  /** The uncompressed size written in the headers, when it should lie. */
  declaredSize?: number;
  /** An Info-ZIP Unicode Path extra field (0x7075), which most unzip tools prefer to the name. */
  unicodePath?: string;
  /** The name in the local header, when it should differ from the central directory's. */
  localName?: string;
}

function unicodePathField(name: Buffer, path: string): Buffer {
  const utf8 = Buffer.from(path, 'utf8');
  const field = Buffer.alloc(4 + 1 + 4 + utf8.length);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(1 + 4 + utf8.length, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(crc32(name), 5);
  utf8.copy(field, 9);
  return field;
}

/** General purpose flag bit 11: the names are UTF-8, as every current zip tool writes them. */
const UTF8_NAMES = 0x800;

export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const localName = Buffer.from(entry.localName ?? entry.name, 'utf8');
    const extra = entry.unicodePath === undefined ? Buffer.alloc(0) : unicodePathField(name, entry.unicodePath);
    const body = entry.stored ? entry.data : deflateRawSync(entry.data);
    const method = entry.stored ? 0 : 8;
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, localName, extra, body);
    centrals.push(central, name, extra);
    offset += local.length + localName.length + extra.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A zip bomb: one entry of `bytes` zeros (deflate shrinks them a thousandfold), declaring `declaredSize`. */
export function zipBomb(name: string, bytes: number, declaredSize?: number): Buffer {
  return buildZip([{ name, data: Buffer.alloc(bytes), declaredSize }]);
}
