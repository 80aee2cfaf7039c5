/**
 * `node dist/web/hash-password.js` reads a password from standard input and prints the scrypt hash
 * to paste into config/oapla-users.yaml:  printf '%s' 'la-clave' | node dist/web/hash-password.js
 */
import { hashPassword } from './users';

let input = '';
process.stdin.setEncoding('utf8').on('data', (chunk: string) => (input += chunk));
process.stdin.on('end', () => {
  const password = input.replace(/\r?\n$/, '');
  if (password.length < 8) {
    process.stderr.write('La contraseña debe tener al menos 8 caracteres.\n');
    process.exit(2);
  }
  process.stdout.write(`${hashPassword(password)}\n`);
});
