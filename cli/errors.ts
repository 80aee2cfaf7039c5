// Defined in domain/errors.ts, which client/connect.ts throws from too; the operator's commands
// (operate.ts and the start, status and activity files split from it) still import it here.
export { CliError, EXIT } from '../domain/errors';
