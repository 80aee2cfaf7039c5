#!/usr/bin/env node
// Builds the S3 server the tests run the blob store's S3 engine against: the Versity S3 Gateway,
// `go install <module>/<package>@v<version>` (pinned in config/tools.json) into
// .tools/bin/versitygw-<version>/. A real S3 implementation from a registry rather than a mock,
// so the tests see what a real bucket answers (checksums, error codes, listing). Nothing of it is
// committed: .tools/ is git-ignored.
//
// Needs Go (on PATH or /usr/local/go/bin) and the Go module proxy; the first build takes about a
// minute on 2 cores, later runs find the stamp and do nothing. Built into a temp directory and
// renamed, so an interrupted build never leaves a binary that looks finished. Prints the
// directory on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { s3Server } = JSON.parse(readFileSync(join(root, 'config', 'tools.json'), 'utf8'));
const target = join(root, '.tools', 'bin', `versitygw-${s3Server.version}`);
const stamp = join(target, 'version');
const say = (msg) => process.stderr.write(`[s3-server] ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`[s3-server] ERROR: ${msg}\n`);
  process.exit(1);
};

function findGo() {
  for (const go of ['go', '/usr/local/go/bin/go']) {
    if (spawnSync(go, ['version'], { stdio: 'ignore' }).status === 0) return go;
  }
  return fail('se necesita Go (https://go.dev/dl/) para compilar el servidor S3 de las pruebas (versitygw).');
}

function complete() {
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== s3Server.version) return false;
  return existsSync(join(target, s3Server.binary));
}

if (!complete()) {
  const go = findGo();
  const tmp = `${target}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // The module's own go.mod decides every dependency version; -mod=mod lets `go install` resolve
  // them without a surrounding module.
  const env = { ...process.env, GOBIN: tmp, GOFLAGS: '-mod=mod' };
  const pkg = `${s3Server.module}/${s3Server.package}@v${s3Server.version}`;
  say(`compilando ${pkg} (la primera vez tarda alrededor de un minuto)...`);
  const started = Date.now();
  const built = spawnSync(go, ['install', pkg], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) fail(`go install terminó con código ${built.status}`);
  const produced = join(tmp, s3Server.package.split('/').pop());
  if (produced !== join(tmp, s3Server.binary)) renameSync(produced, join(tmp, s3Server.binary));
  writeFileSync(join(tmp, 'version'), `${s3Server.version}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  say(`listo en ${target} (${Math.round((Date.now() - started) / 1000)} s)`);
}
process.stdout.write(`${target}\n`);
