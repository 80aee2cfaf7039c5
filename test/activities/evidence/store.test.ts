import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { createEvidenceStore, EvidenceTooLargeError, type EvidenceStore } from '../../../activities/evidence';
import { BlobCorruptError, createLocalBlobStore } from '../../../store/blobs';

const ACTA = Buffer.from('%PDF-1.4\nActa de la audiencia pública de rendición de cuentas 2023\n%%EOF\n');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file under a folder, relative to it, so a test can see exactly what was left on disk. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

let dataDir: string;
let blobDir: string;
let store: EvidenceStore;

/** Where the local engine keeps a blob: what a disk fault or an intruder would change. */
const blobPath = (sha: string) => join(blobDir, sha.slice(0, 2), sha.slice(2));

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'plazos-evidence-'));
  blobDir = join(dataDir, 'blobs');
  store = createEvidenceStore(createLocalBlobStore({ dir: blobDir, logger: pino({ level: 'silent' }) }));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the evidence store', () => {
  it('keeps an upload in the blob store by its sha256 and finds it again', async () => {
    const stored = await store.put(ACTA, { maxBytes: 1024 });
    const expected = sha256(ACTA);
    expect(stored).toEqual({ sha256: expected, size: ACTA.length });
    expect(await store.has(expected)).toBe(true);
    expect(await readFile(blobPath(expected))).toEqual(ACTA);
    expect(await store.verify(expected)).toEqual({ found: true, matches: true, actualSha256: expected, size: ACTA.length });
  });

  it('hashes a streamed upload the same as the whole file, and opens it for reading', async () => {
    const chunks = [ACTA.subarray(0, 10), ACTA.subarray(10, 40), ACTA.subarray(40)];
    const stored = await store.put(Readable.from(chunks), { maxBytes: 1024 });
    expect(stored.sha256).toBe(sha256(ACTA));
    const stream = await store.open(stored.sha256);
    const read: Buffer[] = [];
    for await (const chunk of stream ?? []) read.push(chunk as Buffer);
    expect(Buffer.concat(read)).toEqual(ACTA);
  });

  it('stores identical content once, with no temporary file left behind', async () => {
    const first = await store.put(ACTA, { maxBytes: 1024 });
    const second = await store.put(Readable.from([ACTA]), { maxBytes: 1024 });
    expect(second).toEqual(first);
    expect(await filesUnder(blobDir)).toEqual([join(first.sha256.slice(0, 2), first.sha256.slice(2))]);
  });

  it('refuses an upload over the limit with a Spanish message and keeps nothing of it', async () => {
    const big = Buffer.alloc(64 * 1024, 0x41);
    const chunks = Array.from({ length: 8 }, (_, i) => big.subarray(i * 8192, (i + 1) * 8192));
    const upload = store.put(Readable.from(chunks), { maxBytes: 20_000 });
    await expect(upload).rejects.toBeInstanceOf(EvidenceTooLargeError);
    await expect(upload).rejects.toThrow(/supera el tamaño máximo/);
    expect(await store.has(sha256(big))).toBe(false);
    expect(await filesUnder(blobDir)).toEqual([]);
  });

  it('accepts an upload of exactly the limit', async () => {
    const stored = await store.put(ACTA, { maxBytes: ACTA.length });
    expect(stored.size).toBe(ACTA.length);
  });

  it('notices a stored file that was changed afterwards, and will not hand it out', async () => {
    const { sha256: hash } = await store.put(ACTA, { maxBytes: 1024 });
    const tampered = Buffer.from(ACTA);
    tampered[20] = 0x58;
    await writeFile(blobPath(hash), tampered);
    expect(await store.verify(hash)).toEqual({ found: true, matches: false, actualSha256: sha256(tampered), size: ACTA.length });
    await expect(store.open(hash)).rejects.toBeInstanceOf(BlobCorruptError);
  });

  it('repairs a damaged copy when the same content is uploaded again', async () => {
    const { sha256: hash } = await store.put(ACTA, { maxBytes: 1024 });
    await writeFile(blobPath(hash), 'dañado');
    await store.put(ACTA, { maxBytes: 1024 });
    expect(await store.verify(hash)).toMatchObject({ found: true, matches: true });
  });

  it('answers "not found" for content never uploaded', async () => {
    const hash = sha256(Buffer.from('nunca cargado'));
    expect(await store.has(hash)).toBe(false);
    expect(await store.open(hash)).toBeNull();
    expect(await store.verify(hash)).toEqual({ found: false });
  });

  it.each(['../../etc/passwd', 'ABC', sha256(ACTA).toUpperCase(), `${sha256(ACTA)}/..`])(
    'refuses %s as a hash, so no path outside the store can be named',
    async (bad) => {
      await expect(store.has(bad)).rejects.toThrow(TypeError);
      await expect(store.open(bad)).rejects.toThrow(TypeError);
      await expect(store.verify(bad)).rejects.toThrow(TypeError);
    },
  );
});
