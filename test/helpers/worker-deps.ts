/**
 * The worker's production dependencies (workers/deps.ts) as the in-process test stacks build them:
 * mail to the test's SMTP capture, the seed's areas, a silent logger, one connection per message.
 */
import pino from 'pino';
import { buildDeps } from '../../workers/deps';
import { seedAreas } from './seed';

export function testWorkerDeps(smtpUrl: string, dataDir: string, extra: Partial<Parameters<typeof buildDeps>[0]> = {}): ReturnType<typeof buildDeps> {
  return buildDeps({ smtpUrl, from: 'Plazos <plazos@entidad.test>', dataDir, areas: seedAreas(), logger: pino({ level: 'silent' }), pool: false, ...extra });
}
