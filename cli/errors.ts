// Defined in domain/errors.ts, which client/connect.ts throws from too; cli/operate.ts still imports it here.
export { CliError, EXIT } from '../domain/errors';
