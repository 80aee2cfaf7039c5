/**
 * A Temporal client from the environment. An unreachable server is a CliError with exit code 3
 * and a Spanish message naming the address, never a gRPC stack trace.
 */
import { Client, Connection } from '@temporalio/client';
import { CliError, EXIT } from '../domain/errors';
import type { Env } from '../config/schema';
import { connectionOptions } from '../config/temporal-connection';

export async function connectClient(env: Env): Promise<{ client: Client; close(): Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions(env), connectTimeout: '5 seconds' });
  } catch (err) {
    throw new CliError(
      `No se pudo conectar con Temporal en ${env.TEMPORAL_ADDRESS}: ${(err as Error).message}. ¿Está corriendo "plazos up" o el servidor configurado en TEMPORAL_ADDRESS?`,
      EXIT.unreachable,
    );
  }
  return { client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }), close: () => connection.close() };
}
