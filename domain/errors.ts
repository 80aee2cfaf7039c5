/**
 * Exit codes every plazos command keeps, so scripts can tell outcomes apart, and the failure a user
 * can fix. Below every other folder: the client throws it when Temporal cannot be reached, and the
 * CLI (and `plazos up`, which starts the web app) prints it.
 */
export const EXIT = {
  ok: 0,
  /** The input was read but refused: a plan with errors, an update the workflow rejected. */
  refused: 1,
  /** The command line was wrong, or a file could not be read. */
  usage: 2,
  /** Temporal could not be reached. */
  unreachable: 3,
} as const;

/** A failure the user can fix, with a message for them; never shown with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
