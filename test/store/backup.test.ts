/**
 * The backup of plazos's database as README ("Production", "Backups") tells an operator to make it:
 * scripts/backup-db.sh dumps a real PostgreSQL database that openRecords wrote (signing in with a
 * password from a file, as production does), scripts/restore-db.sh restores it into a new empty
 * database, and openRecords on the restored one finds every kind of record. The scripts run as
 * they would by hand, with PostgreSQL's own client programs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../config/paths';
import { startPostgres, type PostgresServer } from '../../simulation/postgres';
import { openRecords, type RecordsSettings } from '../../store/records';

const HOUR = 3_600_000;
// A fixed "now" an hour from the real one, so every record written is still live when it is read.
const NOW = Date.now() + HOUR;

let server: PostgresServer;
let dir: string;

beforeAll(async () => {
  server = await startPostgres({ auth: 'scram' });
  dir = mkdtempSync(join(tmpdir(), 'plazos-backup-'));
}, 120_000);

afterAll(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A database of its own with a role of the same name, and the settings the processes would get. */
function database(name: string): RecordsSettings {
  // ':' and '\' in the password: the pgpass file the scripts write must escape both.
  const password = `clave:${name}\\con-barra`;
  server.createDatabase(name, password);
  const passwordFile = join(dir, `${name}.password`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  return { url: server.url(name, name), passwordFile, dataDir: join(dir, `data-${name}`) };
}

function script(name: 'backup-db.sh' | 'restore-db.sh', settings: RecordsSettings, args: string[]) {
  const run = spawnSync('sh', [join(REPO_ROOT, 'scripts', name), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      // The server's own client programs, of its major version.
      PATH: `${server.bin}:${process.env.PATH ?? ''}`,
      HOME: dir,
      PLAZOS_DATABASE_URL: settings.url,
      PLAZOS_DATABASE_PASSWORD_FILE: settings.passwordFile,
    },
  });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
}

const SENT = { idempotencyKey: 'plan-2027/3/-/0/kickoff', messageId: '<kickoff-3@entidad.gov.co>', accepted: ['ARVIV'], rejected: ['ASERA'] };
const REPLY_TARGET = { workflowId: 'plan-2027/3', areas: ['ARVIV'], kind: 'kickoff' };
const PROCESSED = { key: '<respuesta-1@entidad.gov.co>', folder: 'processed' as const, outcome: 'evidence:E1' };
const CUT = { planId: 'plan-2027', cut: '2027-03-31', name: 'corte.pdf', sha256: 'a'.repeat(64), size: 2048 };

it('a backup made by scripts/backup-db.sh and restored by scripts/restore-db.sh into a new database holds every record openRecords wrote', async () => {
  const original = database('plazos');
  const written = await openRecords(original);
  let session: string;
  let token: string;
  try {
    await written.sent.record(SENT);
    await written.replies.remember('aviso-1', REPLY_TARGET.workflowId, REPLY_TARGET);
    await written.processed.record(PROCESSED);
    expect(await written.cuts.keep(CUT)).toBe(true);
    session = await written.sessions.open({
      username: 'planeacion',
      userStamp: 'sello-1',
      expiresAt: NOW + 8 * HOUR,
      roles: { oapla: false, control: true, areas: ['ARCOM'] },
      idToken: 'eyJ.x.y',
    });
    for (let i = 0; i < 3; i++) await written.throttle.hit('u:auditoria', 15 * 60_000, NOW);
    await written.throttle.block('u:auditoria', NOW + 15 * 60_000, NOW);
    token = await written.tokens.issue('restablecer-clave', 'planeacion', NOW + HOUR);
  } finally {
    await written.close();
  }

  const backups = join(dir, 'copias');
  const backup = script('backup-db.sh', original, [backups]);
  expect(backup.stderr).not.toMatch(/falló|error/i);
  expect(backup.status).toBe(0);
  expect(backup.stdout).toMatch(/plazos-\d{8}T\d{6}Z\.dump$/);
  // Only the finished archive is left: no partial file, no password file.
  expect(readdirSync(backups)).toEqual([backup.stdout.split('/').pop()]);

  const restoredSettings = database('plazos_restaurada');
  const restore = script('restore-db.sh', restoredSettings, [backup.stdout]);
  expect(restore.stderr).not.toMatch(/falló|error/i);
  expect(restore.status).toBe(0);

  const restored = await openRecords(restoredSettings);
  try {
    expect(restored.describe()).toContain('plazos_restaurada');
    expect(await restored.sent.find(SENT.idempotencyKey)).toEqual(SENT);
    expect(await restored.replies.find('aviso-1')).toEqual(REPLY_TARGET);
    expect(await restored.processed.find(PROCESSED.key)).toEqual(PROCESSED);
    expect(await restored.cuts.find(CUT.planId, CUT.cut, CUT.name)).toEqual(CUT);
    expect(await restored.sessions.find(session, NOW)).toEqual({
      username: 'planeacion',
      userStamp: 'sello-1',
      expiresAt: NOW + 8 * HOUR,
      roles: { oapla: false, control: true, areas: ['ARCOM'] },
      idToken: 'eyJ.x.y',
    });
    // The lock on the user, and the count of the window it was locked in, came back.
    expect(await restored.throttle.blockedFor(['u:auditoria'], NOW)).toBe(15 * 60_000);
    expect(await restored.tokens.spend('restablecer-clave', token, NOW)).toBe('planeacion');
    // Spent once, and only once, in the restored database too.
    expect(await restored.tokens.spend('restablecer-clave', token, NOW)).toBeNull();
    // The restored database takes new records: the schema's sequences and constraints came back.
    await restored.sent.record({ ...SENT, idempotencyKey: 'plan-2027/4/-/0/kickoff', messageId: '<kickoff-4@entidad.gov.co>' });
    await restored.sent.record({ ...SENT, messageId: '<otro@entidad.gov.co>' });
    expect(await restored.sent.find(SENT.idempotencyKey)).toEqual(SENT);
  } finally {
    await restored.close();
  }

  // Restored a second time over the same, no longer empty, database: refused whole, nothing changed.
  const again = script('restore-db.sh', restoredSettings, [backup.stdout]);
  expect(again.status).not.toBe(0);
  expect(again.stderr).toContain('la base quedó como estaba');
  const after = await openRecords(restoredSettings);
  try {
    expect(await after.sent.find('plan-2027/4/-/0/kickoff')).toMatchObject({ messageId: '<kickoff-4@entidad.gov.co>' });
  } finally {
    await after.close();
  }
});

it('refuses without a database to dump, or with a password file it cannot read, and writes no file', () => {
  const out = join(dir, 'nada');
  const noUrl = spawnSync('sh', [join(REPO_ROOT, 'scripts', 'backup-db.sh'), out], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(noUrl.status).not.toBe(0);
  expect(noUrl.stderr).toContain('falta PLAZOS_DATABASE_URL');
  const unreadable = script('backup-db.sh', { url: server.url('plazos', 'plazos'), passwordFile: join(dir, 'no-existe'), dataDir: dir }, [out]);
  expect(unreadable.status).not.toBe(0);
  expect(unreadable.stderr).toContain('no se puede leer PLAZOS_DATABASE_PASSWORD_FILE');
  const wrong = join(dir, 'otra-clave');
  writeFileSync(wrong, 'no-es-la-clave\n');
  const refused = script('backup-db.sh', { url: server.url('plazos', 'plazos'), passwordFile: wrong, dataDir: dir }, [out]);
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toMatch(/password authentication failed/);
  expect(readdirSync(out)).toEqual([]);
});
