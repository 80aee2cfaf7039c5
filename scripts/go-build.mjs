// Builds Go programs the tests run (Temporal's server, the S3 server) from source with
// `go install <module>/<package>@v<version>` into .tools/bin/<name>-<version>/, once per version:
// built into a temp directory and renamed, so an interrupted build never leaves a directory that
// looks finished; a stamp holds the version. Nothing of it is committed: .tools/ is git-ignored.
// Needs Go (on PATH or /usr/local/go/bin) and the Go module proxy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const tools = JSON.parse(readFileSync(join(root, 'config', 'tools.json'), 'utf8'));

/**
 * `binaries`: name in the target directory → package path inside `module`. `extra(tmp, { go, env })`
 * adds what else the directory holds (schema files), and `has(target)` says it is there. Prints the
 * directory on stdout.
 */
export function buildGoTools({ name, module, version, binaries, what, duration, extra, has = () => true }) {
  const target = join(root, '.tools', 'bin', `${name}-${version}`);
  const stamp = join(target, 'version');
  const say = (msg) => process.stderr.write(`[${name}] ${msg}\n`);
  const fail = (msg) => {
    process.stderr.write(`[${name}] ERROR: ${msg}\n`);
    process.exit(1);
  };
  const complete = () =>
    existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version && Object.keys(binaries).every((b) => existsSync(join(target, b))) && has(target);

  if (!complete()) {
    const go = ['go', '/usr/local/go/bin/go'].find((g) => spawnSync(g, ['version'], { stdio: 'ignore' }).status === 0);
    if (!go) fail(`se necesita Go (https://go.dev/dl/) para compilar ${what}.`);
    const tmp = `${target}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    // The module's own go.mod decides every dependency version; -mod=mod lets `go install` resolve
    // them without a surrounding module.
    const env = { ...process.env, GOBIN: tmp, GOFLAGS: '-mod=mod' };
    const packages = Object.values(binaries).map((pkg) => `${module}/${pkg}@v${version}`);
    say(`compilando ${packages.join(' ')} (la primera vez tarda ${duration})...`);
    const started = Date.now();
    const built = spawnSync(go, ['install', ...packages], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) fail(`go install terminó con código ${built.status}`);
    for (const [binary, pkg] of Object.entries(binaries)) {
      const produced = join(tmp, pkg.split('/').pop());
      if (produced !== join(tmp, binary)) renameSync(produced, join(tmp, binary));
    }
    extra?.(tmp, { go, env, fail });
    writeFileSync(join(tmp, 'version'), `${version}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
    say(`listo en ${target} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  process.stdout.write(`${target}\n`);
  return target;
}
