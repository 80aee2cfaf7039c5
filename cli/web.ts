/**
 * `plazos web hash-password [--user NAME]`: the scrypt hash of an OAPLA user's password, for
 * config/oapla-users.yaml. The password is read from standard input, never from the command line
 * (where the shell history and `ps` would keep it); on a terminal it is asked twice, without echo.
 */
import { hashPassword } from '../web/users';
import { CliError, EXIT } from '../domain/errors';
import { t } from './i18n';

const MIN_LENGTH = 8;

function readPiped(): Promise<string> {
  return new Promise((resolve, reject) => {
    let input = '';
    process.stdin.setEncoding('utf8').on('data', (chunk: string) => (input += chunk));
    process.stdin.on('end', () => resolve(input.replace(/\r?\n$/, '')));
    process.stdin.on('error', reject);
  });
}

/** One line from the terminal with echo off; Ctrl-C stops. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\u0003') process.exit(130);
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readPiped();
  const first = await askHidden(t().passwordPrompt);
  const again = await askHidden(t().passwordRepeat);
  if (first !== again) throw new CliError(t().passwordsDiffer, EXIT.usage);
  return first;
}

export async function hashPasswordCommand(opts: { user?: string }): Promise<number> {
  if (opts.user !== undefined && !/^[a-z0-9._-]{2,64}$/.test(opts.user)) {
    throw new CliError(t().badUsername(opts.user), EXIT.usage);
  }
  const password = await readPassword();
  if (password.length < MIN_LENGTH) throw new CliError(t().passwordTooShort(MIN_LENGTH), EXIT.usage);
  const hash = hashPassword(password);
  // With --user, the entry to paste under `users:` in config/oapla-users.yaml.
  process.stdout.write(opts.user ? `  - username: ${opts.user}\n    hash: ${hash}\n` : `${hash}\n`);
  return EXIT.ok;
}
