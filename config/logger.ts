/**
 * pino: JSON lines for machines, pretty lines when a person watches a terminal. Logs carry plan
 * ids, activity numbers, notice keys and codes, never e-mail addresses or people's names.
 */
import pino, { type Logger } from 'pino';

export function createLogger(level: string, options: { pretty?: boolean; name?: string } = {}): Logger {
  const pretty = options.pretty ?? process.stdout.isTTY;
  return pino({
    name: options.name ?? 'plazos',
    level,
    redact: { paths: ['*.email', '*.to', '*.cc', '*.password', 'smtpUrl'], censor: '[oculto]' },
    transport: pretty ? { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname' } } : undefined,
  });
}
