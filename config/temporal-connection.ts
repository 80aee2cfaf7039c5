/** Connection options to Temporal from the environment, with mTLS when certificates are given. */
import { readFileSync } from 'node:fs';
import type { Env } from './schema';

export interface TemporalConnectionOptions {
  address: string;
  tls?: { serverNameOverride?: string; serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } };
}

export function connectionOptions(env: Env): TemporalConnectionOptions {
  if (!env.TEMPORAL_TLS_CERT && !env.TEMPORAL_TLS_CA) return { address: env.TEMPORAL_ADDRESS };
  return {
    address: env.TEMPORAL_ADDRESS,
    tls: {
      serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME,
      serverRootCACertificate: env.TEMPORAL_TLS_CA ? readFileSync(env.TEMPORAL_TLS_CA) : undefined,
      clientCertPair:
        env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY ? { crt: readFileSync(env.TEMPORAL_TLS_CERT), key: readFileSync(env.TEMPORAL_TLS_KEY) } : undefined,
    },
  };
}
