/**
 * One contract, two engines: the local directory and S3, the latter against a real S3 server
 * (versitygw, simulation/s3.ts) started once for the file. Each test gets an empty store (a new
 * directory, or a new key prefix in the bucket) and a pino logger whose lines it can read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pino from 'pino';
import { REPO_ROOT } from '../../config/paths';
import { ConfigError, parseEnv } from '../../config/schema';
import { freePort } from '../../simulation/ports';
import { startS3Server, type S3Server } from '../../simulation/s3';
import { BlobCorruptError, BlobTooLargeError, createLocalBlobStore, openBlobStore, type BlobStore } from '../../store/blobs';
import { createS3BlobStore } from '../../store/blobs/s3';
import { openStores } from '../../store/open';

const ACTA = Buffer.from('%PDF-1.4\nActa de la audiencia pública de rendición de cuentas 2023\n%%EOF\n');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function collect(stream: Readable | null): Promise<Buffer | null> {
  if (!stream) return null;
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function keys(store: BlobStore): Promise<string[]> {
  const all: string[] = [];
  for await (const key of store.list()) all.push(key);
  return all.sort();
}

/** Every file under a folder, relative to it: temp files included. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

interface Engine {
  store: BlobStore;
  /** Puts other bytes under a key behind the store's back, as a disk fault or an intruder would. */
  tamper(sha256: string, bytes: Buffer): Promise<void>;
  /** Everything the engine holds, temp files included: the objects or files, and the spool. */
  everything(): Promise<string[]>;
  close(): Promise<void>;
}

let server: S3Server;
let raw: S3Client;
let logLines: string[];
const logger = () => pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });

