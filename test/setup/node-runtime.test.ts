/**
 * The Node plazos runs on. The tests themselves run on a Node that meets package.json's engines, and
 * on a machine whose system Node is older (Node 20), `node scripts/setup.mjs --run FILE` and
 * `node bin/plazos.js` started by that old Node run on the Node 24 that set-up put in .tools/node/.
 * The old Node is the machine's own, found on PATH or in the usual folders; without one the
 * old-Node tests are skipped and say why.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { executable } from '../../config/tools';
import { itWhen } from '../helpers/skip';
import { makeTempFolder, removeFolder, REPO, SEED, withBuildLock } from '../cli/helpers';

const engines = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node);
const MINIMUM = engines!.slice(1).map(Number);
const PINNED = (JSON.parse(readFileSync(join(REPO, 'config', 'tools.json'), 'utf8')) as { node: { version: string } }).node.version;

function atLeast(version: string, minimum: number[]): boolean {
  const v = version.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) if (v[i] !== minimum[i]) return v[i]! > minimum[i]!;
  return true;
}

/** Every `node` on PATH and in the usual folders (as `which -a node` and more), with its version. */
function nodesOnMachine(): { path: string; version: string }[] {
  const seen = new Set<string>();
  const found: { path: string; version: string }[] = [];
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin', '/usr/bin', '/bin']) {
    const path = dir && join(dir, 'node');
    if (!path || !executable(path) || seen.has(realpathSync(path))) continue;
    seen.add(realpathSync(path));
    const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) found.push({ path, version: r.stdout.trim() });
  }
  return found;
}

const oldNode = nodesOnMachine().find((n) => !atLeast(n.version, MINIMUM));
const whyNoOldNode = `no Node older than ${MINIMUM.join('.')} on this machine (found: ${nodesOnMachine()
  .map((n) => `${n.path} ${n.version}`)
  .join(', ')}), so there is no re-exec onto .tools/node/ to check`;

/** PATH with the old Node's folder first and no folder holding another `node`: `node` is the old one. */
function oldNodePath(old: string): string {
  const others = (process.env.PATH ?? '').split(delimiter).filter((dir) => {
    const node = dir && join(dir, 'node');
    return dir && (!executable(node) || realpathSync(node) === realpathSync(old));
  });
  return [dirname(old), ...others].join(delimiter);
}

let dir: string;
beforeAll(() => {
  dir = makeTempFolder();
});
afterAll(() => removeFolder(dir));

it(`the tests run on a Node that meets package.json's engines (>= ${MINIMUM.join('.')})`, () => {
  expect({ node: process.versions.node, meetsEngines: atLeast(process.versions.node, MINIMUM) }).toEqual({ node: process.versions.node, meetsEngines: true });
});

describe(`with only the system's old Node on PATH (${oldNode ? `${oldNode.path} ${oldNode.version}` : 'none'})`, () => {
  const env = () => ({ ...process.env, PATH: oldNodePath(oldNode!.path) });

  itWhen(Boolean(oldNode), whyNoOldNode)(
    `setup.mjs --run runs the script on Node ${PINNED}, with node and npm on its PATH the same, says so once, and exits as it does`,
    async () => {
      expect(spawnSync('node', ['--version'], { env: env(), encoding: 'utf8' }).stdout.trim()).toBe(oldNode!.version);
      const script = join(dir, 'print-version.js');
      writeFileSync(
        script,
        `const { execFileSync } = require('node:child_process');
console.log(JSON.stringify({
  version: process.version,
  args: process.argv.slice(2),
  nestedNode: execFileSync('node', ['--version'], { encoding: 'utf8' }).trim(),
  npm: execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim(),
}));
process.exitCode = 3;
`,
      );
      // The set-up builds dist/ when it is stale; the CLI tests' lock keeps two builds from overlapping.
      const r = await withBuildLock(() =>
        spawnSync('node', ['scripts/setup.mjs', '--run', script, '-t', 'some test', '--tests'], { cwd: REPO, env: env(), encoding: 'utf8' }),
      );
      expect(r.error).toBeUndefined();
      const printed = JSON.parse(r.stdout.trim().split('\n').pop()!) as { version: string; args: string[]; nestedNode: string; npm: string };
      expect(printed).toEqual({
        version: `v${PINNED}`,
        args: ['-t', 'some test', '--tests'],
        nestedNode: `v${PINNED}`,
        npm: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      });
      const notice = `[setup] Node ${oldNode!.version.slice(1)} del sistema es anterior a ${MINIMUM.join('.')}: plazos usa Node ${PINNED} de .tools/node/`;
      expect(r.stderr.split('\n').filter((l) => l.includes('del sistema es anterior'))).toEqual([notice]);
      expect(r.status).toBe(3);
    },
  );

  itWhen(Boolean(oldNode), whyNoOldNode)(`bin/plazos.js started by the old Node runs the command on Node ${PINNED}`, () => {
    const preload = join(dir, 'say-version.js');
    writeFileSync(preload, "process.stderr.write('[node ' + process.version + ']\\n');\n");
    const r = spawnSync(oldNode!.path, ['bin/plazos.js', 'plan', 'validate', SEED], {
      cwd: REPO,
      env: { ...env(), NODE_OPTIONS: `--require ${preload}` },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe(`[node ${oldNode!.version}]\n[node v${PINNED}]\n`);
    expect(r.stdout).toContain('Plan "Formulación Plan de Participación Ciudadana 2023": 19 actividades válidas.');
    expect(r.status).toBe(0);
  });

  itWhen(Boolean(oldNode), whyNoOldNode)(
    'bin/plazos.js started by the old Node without .tools/node/ says in one line to run npm run setup, and exits 2',
    () => {
      // A copy of the entry point and package.json alone: a checkout where set-up has not run.
      const checkout = join(dir, 'checkout');
      mkdirSync(join(checkout, 'bin'), { recursive: true });
      copyFileSync(join(REPO, 'bin', 'plazos.js'), join(checkout, 'bin', 'plazos.js'));
      copyFileSync(join(REPO, 'package.json'), join(checkout, 'package.json'));
      const r = spawnSync(oldNode!.path, [join(checkout, 'bin', 'plazos.js'), 'plan', 'validate', SEED], { cwd: checkout, env: env(), encoding: 'utf8' });
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
      expect(r.stderr).toBe(
        `plazos necesita Node ${MINIMUM.join('.')} o posterior y este es ${oldNode!.version.slice(1)}: ejecute "npm run setup" en la raíz del repositorio, que trae Node 24 a .tools/node/.\n`,
      );
    },
  );
});
