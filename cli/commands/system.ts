/** The machinery around plans: `up`, the web app's helpers and the calendar. */
import type { Command } from 'commander';
import { JSON_OPTION } from './options';

/** `plazos up`, `plazos web …` and `plazos calendar …`. */
export function registerSystemCommands(program: Command): void {
  program
    .command('up')
    .description('levanta todo en este equipo: servidor de Temporal, bandeja de correo de prueba y worker')
    .option('--demo', 'además inicia una demostración: el plan de ejemplo a mitad de su año, con actividades en cada estado')
    .action(async (opts: { demo?: boolean }) => {
      process.exitCode = await (await import('../up')).upCommand(opts);
    });

  const web = program.command('web').description('la aplicación web de OAPLA');
  web
    .command('hash-password')
    .description('hash scrypt de la contraseña de un usuario de OAPLA (la lee de la entrada estándar)')
    .option('--user <usuario>', 'imprime la entrada completa para config/oapla-users.yaml')
    .action(async (opts: { user?: string }) => {
      process.exitCode = await (await import('../web')).hashPasswordCommand(opts);
    });

  const calendar = program.command('calendar').description('calendario de días hábiles de Colombia');
  calendar
    .command('holidays')
    .description('festivos nacionales (con la ley que crea cada uno) y días no laborables de la entidad')
    .argument('<año>', 'el año, p. ej. 2024')
    .option(...JSON_OPTION('[{ date, name, law, kind }]'))
    .action(async (year: string, opts: { json?: boolean }) => {
      process.exitCode = await (await import('../calendar')).holidaysCommand(year, opts);
    });
  calendar
    .command('apply')
    .description('lleva el calendario vigente (festivos por ley y días de la entidad) a las actividades en curso de los planes')
    .argument('[planes...]', 'identificadores de los planes; sin ninguno, todos los planes en curso')
    .option(...JSON_OPTION('por plan, el resultado de cada flujo y los avisos movidos'))
    .action(async (plans: string[], opts: { json?: boolean }) => {
      process.exitCode = await (await import('../calendar')).applyCommand(plans, opts);
    });
}
