/**
 * The layers run one way, and lint says so (STYLE.md §14): eslint.config.mjs bars each folder from
 * importing the folders above it. These probes are linted as if they stood in the tree, through
 * ESLint's own API in a child Node (the config is an ES module, which jest's runtime cannot import),
 * with the repository's eslint.config.mjs, so a reversed import is shown to fail and a downward one to pass.
 */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../../config/paths';

interface Probe {
  filePath: string;
  code: string;
}

const LINT_PROBES = `
import { ESLint } from 'eslint';
// Only the import rule runs, without type information: the project service reads files from disk,
// and the probes are not there.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});
const found = [];
for (const probe of JSON.parse(process.argv[1])) {
  const [result] = await eslint.lintText(probe.code, { filePath: probe.filePath });
  found.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal).map((m) => m.message));
}
process.stdout.write(JSON.stringify(found));
`;

/** The no-restricted-imports messages of each probe, in order (a parse failure's message too). */
function restrictedImports(probes: Probe[]): string[][] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_PROBES, JSON.stringify(probes)], { cwd: REPO_ROOT, encoding: 'utf8' });
  return JSON.parse(out) as string[][];
}

let reversed: string[][];
let downward: string[][];

beforeAll(() => {
  [reversed, downward] = [
    restrictedImports([
      { filePath: 'calendar/layer-probe.ts', code: "import { PERIOD_STATUSES } from '../workflows/shared';\nexport const n = PERIOD_STATUSES.length;\n" },
      { filePath: 'activities/digest/layer-probe.ts', code: "import { listPlan } from '../../client/plan-list';\nexport const list = listPlan;\n" },
      { filePath: 'domain/layer-probe.ts', code: "import type { Plan } from '../plans/model';\nexport type P = Plan;\n" },
      { filePath: 'plans/layer-probe.ts', code: "export { checkUpload } from '../activities/evidence/upload-check';\n" },
      { filePath: 'workers/layer-probe.ts', code: "import { hashPassword } from '../web/users';\nexport const hash = hashPassword;\n" },
    ]),
    restrictedImports([
      {
        filePath: 'workflows/layer-probe.ts',
        code: "import { addDays } from '../calendar/days';\nimport type { createActivities } from '../activities';\nexport type A = ReturnType<typeof createActivities>;\nexport const add = addDays;\n",
      },
      {
        filePath: 'activities/layer-probe.ts',
        code: "import type { Client } from '@temporalio/client';\nimport { isClosed } from '../domain/statuses';\nexport type C = Client;\nexport const closed = isClosed;\n",
      },
      { filePath: 'cli/layer-probe.ts', code: "import { hashPassword } from '../web/users';\nexport const hash = hashPassword;\n" },
    ]),
  ];
}, 120_000);

test('calendar code that imports from workflows/ fails lint, naming both folders', () => {
  expect(reversed[0]).toEqual([expect.stringContaining('calendar/ imports nothing from workflows/')]);
});

test('an activity that imports the client fails lint: it gets the plan list in its deps instead', () => {
  expect(reversed[1]).toEqual([expect.stringContaining('activities/ imports nothing from client/')]);
});

test('domain/, the bottom layer, may not import even a type from plans/', () => {
  expect(reversed[2]).toEqual([expect.stringContaining('domain/ imports nothing from plans/')]);
});

test('a re-export counts as an import: plans/ may not hand on what activities/ defines', () => {
  expect(reversed[3]).toEqual([expect.stringContaining('plans/ imports nothing from activities/')]);
});

test('folders of one layer do not import each other: workers/ may not import web/', () => {
  expect(reversed[4]).toEqual([expect.stringContaining('workers/ imports nothing from web/')]);
});

test('imports that run down pass, and an npm package named like a folder (@temporalio/client) is not taken for it', () => {
  expect(downward).toEqual([[], [], []]);
});
