/**
 * `node dist/bench/blobs.js [MB] [runs]`: a put and a get (open, read to the end) of one file of MB
 * megabytes (default 25, the evidence limit's order) on each blob engine, the local directory
 * against the S3 engine on a real S3 server on loopback (simulation/s3.ts), alternating which goes
 * first. Prints each time and S3's time over the local one. Not part of `npm run bench`: it answers
 * "what does a bucket cost an upload and a download", which changes with the network, not the code.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startS3Server } from '../simulation/s3';
import { createLocalBlobStore, type BlobStore } from '../store/blobs';
import { createS3BlobStore } from '../store/blobs/s3';

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

async function putGet(store: BlobStore, file: string, size: number): Promise<{ put: number; get: number }> {
  const put = await timed(() => store.put(createReadStream(file), { maxBytes: size }));
  const get = await timed(async () => {
    const stream = await store.open(put.value.sha256);
    let read = 0;
    for await (const chunk of stream ?? []) read += (chunk as Buffer).length;
    if (read !== size) throw new Error(`read ${read} bytes of ${size}`);
  });
  return { put: put.ms, get: get.ms };
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 25);
  const runs = Number(process.argv[3] ?? 1);
  const size = megabytes * 1024 * 1024;
  const dir = mkdtempSync(join(tmpdir(), 'plazos-bench-blobs-'));
  const server = await startS3Server();
  const logger = pino({ level: 'warn' });
  try {
    const results: Record<'local' | 's3', { put: number; get: number }[]> = { local: [], s3: [] };
    for (let run = 0; run < runs; run++) {
      // New content each run: the same bytes would be a put of a key already there.
      const file = join(dir, `muestra-${run}`);
      writeFileSync(file, randomBytes(size));
      const local = createLocalBlobStore({ dir: join(dir, `local-${run}`), logger });
      const s3 = createS3BlobStore({
        bucket: server.bucket,
        prefix: `banco-${run}/`,
        endpoint: server.endpoint,
        region: server.region,
        forcePathStyle: true,
        credentials: { accessKeyId: server.accessKeyId, secretAccessKey: readFileSync(server.secretFile, 'utf8').trim() },
        spoolDir: join(dir, 'spool'),
        logger,
      });
      const order = run % 2 === 0 ? (['local', 's3'] as const) : (['s3', 'local'] as const);
      for (const engine of order) results[engine].push(await putGet(engine === 'local' ? local : s3, file, size));
      s3.destroy();
      rmSync(file);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    for (const op of ['put', 'get'] as const) {
      const local = median(results.local.map((r) => r[op]));
      const s3 = median(results.s3.map((r) => r[op]));
      process.stdout.write(
        `${op} de ${megabytes} MB: local ${local.toFixed(0)} ms, S3 (versitygw en loopback) ${s3.toFixed(0)} ms, S3/local ${(s3 / local).toFixed(2)}x (${runs} corrida${runs === 1 ? '' : 's'})\n`,
      );
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
