/**
 * The worker's production dependencies (workers/deps.ts) as the in-process test stacks build them:
 * mail to the test's SMTP capture, the seed's areas, a silent logger, one connection per message.
 */
import { join } from 'node:path';
import pino from 'pino';
import { createLocalBlobStore, type BlobStore } from '../../store/blobs';
import { buildDeps } from '../../workers/deps';
import { testRecords } from './records';
import { seedAreas } from './seed';

/** The blob store a test stack shares between its worker, web app and mailbox reader: `<dataDir>/blobs`, as openBlobStore's default. */
export function testBlobs(dataDir: string): BlobStore {
  return createLocalBlobStore({ dir: join(dataDir, 'blobs'), logger: pino({ level: 'silent' }) });
}

export function testWorkerDeps(smtpUrl: string, dataDir: string, extra: Partial<Parameters<typeof buildDeps>[0]> = {}): ReturnType<typeof buildDeps> {
  return buildDeps({
    smtpUrl,
    from: 'Plazos <plazos@entidad.test>',
    blobs: testBlobs(dataDir),
    records: testRecords(dataDir),
    areas: seedAreas(),
    logger: pino({ level: 'silent' }),
    pool: false,
    ...extra,
  });
}
