/**
 * Bundles the compiled CLI (dist/cli/main.js and every file of plazos it requires) into one file,
 * dist/cli/main.bundle.js, and fills its V8 code cache by running `plazos plan validate` on the example
 * plan once. Run by `npm run build`, `npm run setup` and the Dockerfile, after `tsc`.
 *
 * Why: a `plazos plan validate` from the ~200 separate files spent most of its time over `node -e 0`
 * finding, reading and compiling them (zod and yaml alone are ~170 files). One file with its code
 * cache (bin/plazos.js loads it, see CLI_CODE_CACHE_FORMAT there) skips the module resolution and
 * the compilation. Node 22's `module.enableCompileCache()` does the second part for separate files,
 * not the first.
 *
 * Only the pure-JavaScript packages on the plan-reading path are bundled. The rest (the Temporal
 * SDK with its native core, fastify, pino's worker threads, exceljs, nodemailer) stay ordinary
 * requires from node_modules, loaded only by the commands that use them. The bundle sits in dist/cli/
 * as main.js does, so a `__dirname` of dist/<folder>/ in the bundled code (config/paths.ts,
 * config/load-areas.ts, workers/workflow-code.ts) still names the same files.
 */
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../config/paths';

export const CLI_BUNDLE = join(REPO_ROOT, 'dist', 'cli', 'main.bundle.js');
const ENTRY = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const EXAMPLE_PLAN = join(REPO_ROOT, 'plans', 'examples', 'plan-participacion-ciudadana-2023.txt');

/**
 * Packages bundled into the CLI: pure JavaScript, loaded by `plan validate` of a TSV or YAML plan
 * (luxon and csv-parse are not: they stay ordinary requires for the commands that load them).
 */
export const BUNDLED_PACKAGES = new Set(['commander', 'zod', 'yaml', 'colombian-holidays', 'pascua']);

/**
 * zod requires its 64 message locales when it is loaded; plazos uses Spanish (plans/validate.ts)
 * and English (zod's default). In the bundle, `z.locales` holds those two: a third of zod's
 * size that every command would otherwise read, and evaluate at start.
 */
export const ZOD_LOCALES = ['en', 'es'];
const ZOD_LOCALES_MODULE = `Object.defineProperty(exports, '__esModule', { value: true });
const pick = (m) => (m && m.__esModule ? m.default : m); // as zod's own index does (__importDefault)
${ZOD_LOCALES.map((l) => `exports.${l} = pick(require('./${l}.cjs'));`).join('\n')}
`;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export async function writeCliBundle(target = CLI_BUNDLE): Promise<string> {
  const { build } = await import('esbuild');
  const tmp = `${target}.${process.pid}.tmp.js`;
  await build({
    entryPoints: [ENTRY],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // The oldest Node in package.json's engines.
    target: 'node22.12',
    // A dynamic import of a package left external stays a require: bin/plazos.js runs the bundle as
    // a CommonJS function (vm.Script), which has no loader for import().
    supported: { 'dynamic-import': false },
    logLevel: 'error',
    plugins: [
      {
        name: 'plazos-external-packages',
        setup(b) {
          b.onResolve({ filter: /^\.\.\/locales\/index\.cjs$/ }, (args) =>
            /[\\/]zod[\\/]v4[\\/]classic$/.test(args.resolveDir)
              ? { path: join(args.resolveDir, '..', 'locales', 'index.cjs'), namespace: 'zod-locales' }
              : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: ZOD_LOCALES_MODULE, resolveDir: dirname(args.path), loader: 'js' }));
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            const name = packageName(args.path);
            if (name.startsWith('node:') || BUNDLED_PACKAGES.has(name)) return undefined;
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  renameSync(tmp, target);
  // The code cache of the old bundle would be refused anyway (bin/plazos.js checks size and time);
  // removing it makes the run below write the new one.
  rmSync(`${target}.cache`, { force: true });
  const warm = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'plazos.js'), 'plan', 'validate', EXAMPLE_PLAN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (warm.status !== 0) throw new Error(`plazos plan validate del ejemplo terminó con código ${warm.status}: ${warm.stderr}`);
  return target;
}

if (require.main === module) {
  writeCliBundle().then(
    (file) => process.stdout.write(`CLI empaquetada en ${file}\n`),
    (err: unknown) => {
      process.stderr.write(`No se pudo empaquetar la CLI: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
