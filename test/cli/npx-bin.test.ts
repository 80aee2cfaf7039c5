/**
 * `npx plazos ...` from the repository root: npm (7 and later) runs the root package's own `bin`
 * without installing anything. npm is told to stay offline, so the test proves it is the local
 * bin/plazos.js that answers, not a package fetched from the registry.
 */
import { spawnSync } from 'node:child_process';
import { buildCli, cliEnv, REPO, SEED } from './helpers';

beforeAll(buildCli);

it('`npx plazos plan validate` on the seed works offline from the repository root', () => {
  const r = spawnSync('npx', ['--no-install', 'plazos', 'plan', 'validate', SEED], {
    cwd: REPO,
    env: cliEnv({ npm_config_offline: 'true', npm_config_update_notifier: 'false' }),
    encoding: 'utf8',
  });
  expect(r.error).toBeUndefined();
  // npm 11.17 (Node 24.19's) warns of a `nodedir` in the user's npmrc, a key it does not know (npm
  // 11.19 does); those lines are npm's own, and plazos must still write nothing to stderr.
  const stderr = r.stderr
    .split('\n')
    .filter((line) => line && !/^npm warn Unknown (user|env) config "nodedir"\./.test(line))
    .join('\n');
  expect({ status: r.status, stderr }).toEqual({ status: 0, stderr: '' });
  expect(r.stdout).toContain('Plan "Formulación Plan de Participación Ciudadana 2023": 19 actividades válidas. (0 errores, 9 advertencias)');
});
