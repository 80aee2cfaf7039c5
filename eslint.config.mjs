// Lint: typescript-eslint with type information. Workflow code runs in Temporal's deterministic
// sandbox, so it may not import Node built-ins or I/O libraries, and no promise may float there.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const DETERMINISTIC_PATHS = [
  ...nodeBuiltins.map((name) => ({ name, message: 'Workflow, calendar and domain code is deterministic: no Node built-ins.' })),
  { name: 'nodemailer', message: 'Send mail from an activity.' },
  { name: 'pino', message: 'Use the workflow logger (@temporalio/workflow log).' },
  { name: 'handlebars', message: 'Render templates in an activity.' },
  { name: '@temporalio/activity', message: 'Workflows call activities through proxyActivities.' },
  { name: '@temporalio/client', message: 'Workflows cannot use the client.' },
  { name: '@temporalio/worker', message: 'Workflows cannot use the worker.' },
];

// The layers, bottom up (STYLE.md §14). A folder imports only from the layers below its own: a lower
// layer that needs something of a higher one receives it (a dependency passed to createActivities, a
// function argument). Folders that share a layer do not import each other either.
const LAYERS = [
  ['domain'], // shared pure rules: statuses, labels, workflow IDs, the listed workflow, exit codes
  ['calendar'], // business days and the notice schedule
  ['plans'], // the plan model, the areas directory's schema, the importers and the checks of untrusted files
  ['config'], // loads the areas and calendar files through the plan readers
  ['store'], // records and blobs, on config/
  ['activities'], // built from the deps the worker passes in
  ['workflows'], // import the activities as types only (STYLE.md §2)
  ['client'], // starts, lists and asks workflows
  ['mailbox'], // what a reply means; run by workers/mailbox.ts
  ['workers', 'web'], // the processes: the worker and the mailbox reader; the web app
  ['simulation'], // runs a worker and the servers it needs
  ['cli'], // every command, `plazos up` and `plazos simulate` among them
  ['bench'],
];

/** Folders a file in `dir` may not import: every higher layer, and the others of its own. */
function importsBarredFor(dir) {
  const rank = LAYERS.findIndex((layer) => layer.includes(dir));
  return LAYERS.slice(rank)
    .flat()
    .filter((other) => other !== dir);
}

// store/ knows files, buckets and tables, never the plan that put things in them, though plans/ is lower.
const ALSO_BARRED = { store: ['plans', 'calendar'] };

/** One pattern per barred folder; `regex` rather than a glob so '@temporalio/client' is not taken for client/. */
function layerPatterns(dir) {
  return [...importsBarredFor(dir), ...(ALSO_BARRED[dir] ?? [])].map((other) => ({
    regex: `^(\\.\\./)+${other}(/|$)`,
    message: `${dir}/ imports nothing from ${other}/, which is not below it (STYLE.md §14): receive what is needed (a dep, an argument) or move the shared piece down.`,
  }));
}

const DETERMINISTIC_DIRS = ['domain', 'calendar', 'workflows'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.data/', 'coverage/', 'test-artifacts/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // domain/ is read by workflow code too.
    files: DETERMINISTIC_DIRS.map((dir) => `${dir}/**/*.ts`),
    rules: {
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'No Date in deterministic code: use workflow time or ISO dates.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'No Date.now in deterministic code.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'No Math.random in deterministic code.' },
      ],
    },
  },
  // One block per folder, since a later block's options for a rule replace an earlier one's: the
  // layer patterns, and for deterministic code the Node built-ins and I/O libraries as well.
  ...LAYERS.flat().map((dir) => ({
    files: [`${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { ...(DETERMINISTIC_DIRS.includes(dir) ? { paths: DETERMINISTIC_PATHS } : {}), patterns: layerPatterns(dir) }],
    },
  })),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
