/**
 * GET /health: `ok`, or `degradado` with what is wrong. Mail that is not leaving (notices a worker
 * could not send yet) is degraded, not down: the web app still serves, so the answer stays 200 and
 * an orchestrator does not restart it for the mail server's fault. A store that does not answer is
 * 503: sign-in and every page need it. The endpoint is public, so it says how many and since when,
 * never why (the reason names settings; the dashboard shows it to OAPLA).
 */
import type { FastifyInstance } from 'fastify';
import { unsentSince } from '../activities/email/unsent';
import type { Ctx } from './context';

export interface Health {
  status: 'ok' | 'degraded' | 'down';
  mail: { status: 'ok' | 'degraded'; unsent: number; since: string | null } | null;
  store: 'ok' | 'down';
}

export async function readHealth(ctx: Ctx): Promise<Health> {
  try {
    const summary = await ctx.records.unsent.summary({ sinceMs: unsentSince(ctx.now()) });
    const degraded = summary.count > 0;
    return {
      status: degraded ? 'degraded' : 'ok',
      mail: { status: degraded ? 'degraded' : 'ok', unsent: summary.count, since: summary.since === null ? null : new Date(summary.since).toISOString() },
      store: 'ok',
    };
  } catch {
    return { status: 'down', mail: null, store: 'down' };
  }
}

function text(health: Health): string {
  if (health.status === 'ok') return 'ok';
  if (health.status === 'down') return 'sin servicio: el almacén de plazos no responde';
  return `degradado: correo: ${health.mail!.unsent} ${health.mail!.unsent === 1 ? 'aviso' : 'avisos'} sin enviar desde ${health.mail!.since}`;
}

export function healthRoute(app: FastifyInstance, ctx: Ctx): void {
  app.get('/health', { config: { rateLimit: false } }, async (req, reply) => {
    const health = await readHealth(ctx);
    if (health.status === 'down') req.log.warn('health: the store did not answer');
    reply.code(health.status === 'down' ? 503 : 200).header('cache-control', 'no-store');
    if ((req.headers.accept ?? '').includes('application/json')) return reply.send(health);
    return reply.type('text/plain; charset=utf-8').send(text(health));
  });
}
