/**
 * The CLI bundle (cli/bundle.ts): `bin/plazos.js` runs dist/cli/main.bundle.js when it is fresh, and
 * the bundle answers exactly as the unbundled dist/cli/main.js does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, buildCli, cliEnv, makeTempFolder, REPO, removeFolder, SEED } from './helpers';

const MAIN = join(REPO, 'dist', 'cli', 'main.js');
const BUNDLE = join(REPO, 'dist', 'cli', 'main.bundle.js');

let dir: string;
let watcher: string;

beforeAll(async () => {
  await buildCli();
  dir = makeTempFolder();
  // Preloaded with -r: says on exit which of the two CLI entry files Node loaded.
  watcher = join(dir, 'watch-entry.js');
  writeFileSync(
    watcher,
    `const Module = require('node:module');
const seen = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const found = Module._resolveFilename(request, parent, isMain);
  if (found === ${JSON.stringify(MAIN)}) seen.add('main.js');
  return load.apply(this, arguments);
};
process.on('exit', () => process.stderr.write('[entry ' + [...seen].join(',') + ']'));
`,
  );
}, 180_000);

afterAll(() => removeFolder(dir));

/** Runs `main(argv)` of one entry file, as bin/plazos.js does. */
function runEntry(file: string, args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['-e', `void require(${JSON.stringify(file)}).main(['node', 'plazos', ...JSON.parse(process.argv[1])])`, JSON.stringify(args)],
    {
      cwd: REPO,
      env: cliEnv(),
      encoding: 'utf8',
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('is built with its code cache', () => {
  expect(existsSync(BUNDLE)).toBe(true);
  expect(existsSync(`${BUNDLE}.cache`)).toBe(true);
});

it('is what bin/plazos.js runs: the unbundled main.js is not loaded', () => {
  const r = spawnSync(process.execPath, ['-r', watcher, BIN, 'plan', 'validate', SEED], { cwd: REPO, env: cliEnv(), encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('19 actividades válidas');
  expect(r.stderr).toBe('[entry ]');
});

it.each([
  ['validate', ['plan', 'validate', SEED]],
  ['validate --json', ['plan', 'validate', SEED, '--json']],
  ['preview', ['plan', 'preview', SEED]],
  ['help', ['--help']],
  ['an unknown command', ['plan', 'nope']],
  ['a missing file', ['plan', 'validate', 'no-such-plan.txt']],
])('answers %s exactly as the unbundled CLI', (_name, args) => {
  expect(runEntry(BUNDLE, args)).toEqual(runEntry(MAIN, args));
});
