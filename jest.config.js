/** Jest runs the TypeScript sources directly; integration tests start real servers, so they get time. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // colombian-holidays requires `pascua`, which ships only as an ES module; Node loads it with
    // require(esm), jest's module system does not, so jest compiles that one package to CommonJS.
    // @fastify/cookie loads the ES module `cookie` 2 with import(), which jest's CommonJS runtime
    // cannot do without --experimental-vm-modules: both are compiled to CommonJS the same way.
    // oauth4webapi (the OAuth client of activities/email/oauth-token.ts) and jose (which signs the
    // Google service account's assertion) ship only as ES modules too, as does openid-client (the
    // dashboard's sign-in with the entity's account, web/oidc.ts).
    '/node_modules/(pascua|@fastify/cookie|oauth4webapi|jose|openid-client)/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!pascua/|@fastify/cookie/|cookie/|oauth4webapi/|jose/|openid-client/)'],
  testTimeout: 120_000,
  // Temporal servers and workers are heavy; two cores do not gain from many parallel files.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
