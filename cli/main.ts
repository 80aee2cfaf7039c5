/**
 * The `plazos` command. Each group lives in its own file and is loaded only when used, so that
 * `plazos plan validate` does not pay for the Temporal client at start-up.
 */
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './errors';
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

  const plan = program.command('plan').description('importar, validar y previsualizar planes');
  plan
    .command('validate')
    .description('valida un plan (TSV como el de ejemplo, CSV, XLSX o YAML) e informa errores y advertencias')
    .argument('<archivo>', 'el plan')
    .option('--areas <archivo>', 'directorio de áreas (por defecto PLAZOS_AREAS o config/areas.yaml)')
    .option('--json', 'salida JSON: { plan, errors, warnings }')
    .action(async (file: string, opts: { areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('./plan')).validateCommand(file, opts);
    });
  plan
    .command('import')
    .description('importa un plan y lo escribe como YAML canónico')
    .argument('<archivo>', 'el plan')
    .requiredOption('-o, --output <archivo>', 'el YAML a escribir')
    .option('--areas <archivo>', 'directorio de áreas')
    .option('--id <slug>', 'identificador del plan (por defecto se deriva del título)')
    .option('--json', 'salida JSON')
    .action(async (file: string, opts: { output: string; areas?: string; id?: string; json?: boolean }) => {
      process.exitCode = await (await import('./plan')).importCommand(file, opts);
    });
  plan
    .command('rollover')
    .description('prepara el plan del año siguiente: las mismas actividades, con las fechas en el año nuevo y en días hábiles')
    .argument('<archivo>', 'el plan de este año')
    .option('--year <año>', 'el año del plan nuevo, p. ej. 2024')
    .option('--start-on <fecha>', 'corre todo el plan para que su primera fecha inicial sea esta (AAAA-MM-DD)')
    .option('-o, --output <archivo>', 'el YAML a escribir (sin -o, se escribe en la salida estándar)')
    .option('--areas <archivo>', 'directorio de áreas')
    .option('--json', 'salida JSON: { plan, warnings }')
    .action(async (file: string, opts: { year?: string; startOn?: string; output?: string; areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('./rollover')).rolloverCommand(file, opts);
    });
  plan
    .command('preview')
    .description('lista los avisos que enviará cada actividad si no llega evidencia')
    .argument('<archivo>', 'el plan')
    .option('--areas <archivo>', 'directorio de áreas')
    .option('--json', 'salida JSON: { notifications: [...] }')
    .action(async (file: string, opts: { areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('./plan')).previewCommand(file, opts);
    });

  const collect = (value: string, previous: string[]) => [...previous, value];
  plan
    .command('simulate')
    .description('ensayo del año completo con los flujos reales en el servidor de pruebas de Temporal (el tiempo se adelanta)')
    .argument('<archivo>', 'el plan')
    .option('--areas <archivo>', 'directorio de áreas')
    .option('--json', 'salida JSON: { notifications, outcomes, notes }')
    .option('--submit <N=fecha>', 'el área entrega evidencia de la actividad N ese día (repetible)', collect, [])
    .option('--reject <N=fecha>', 'la oficina de planeación rechaza esa evidencia y fija esta nueva fecha (repetible)', collect, [])
    .action(async (file: string, opts: { areas?: string; json?: boolean; submit: string[]; reject: string[] }) => {
      process.exitCode = await (await import('./simulate')).simulateCommand(file, opts);
    });

  plan
    .command('start')
    .description('inicia un flujo de Temporal por actividad (idempotente: lo ya iniciado no se repite)')
    .argument('<archivo>', 'el plan')
    .option('--areas <archivo>', 'directorio de áreas')
    .option('--json', 'salida JSON')
    .action(async (file: string, opts: { areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('./operate')).startCommand(file, opts);
    });

  program
    .command('status')
    .description('estado de cada actividad: vencimiento, próximo aviso y por qué, evidencias')
    .argument('[plan]', 'identificador del plan, p. ej. participacion-ciudadana-2023')
    .option('--area <código>', 'solo las actividades de un área')
    .option('--json', 'salida JSON')
    .action(async (plan: string | undefined, opts: { area?: string; json?: boolean }) => {
      process.exitCode = await (await import('./operate')).statusCommand(plan, opts);
    });

  const evidence = program.command('evidence').description('evidencias de las actividades');
  evidence
    .command('submit')
    .description('entrega la evidencia de una actividad: un enlace o un archivo')
    .argument('<plan>', 'identificador del plan')
    .argument('<actividad>', 'número de la actividad')
    .option('--url <enlace>', 'enlace http(s) a la evidencia publicada')
    .option('--file <archivo>', 'archivo de evidencia (se guarda con su huella sha256)')
    .option('--note <texto>', 'nota para la oficina de planeación')
    .option('--period <AAAA-MM>', 'periodo, para actividades periódicas')
    .option('--as <área>', 'área que entrega (por defecto, la responsable)')
    .option('--json', 'salida JSON')
    .action(async (plan: string, n: string, opts: { url?: string; file?: string; note?: string; period?: string; as?: string; json?: boolean }) => {
      process.exitCode = await (await import('./operate')).evidenceSubmitCommand(plan, n, opts);
    });

  program
    .command('review')
    .description('la oficina de planeación aprueba o rechaza la evidencia en revisión')
    .argument('<plan>', 'identificador del plan')
    .argument('<actividad>', 'número de la actividad')
    .option('--approve', 'aprueba la evidencia')
    .option('--reject', 'rechaza la evidencia')
    .option('--reason <texto>', 'motivo (obligatorio al rechazar)')
    .option('--due <fecha>', 'nueva fecha de entrega al rechazar (AAAA-MM-DD)')
    .option('--period <AAAA-MM>', 'periodo, para actividades periódicas')
    .option('--json', 'salida JSON')
    .action(async (plan: string, n: string, opts: { approve?: boolean; reject?: boolean; reason?: string; due?: string; period?: string; json?: boolean }) => {
      process.exitCode = await (await import('./operate')).reviewCommand(plan, n, opts);
    });

  program
    .command('extend')
    .description('prorroga la entrega de una actividad y recalcula los avisos pendientes')
    .argument('<plan>', 'identificador del plan')
    .argument('<actividad>', 'número de la actividad')
    .requiredOption('--due <fecha>', 'nueva fecha de entrega (AAAA-MM-DD)')
    .requiredOption('--reason <texto>', 'motivo de la prórroga')
    .option('--period <AAAA-MM>', 'periodo, para actividades periódicas')
    .option('--json', 'salida JSON')
    .action(async (plan: string, n: string, opts: { due: string; reason: string; period?: string; json?: boolean }) => {
      process.exitCode = await (await import('./operate')).extendCommand(plan, n, opts);
    });

  program
    .command('cancel')
    .description('cancela una actividad (o un periodo) y avisa al área')
    .argument('<plan>', 'identificador del plan')
    .argument('<actividad>', 'número de la actividad')
    .requiredOption('--reason <texto>', 'motivo de la cancelación')
    .option('--period <AAAA-MM>', 'periodo, para actividades periódicas')
    .option('--json', 'salida JSON')
    .action(async (plan: string, n: string, opts: { reason: string; period?: string; json?: boolean }) => {
      process.exitCode = await (await import('./operate')).cancelCommand(plan, n, opts);
    });

  program
    .command('amend')
    .description('cambia el nombre, los responsables o el entregable de una actividad en curso')
    .argument('<plan>', 'identificador del plan')
    .argument('<actividad>', 'número de la actividad')
    .option('--title <texto>', 'nuevo nombre')
    .option('--responsible <áreas>', 'nuevas áreas responsables, separadas por comas (la primera lidera)')
    .option('--deliverable <texto>', 'nuevo entregable')
    .requiredOption('--reason <texto>', 'motivo del cambio')
    .option('--period <AAAA-MM>', 'periodo, para actividades periódicas')
    .option('--areas <archivo>', 'directorio de áreas')
    .option('--json', 'salida JSON')
    .action(async (plan: string, n: string, opts: { title?: string; responsible?: string; deliverable?: string; reason: string; period?: string; areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('./operate')).amendCommand(plan, n, opts);
    });

  program
    .command('history')
    .description('la historia de una actividad leída de su flujo: avisos, evidencias, revisiones (auditoría)')
    .argument('<plan>', 'identificador del plan')
    .argument('<actividad>', 'número de la actividad')
    .option('--period <AAAA-MM>', 'periodo, para actividades periódicas')
    .option('--json', 'salida JSON')
    .action(async (plan: string, n: string, opts: { period?: string; json?: boolean }) => {
      process.exitCode = await (await import('./operate')).historyCommand(plan, n, opts);
    });

  program
    .command('up')
    .description('levanta todo en este equipo: servidor de Temporal, bandeja de correo de prueba y worker')
    .option('--demo', 'además inicia el plan de ejemplo, movido para empezar hoy')
    .action(async (opts: { demo?: boolean }) => {
      process.exitCode = await (await import('./up')).upCommand(opts);
    });

  const web = program.command('web').description('la aplicación web de OAPLA');
  web
    .command('hash-password')
    .description('hash scrypt de la contraseña de un usuario de OAPLA (la lee de la entrada estándar)')
    .option('--user <usuario>', 'imprime la entrada completa para config/oapla-users.yaml')
    .action(async (opts: { user?: string }) => {
      process.exitCode = await (await import('./web')).hashPasswordCommand(opts);
    });

  const calendar = program.command('calendar').description('calendario de días hábiles de Colombia');
  calendar
    .command('holidays')
    .description('festivos nacionales (con la ley que crea cada uno) y días no laborables de la entidad')
    .argument('<año>', 'el año, p. ej. 2024')
    .option('--json', 'salida JSON: [{ date, name, law, kind }]')
    .action(async (year: string, opts: { json?: boolean }) => {
      process.exitCode = await (await import('./calendar')).holidaysCommand(year, opts);
    });
  calendar
    .command('apply')
    .description('lleva el calendario vigente (festivos por ley y días de la entidad) a las actividades en curso de los planes')
    .argument('[planes...]', 'identificadores de los planes; sin ninguno, todos los planes en curso')
    .option('--json', 'salida JSON: por plan, el resultado de cada flujo y los avisos movidos')
    .action(async (plans: string[], opts: { json?: boolean }) => {
      process.exitCode = await (await import('./calendar')).applyCommand(plans, opts);
    });

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
