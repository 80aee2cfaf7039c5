/**
 * `npm run test:cluster`: the production topology (test/cluster/), apart from `npm test` because it
 * needs the Temporal server built from source and PostgreSQL, and runs for several minutes.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  testTimeout: 45 * 60_000,
  maxWorkers: 1,
  reporters: ['default'],
};
