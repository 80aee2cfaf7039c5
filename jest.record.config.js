/** `npm run record-histories`: records test/replay/histories/ from test/replay/scenarios.ts. */
const base = require('./jest.config');
module.exports = { ...base, testMatch: ['**/test/replay/record.ts'], reporters: ['default'] };