async function localEngine(): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), 'plazos-blobs-'));
  const store = createLocalBlobStore({ dir, logger: logger() });
  return {
    store,
    tamper: (key, bytes) => writeFile(join(dir, key.slice(0, 2), key.slice(2)), bytes),
    everything: () => filesUnder(dir),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function s3Engine(): Promise<Engine> {
  const spoolDir = await mkdtemp(join(tmpdir(), 'plazos-blobs-spool-'));
  const prefix = `prueba-${randomBytes(4).toString('hex')}/`;
  const secretAccessKey = (await readFile(server.secretFile, 'utf8')).trim();
  const store = createS3BlobStore({
    bucket: server.bucket,
    prefix,
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey },
    spoolDir,
    logger: logger(),
  });
  return {
    store,
    tamper: async (key, bytes) => {
      await raw.send(new PutObjectCommand({ Bucket: server.bucket, Key: `${prefix}${key.slice(0, 2)}/${key.slice(2)}`, Body: bytes }));
    },
    everything: async () => {
      const listed = await raw.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix }));
      const objects = (listed.Contents ?? []).map((o) => o.Key ?? '');
      return [...objects, ...(await filesUnder(spoolDir)).map((f) => `spool/${f}`)].sort();
    },
    close: async () => {
      store.destroy();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

beforeAll(async () => {
  server = await startS3Server();
  raw = server.client();
});

afterAll(async () => {
  await server?.stop();
});

describe.each([
  ['a local directory', localEngine],
  ['an S3 bucket (versitygw)', s3Engine],
])('the blob store on %s', (_name, makeEngine) => {
  let engine: Engine;
  let store: BlobStore;

  beforeEach(async () => {
    logLines = [];
    engine = await makeEngine();
    store = engine.store;
  });

  afterEach(async () => {
    await engine.close();
  });

  it('gives back the bytes it was given, by their sha256', async () => {
    const stored = await store.put(ACTA, { maxBytes: 1024 });
    expect(stored).toEqual({ sha256: sha256(ACTA), size: ACTA.length });
    expect(await store.has(stored.sha256)).toBe(true);
    expect(await store.read(stored.sha256, { maxBytes: 1024 })).toEqual(ACTA);
    expect(await collect(await store.open(stored.sha256))).toEqual(ACTA);
    expect(await store.verify(stored.sha256)).toEqual({ found: true, matches: true, actualSha256: stored.sha256, size: ACTA.length });
    // The one blob, and no copy left behind by the reads.
    expect(await engine.everything()).toHaveLength(1);
  });

  it('hashes a streamed upload of several megabytes as it goes, and streams it back whole', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 17);
    const chunks = Array.from({ length: 50 }, (_, i) => content.subarray(Math.floor((i * content.length) / 50), Math.floor(((i + 1) * content.length) / 50)));
    const stored = await store.put(Readable.from(chunks), { maxBytes: 4 * 1024 * 1024 });
    expect(stored).toEqual({ sha256: sha256(content), size: content.length });
    const back = await collect(await store.open(stored.sha256));
    expect(back?.equals(content)).toBe(true);
  });

  it('stores the same content once, however often it is put', async () => {
    const first = await store.put(ACTA, { maxBytes: 1024 });
    const second = await store.put(Readable.from([ACTA.subarray(0, 5), ACTA.subarray(5)]), { maxBytes: 1024 });
    expect(second).toEqual(first);
    expect(await keys(store)).toEqual([first.sha256]);
    expect(await engine.everything()).toHaveLength(1);
  });

  it('refuses content over the limit and keeps nothing of it, not even a temp file', async () => {
    const kept = await store.put(ACTA, { maxBytes: 1024 });
    const before = await engine.everything();
    const big = randomBytes(64 * 1024);
    const chunks = Array.from({ length: 8 }, (_, i) => big.subarray(i * 8192, (i + 1) * 8192));
    const upload = store.put(Readable.from(chunks), { maxBytes: 20_000 });
    await expect(upload).rejects.toBeInstanceOf(BlobTooLargeError);
    await expect(store.put(big, { maxBytes: 20_000 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(await store.has(sha256(big))).toBe(false);
    expect(await keys(store)).toEqual([kept.sha256]);
    expect(await engine.everything()).toEqual(before);
  });

  it('accepts content of exactly the limit', async () => {
    expect((await store.put(ACTA, { maxBytes: ACTA.length })).size).toBe(ACTA.length);
  });

  it('refuses to read into memory a blob larger than the caller allows', async () => {
    const stored = await store.put(ACTA, { maxBytes: 1024 });
    await expect(store.read(stored.sha256, { maxBytes: ACTA.length - 1 })).rejects.toBeInstanceOf(BlobTooLargeError);
  });

  it.each([
    ['a path', '../../etc/passwd'],
    ['a path that ends in a real key', `../../${sha256(ACTA)}`],
    ['uppercase hex', sha256(ACTA).toUpperCase()],
    ['a short key', 'abc123'],
    ['a key with a slash', `${sha256(ACTA).slice(0, 2)}/${sha256(ACTA).slice(2)}`],
  ])('refuses %s as a key, since a key becomes a path or an object name', async (_what, bad) => {
    await store.put(ACTA, { maxBytes: 1024 });
    await expect(store.has(bad)).rejects.toThrow(TypeError);
    await expect(store.open(bad)).rejects.toThrow(TypeError);
    await expect(store.read(bad, { maxBytes: 1024 })).rejects.toThrow(TypeError);
    await expect(store.verify(bad)).rejects.toThrow(TypeError);
  });

  it('refuses to serve a blob changed behind its back, logs its key, and verify() reports it', async () => {
    const { sha256: key } = await store.put(ACTA, { maxBytes: 1024 });
    const tampered = Buffer.from(ACTA);
    tampered[20] = 0x58;
    await engine.tamper(key, tampered);

    await expect(store.open(key)).rejects.toBeInstanceOf(BlobCorruptError);
    await expect(store.read(key, { maxBytes: 1024 })).rejects.toMatchObject({ name: 'BlobCorruptError', sha256: key, actualSha256: sha256(tampered) });
    const logged = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.sha256 === key);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ level: 50, sha256: key, actualSha256: sha256(tampered), msg: expect.stringContaining('corrupt') });
    expect(await store.verify(key)).toEqual({ found: true, matches: false, actualSha256: sha256(tampered), size: tampered.length });
    // Still there (it is evidence of what happened), just never served.
    expect(await store.has(key)).toBe(true);
  });

  it('refuses a blob truncated behind its back', async () => {
    const { sha256: key } = await store.put(ACTA, { maxBytes: 1024 });
    await engine.tamper(key, Buffer.alloc(0));
    await expect(store.open(key)).rejects.toBeInstanceOf(BlobCorruptError);
  });

  it('repairs a damaged blob when the same content is put again', async () => {
    const { sha256: key } = await store.put(ACTA, { maxBytes: 1024 });
    await engine.tamper(key, Buffer.from('dañado'));
    await store.put(ACTA, { maxBytes: 1024 });
    expect(await store.verify(key)).toMatchObject({ found: true, matches: true });
    expect(await collect(await store.open(key))).toEqual(ACTA);
  });

  it('lists every key that was put, and nothing else', async () => {
    const contents = [ACTA, Buffer.from('informe de gestión'), randomBytes(2000)];
    for (const c of contents) await store.put(c, { maxBytes: 4096 });
    expect(await keys(store)).toEqual(contents.map(sha256).sort());
  });

  it('answers "absent" for content never put', async () => {
    const key = sha256(Buffer.from('nunca cargado'));
    expect(await store.has(key)).toBe(false);
    expect(await store.open(key)).toBeNull();
    expect(await store.read(key, { maxBytes: 1024 })).toBeNull();
    expect(await store.verify(key)).toEqual({ found: false });
    expect(await keys(store)).toEqual([]);
  });

  it('describes itself in one line without its credentials', async () => {
    const secret = (await readFile(server.secretFile, 'utf8')).trim();
    const description = store.describe();
    expect(description).not.toContain('\n');
    expect(description).not.toContain(secret);
    expect(description).toMatch(/^(directorio \/|s3:\/\/evidencias\/prueba-[0-9a-f]{8} en http:\/\/127\.0\.0\.1:\d+$)/);
  });
});

