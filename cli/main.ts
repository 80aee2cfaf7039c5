/**
 * The `plazos` command. Each group lives in its own file and is loaded only when used, so that
 * `plazos plan validate` does not pay for the Temporal client at start-up.
 */
import { Command, CommanderError } from 'commander';
import { registerActivityCommands } from './commands/activity';
import { registerPlanCommands } from './commands/plan';
import { registerSystemCommands } from './commands/system';
import { usePrivateUmask } from '../config/private-files';
import { CliError, EXIT } from '../domain/errors';
import { t } from './i18n';

function usageMessage(err: CommanderError): string {
  const m = t();
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'commander.unknownOption':
      return m.unknownOption(quoted);
    case 'commander.unknownCommand':
      return m.unknownCommand(quoted);
    case 'commander.missingArgument':
      return m.missingArgument(quoted);
    case 'commander.optionMissingArgument':
      return m.optionMissingArgument(quoted);
    case 'commander.missingMandatoryOptionValue':
      return m.missingOption(quoted);
    case 'commander.excessArguments':
      return m.excessArguments();
    default:
      return m.invalidArgument(err.message.replace(/^error: /, ''));
  }
}

export function buildProgram(): Command {
  const program = new Command('plazos')
    .description('Planes anuales como flujos durables de Temporal: avisos, recordatorios, escalamientos y evidencias.')
    .helpOption('-h, --help', 'muestra esta ayuda')
    .helpCommand('help [orden]', 'muestra la ayuda de una orden')
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined });

  registerPlanCommands(program);
  registerActivityCommands(program);
  registerSystemCommands(program);

  return program;
}

/**
 * A reader that stops early (`plazos plan preview plan.txt | head`) closes the pipe: that is not
 * a failure of plazos, so stop quietly instead of dying on EPIPE with a stack trace.
 */
function stopQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? EXIT.ok);
  });
}

export async function main(argv: string[] = process.argv): Promise<void> {
  stopQuietlyWhenStdoutCloses();
  // What any command writes (the data directory, a report it is asked for) is the user's alone.
  usePrivateUmask();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') {
        process.exitCode = EXIT.ok;
        return;
      }
      process.stderr.write(`${t().usage(usageMessage(err))}\n`);
      process.exitCode = EXIT.usage;
    } else if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`${t().internal(err instanceof Error ? err.message : String(err))}\n`);
      if (process.env.PLAZOS_DEBUG) console.error(err);
      process.exitCode = EXIT.usage;
    }
  }
}
