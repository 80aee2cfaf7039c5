#!/usr/bin/env node
// Builds Temporal's server and its SQL schema tool from source, once per version, for
// `npm run test:cluster`: `go install <module>/<package>@v<version>` (pinned in config/tools.json,
// the same version docker-compose.yml runs) into .tools/bin/temporal-server-<version>/, with the
// PostgreSQL schema files of that module next to them (the admin-tools image's
// /etc/temporal/schema/postgresql/v12). Nothing of it is committed: .tools/ is git-ignored.
//
// Needs Go (on PATH or /usr/local/go/bin) and the Go module proxy; the first build takes ~10 min
// on 2 cores, later runs find the stamp and do nothing. Prints the directory on stdout.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { server } = JSON.parse(readFileSync(join(root, 'config', 'tools.json'), 'utf8'));
const target = join(root, '.tools', 'bin', `temporal-server-${server.version}`);
const stamp = join(target, 'version');
const say = (msg) => process.stderr.write(`[temporal-server] ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`[temporal-server] ERROR: ${msg}\n`);
  process.exit(1);
};

function findGo() {
  for (const go of ['go', '/usr/local/go/bin/go']) {
    if (spawnSync(go, ['version'], { stdio: 'ignore' }).status === 0) return go;
  }
  return fail('se necesita Go (https://go.dev/dl/) para compilar el servidor de Temporal.');
}

function complete() {
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== server.version) return false;
  return Object.keys(server.binaries).every((b) => existsSync(join(target, b))) && existsSync(join(target, 'schema'));
}

if (!complete()) {
  const go = findGo();
  const tmp = `${target}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // The module's own go.mod decides every dependency version; -mod=mod lets `go install` resolve
  // them without a surrounding module.
  const env = { ...process.env, GOBIN: tmp, GOFLAGS: '-mod=mod' };
  const packages = Object.values(server.binaries).map((pkg) => `${server.module}/${pkg}@v${server.version}`);
  say(`compilando ${packages.join(' ')} (la primera vez tarda unos 10 minutos)...`);
  const built = spawnSync(go, ['install', ...packages], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) fail(`go install terminó con código ${built.status}`);
  for (const [name, pkg] of Object.entries(server.binaries)) {
    renameSync(join(tmp, pkg.split('/').pop()), join(tmp, name));
  }
  // The schema files come from the module just built, in Go's module cache.
  const info = spawnSync(go, ['mod', 'download', '-json', `${server.module}@v${server.version}`], { env, encoding: 'utf8' });
  if (info.status !== 0) fail(`go mod download terminó con código ${info.status}:\n${info.stderr}`);
  const moduleDir = JSON.parse(info.stdout).Dir;
  cpSync(join(moduleDir, server.schemaDir), join(tmp, 'schema'), { recursive: true });
  // Go's module cache is read-only; the copy must not be, or the next upgrade could not remove it.
  spawnSync('chmod', ['-R', 'u+w', join(tmp, 'schema')]);
  writeFileSync(join(tmp, 'version'), `${server.version}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  say(`listo en ${target}`);
}
process.stdout.write(`${target}\n`);
