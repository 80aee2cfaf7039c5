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
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  expect(r.stdout).toContain('Plan "Formulación Plan de Participación Ciudadana 2023": 19 actividades válidas. (0 errores, 9 advertencias)');
});
