// Lint: typescript-eslint with type information. Workflow code runs in Temporal's deterministic
// sandbox, so it may not import Node built-ins or I/O libraries, and no promise may float there.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const DETERMINISTIC_PATHS = [
  ...nodeBuiltins.map((name) => ({ name, message: 'Workflow and calendar code is deterministic: no Node built-ins.' })),
  { name: 'nodemailer', message: 'Send mail from an activity.' },
  { name: 'pino', message: 'Use the workflow logger (@temporalio/workflow log).' },
  { name: 'handlebars', message: 'Render templates in an activity.' },
  { name: '@temporalio/activity', message: 'Workflows call activities through proxyActivities.' },
  { name: '@temporalio/client', message: 'Workflows cannot use the client.' },
  { name: '@temporalio/worker', message: 'Workflows cannot use the worker.' },
];

// Everything above store/ (STYLE.md §14).
const HIGHER_LAYERS = ['plans', 'calendar', 'activities', 'workflows', 'client', 'workers', 'cli', 'web', 'mailbox', 'simulation', 'bench'];

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
    files: ['workflows/**/*.ts', 'calendar/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: DETERMINISTIC_PATHS,
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'No Date in deterministic code: use workflow time or ISO dates.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'No Date.now in deterministic code.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'No Math.random in deterministic code.' },
      ],
    },
  },
  {
    // calendar/ is what plans/ builds on (business days, the notice policy, the schedule): the arrow runs one way.
    files: ['calendar/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: DETERMINISTIC_PATHS, patterns: [{ group: ['**/plans', '**/plans/*'], message: 'calendar/ imports nothing from plans/.' }] },
      ],
    },
  },
  {
    // store/ is the bottom layer beside config/: the blob and records engines know files, buckets
    // and tables, never the plan, the mail or the web that put things in them.
    files: ['store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: HIGHER_LAYERS.flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]),
              message: 'store/ imports from config/ and npm packages only; a higher layer passes in what it needs.',
            },
          ],
        },
      ],
    },
  },
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
