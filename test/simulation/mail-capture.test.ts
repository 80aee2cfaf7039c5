/**
 * The SMTP capture of the simulation and the soak run outlives clients that die mid-session: the
 * soak run crashed with "Unhandled 'error' event ... ECONNRESET" at the second connection a
 * SIGKILLed worker reset. The capture runs in a child process (the compiled one), since jest
 * intercepts the uncaught error that would end a real process.
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { buildCli, REPO } from '../cli/helpers';

/**
 * Opens an SMTP session and resets the connection (RST), as a killed process does, in the middle
 * of a transaction (after MAIL FROM): outside one, smtp-server ignores a reset by itself.
 */
function resetMidTransaction(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const steps = ['EHLO worker\r\n', 'MAIL FROM:<plazos@localhost>\r\n'];
    socket.once('error', reject);
    socket.setEncoding('utf8').on('data', (reply: string) => {
      // Each reply ends with a line "NNN text" (no dash after the code).
      if (!/^\d{3} /m.test(reply)) return;
      const next = steps.shift();
      if (next) socket.write(next);
      else {
        socket.resetAndDestroy();
        resolve();
      }
    });
  });
}

/** The compiled capture in a child: prints its port, then the subject of the first message, and exits. */
const CHILD = `
const { startMailCapture } = require('./dist/simulation/mail-capture.js');
startMailCapture().then(async (capture) => {
  process.stdout.write(capture.port + '\\n');
  const [mail] = await capture.waitFor(1, 30000);
  process.stdout.write(mail.subject + '\\n');
  await capture.close();
});`;

beforeAll(() => buildCli(), 180_000);

it('the mail capture keeps receiving after clients reset their connections mid-transaction', async () => {
  const child = spawn(process.execPath, ['-e', CHILD], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const port = await new Promise<number>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (/^\d+\n/.test(stdout)) resolve(Number(stdout.split('\n')[0]));
    });
  });
  for (let i = 0; i < 3; i++) await resetMidTransaction(port);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  await transport.sendMail({ from: 'plazos@localhost', to: 'oapla@entidad.gov.co', subject: 'después de los cortes', text: 'sigue recibiendo' });
  transport.close();
  expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout.split('\n')[1]).toBe('después de los cortes');
}, 60_000);