describe('what only one engine can show', () => {
  it('keeps local blobs readable by the plazos user only: files 0600, folders 0700', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plazos-blobs-'));
    try {
      const store = createLocalBlobStore({ dir: join(dir, 'blobs'), logger: pino({ level: 'silent' }) });
      const { sha256: key } = await store.put(ACTA, { maxBytes: 1024 });
      const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);
      expect(await mode(join(dir, 'blobs'))).toBe('700');
      expect(await mode(join(dir, 'blobs', key.slice(0, 2)))).toBe('700');
      expect(await mode(join(dir, 'blobs', key.slice(0, 2), key.slice(2)))).toBe('600');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uploads to S3 with the SHA-256 of the content, so the server checks the transfer too', async () => {
    const spoolDir = await mkdtemp(join(tmpdir(), 'plazos-blobs-spool-'));
    const store = createS3BlobStore({
      bucket: server.bucket,
      prefix: 'checksum/',
      endpoint: server.endpoint,
      region: server.region,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: (await readFile(server.secretFile, 'utf8')).trim() },
      spoolDir,
      logger: pino({ level: 'silent' }),
    });
    try {
      const { sha256: key } = await store.put(ACTA, { maxBytes: 1024 });
      const head = await raw.send(
        new HeadObjectCommand({ Bucket: server.bucket, Key: `checksum/${key.slice(0, 2)}/${key.slice(2)}`, ChecksumMode: 'ENABLED' }),
      );
      expect(head.ChecksumSHA256).toBe(Buffer.from(key, 'hex').toString('base64'));
      expect(head.ContentLength).toBe(ACTA.length);
    } finally {
      store.destroy();
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
});

describe('openBlobStore, from the settings', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plazos-data-'));
    logLines = [];
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const open = (vars: Record<string, string>) => openBlobStore(parseEnv({ PLAZOS_DATA_DIR: dataDir, ...vars }), logger());
  /** As a process starts: the stores, with an earlier version's files copied in (store/upgrade.ts). */
  const start = async (vars: Record<string, string>) => {
    const stores = await openStores(parseEnv({ PLAZOS_DATA_DIR: dataDir, ...vars }), logger());
    await stores.close();
    return stores.blobs;
  };

  it('without PLAZOS_BLOB_STORE keeps the blobs in <data dir>/blobs', async () => {
    const store = await open({});
    const { sha256: key } = await store.put(ACTA, { maxBytes: 1024 });
    expect(store.describe()).toBe(`directorio ${join(dataDir, 'blobs')}`);
    expect(await filesUnder(join(dataDir, 'blobs'))).toEqual([join(key.slice(0, 2), key.slice(2))]);
  });

  it('with s3://bucket/prefix keeps them in the bucket under the prefix, read back by a second store as another host would', async () => {
    const first = await open(server.env('plazos/evidencias'));
    const { sha256: key } = await first.put(ACTA, { maxBytes: 1024 });
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: 'plazos/evidencias/' }));
    expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([`plazos/evidencias/${key.slice(0, 2)}/${key.slice(2)}`]);
    const otherHost = await openBlobStore(parseEnv({ PLAZOS_DATA_DIR: join(dataDir, 'otro'), ...server.env('plazos/evidencias') }), logger());
    expect(await otherHost.read(key, { maxBytes: 1024 })).toEqual(ACTA);
  });

  it('says in one line, naming PLAZOS_BLOB_STORE, that a bucket on a closed port cannot be reached', async () => {
    const closed = await freePort();
    const opening = open({ ...server.env('plazos'), PLAZOS_S3_ENDPOINT: `http://127.0.0.1:${closed}` });
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    const message = await opening.then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toBe(`PLAZOS_BLOB_STORE: no se puede alcanzar s3://evidencias/plazos en http://127.0.0.1:${closed} (ECONNREFUSED).`);
  });

  it('says the credentials were refused, naming the settings and never the secret', async () => {
    const wrong = join(dataDir, 'secreto-equivocado');
    await writeFile(wrong, 'no-es-la-clave\n');
    const message = await open({ ...server.env(), PLAZOS_S3_SECRET_ACCESS_KEY_FILE: wrong }).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toMatch(
      /^PLAZOS_BLOB_STORE: no se puede alcanzar s3:\/\/evidencias en http:\/\/127\.0\.0\.1:\d+ \(acceso denegado \(403\): revise PLAZOS_S3_ACCESS_KEY_ID/,
    );
    expect(message).not.toContain('no-es-la-clave');
  });

  it('says a bucket that does not exist does not exist', async () => {
    const message = await open({ ...server.env(), PLAZOS_BLOB_STORE: 's3://no-existe' }).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toMatch(/^PLAZOS_BLOB_STORE: no se puede alcanzar s3:\/\/no-existe en .* \(el cubo no existe \(404\)\)\.$/);
  });

  it('names the secret file it could not read, and an access key id without its secret', async () => {
    await expect(open({ ...server.env(), PLAZOS_S3_SECRET_ACCESS_KEY_FILE: join(dataDir, 'no-esta') })).rejects.toThrow(
      /^PLAZOS_S3_SECRET_ACCESS_KEY_FILE: no se pudo leer .*no-esta \(ENOENT\)\.$/,
    );
    const { PLAZOS_S3_SECRET_ACCESS_KEY_FILE: _unset, ...withoutSecret } = server.env();
    await expect(open(withoutSecret)).rejects.toThrow(/^PLAZOS_S3_SECRET_ACCESS_KEY_FILE: falta/);
  });

  it.each([
    ['PLAZOS_BLOB_STORE', 'https://evidencias'],
    ['PLAZOS_BLOB_STORE', 's3://Mayusculas'],
    ['PLAZOS_S3_ENDPOINT', 'http://usuario:clave@servidor:9000'],
    ['PLAZOS_S3_FORCE_PATH_STYLE', 'si'],
  ])('refuses %s=%s at start with a message naming it', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`${name}: ${name} debe`));
  });

  it('reads PLAZOS_S3_FORCE_PATH_STYLE=false as false', () => {
    expect(parseEnv({ PLAZOS_S3_FORCE_PATH_STYLE: 'false' }).PLAZOS_S3_FORCE_PATH_STYLE).toBe(false);
    expect(parseEnv({ PLAZOS_S3_FORCE_PATH_STYLE: 'true' }).PLAZOS_S3_FORCE_PATH_STYLE).toBe(true);
  });

  it.each([
    ['the local directory', () => ({})],
    ['an S3 bucket', () => server.env(`v0-${randomBytes(3).toString('hex')}`)],
  ])(
    'upgrades the data directory of the file stores (test/fixtures/data-dir-v0) onto %s: its evidence is found, checked and read back',
    async (_engine, vars) => {
      await cp(join(REPO_ROOT, 'test', 'fixtures', 'data-dir-v0'), dataDir, { recursive: true });
      const expected = (await filesUnder(join(dataDir, 'evidence'))).map((f) => f.replace('/', ''));
      expect(expected).toHaveLength(2);
      const store = await start(vars());
      // The two evidence files, and the kept cut report's two files beside them.
      expect(await keys(store)).toEqual(expect.arrayContaining(expected));
      expect(await keys(store)).toHaveLength(4);
      for (const key of expected) {
        expect(await store.verify(key)).toMatchObject({ found: true, matches: true });
        expect(await store.read(key, { maxBytes: 1024 })).toEqual(await readFile(join(dataDir, 'evidence', key.slice(0, 2), key.slice(2))));
      }
    },
  );

  it('copies evidence an earlier version kept in <data dir>/evidence, leaving out a file that does not match its name', async () => {
    const good = sha256(ACTA);
    const damaged = sha256(Buffer.from('otro contenido'));
    for (const [key, bytes] of [
      [good, ACTA],
      [damaged, Buffer.from('dañado')],
    ] as const) {
      await mkdir(join(dataDir, 'evidence', key.slice(0, 2)), { recursive: true });
      await writeFile(join(dataDir, 'evidence', key.slice(0, 2), key.slice(2)), bytes);
    }
    const store = await start(server.env(`migracion-${randomBytes(3).toString('hex')}`));
    expect(await keys(store)).toEqual([good]);
    expect(await store.read(good, { maxBytes: 1024 })).toEqual(ACTA);
    expect(logLines.some((l) => l.includes(damaged) && l.includes('"level":40'))).toBe(true);
    // A second start reads the folder again (a file was refused, so the upgrade is not marked done), finds it there and copies nothing again.
    logLines = [];
    await start(server.env(store.describe().split(' ')[0]!.replace('s3://evidencias/', '')));
    expect(logLines.join('')).toMatch(/"evidence":\{"copied":0,"present":1,"refused":1\}/);
  });
});
