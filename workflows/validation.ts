/**
 * Update validators parse their payload with the shared zod schemas. A refusal is thrown as a plain
 * Error whose message is the first problem in Spanish, naming the field, so the CLI and the web can
 * show it as it is.
 */
import type { z } from 'zod';

export function parseOrThrow<T extends z.ZodType>(schema: T, payload: unknown): z.infer<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const field = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new Error(`${field}${first?.message ?? 'solicitud inválida'}`);
}
