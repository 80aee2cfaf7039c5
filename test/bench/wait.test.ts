/**
 * bench/wait.ts: a benchmark waits for its messages as long as they keep coming, and one that
 * cannot give its figure says why in Spanish, without a stack trace, and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { BenchFailure, STALL_FACTOR, stallDeadline, waitForArrivals } from '../../bench/wait';
import { startMailCapture, type MailCapture } from '../../simulation/mail-capture';

const ROOT = join(__dirname, '..', '..');

describe('stallDeadline', () => {
  it('gives the first message the time the caller allows', () => {
    expect(stallDeadline([], 90_000)).toBe(90_000);
  });

  it('never goes below the floor when messages arrive regularly', () => {
    expect(stallDeadline([0, 10, 20, 30], 90_000, 60_000)).toBe(60_000);
  });

  it('grows with the longest gap seen, so a busy machine that pauses is not taken for a stuck one', () => {
    expect(stallDeadline([0, 10, 5_010, 5_020], 90_000, 1_000)).toBe(STALL_FACTOR * 5_000);
  });
});

describe('waitForArrivals', () => {
  let mail: MailCapture;
  let transport: ReturnType<typeof nodemailer.createTransport>;

  beforeEach(async () => {
    mail = await startMailCapture();
    transport = nodemailer.createTransport(mail.url);
  });

  afterEach(async () => {
    transport.close();
    await mail.close();
  });

  const send = (n: number) => transport.sendMail({ from: 'bench@localhost', to: 'oapla@localhost', subject: `Aviso ${n}`, text: `Aviso ${n}` });

  it('resolves once every message has arrived, however late they began', async () => {
    const waiting = waitForArrivals(mail, 2, { what: 'prueba', firstWithinMs: 5_000, floorMs: 2_000, pollMs: 20 });
    await new Promise((r) => setTimeout(r, 300));
    await send(1);
    await send(2);
    await expect(waiting).resolves.toBeUndefined();
    expect(mail.messages).toHaveLength(2);
  });

  it('counts nothing as a stall before the instant the messages are due (the burst waits minutes for its 08:00)', async () => {
    const from = Date.now() + 1_500;
    // The first message is allowed 1 ms after `from`: whatever the machine's load, the failure can only come after `from`.
    const failedAt = await waitForArrivals(mail, 1, { what: 'prueba', from, firstWithinMs: 1, floorMs: 1, pollMs: 20 }).then(
      () => null,
      () => Date.now(),
    );
    expect(failedAt).not.toBeNull();
    expect(failedAt as number).toBeGreaterThanOrEqual(from);
  });

  it('fails with a located reason when the messages stop coming', async () => {
    await send(1);
    const err = (await waitForArrivals(mail, 3, {
      what: 'rafaga/3 (prueba)',
      firstWithinMs: 5_000,
      floorMs: 300,
      pollMs: 20,
      diagnose: () => Promise.resolve('El worker tenía 0 activaciones'),
    }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(BenchFailure);
    expect(err.message).toMatch(/^rafaga\/3 \(prueba\): se esperaban 3 mensajes y llegaron 1; ninguno en los últimos \d+ s .*El worker tenía 0 activaciones$/);
  });
});

describe('npm run bench when it cannot run', () => {
  it('prints the reason without a stack trace and exits 1', () => {
    const run = join(ROOT, 'dist', 'bench', 'run.js');
    if (!existsSync(run)) throw new Error('dist/bench/run.js is missing: run "npm run setup" first');
    const r = spawnSync(process.execPath, [run, '--only', 'velocidad'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PLAZOS_DEBUG: '' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'El banco de pruebas no terminó: Banco desconocido: velocidad. Opciones: inicio, abiertos, rafaga, registro, topologia, simulacion, cli, comillas, tablero, sesiones, memoria, avalancha, sin-enviar.\n',
    );
  });
});
