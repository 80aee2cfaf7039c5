/** The machinery around plans: `up`, the web app's helpers and the calendar. */
import type { Command } from 'commander';
import { AREAS_OPTION, JSON_OPTION } from './options';

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

  const data = program.command('data').description('los almacenes de plazos (registros y archivos)');
  data
    .command('migrate')
    .description('copia a los almacenes lo que una versión anterior guardaba en archivos del directorio de datos (se hace solo al primer arranque)')
    .option(...JSON_OPTION('{ sent, replies, mailbox, cuts, evidence }: { copied, present, refused } de cada parte'))
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await (await import('../data')).migrateCommand(opts);
    });

  const mail = program.command('mail').description('el correo de la entidad: envío (SMTP) y buzón de respuestas (IMAP)');
  mail
    .command('check')
    .description(
      'inicia sesión en el servidor SMTP como el worker y, si PLAZOS_IMAP_URL está definida, en el buzón de respuestas; dice qué cambiar si algo falla',
    )
    .option('--to <dirección>', 'además envía un mensaje de prueba a esta dirección')
    .option(...JSON_OPTION('{ ok, imapChecked, steps: [{ step, server, to?, ok, failure?: { code, es, en, fix } }] }'))
    .action(async (opts: { to?: string; json?: boolean }) => {
      process.exitCode = await (await import('../mail')).checkCommand(opts);
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
  const feed = calendar.command('feed').description('calendarios privados de fechas límite a los que un área (o OAPLA, con all) se suscribe');
  feed
    .command('create')
    .description('crea la dirección de un calendario y la muestra una sola vez')
    .requiredOption('--area <código>', 'el código del área, p. ej. ARCOM, o all para todos los planes')
    .option(...AREAS_OPTION)
    .option(...JSON_OPTION('{ id, scope, createdAt, revokedAt, url, webcal }'))
    .action(async (opts: { area: string; areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('../calendar-feed')).createFeedCommand(opts);
    });
  feed
    .command('list')
    .description('los calendarios creados, activos y revocados (sin sus direcciones, que no se guardan)')
    .option(...JSON_OPTION('[{ id, scope, createdAt, revokedAt }]'))
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await (await import('../calendar-feed')).listFeedsCommand(opts);
    });
  feed
    .command('revoke')
    .description('revoca un calendario: su dirección deja de responder')
    .argument('<id>', 'el id que muestran create y list')
    .option(...JSON_OPTION('{ id, revoked }'))
    .action(async (id: string, opts: { json?: boolean }) => {
      process.exitCode = await (await import('../calendar-feed')).revokeFeedCommand(id, opts);
    });

  const report = program
    .command('report')
    .description('informes de seguimiento a los cortes del plan (30 de abril, 31 de agosto y 31 de diciembre, Decreto 124 de 2016)');
  report
    .command('cut')
    .description('escribe el informe de un corte: el conservado en el corte o, si no lo hay, uno reconstruido que lo dice')
    .argument('<plan>', 'identificador del plan, p. ej. participacion-ciudadana-2023')
    .requiredOption('--cut <fecha>', 'la fecha del corte, AAAA-MM-DD (p. ej. 2023-04-30)')
    .option('--format <formato>', 'csv, xlsx o pdf (por defecto, la extensión de --out)')
    .requiredOption('-o, --out <archivo>', 'el archivo a escribir')
    .option(...JSON_OPTION('{ plan, cut, format, out, kept, rows, deadline }'))
    .action(async (plan: string, opts: { cut: string; format?: string; out: string; json?: boolean }) => {
      process.exitCode = await (await import('../report')).cutCommand(plan, opts);
    });
  report
    .command('cuts')
    .description('los cortes del plan, la fecha límite de publicación de cada uno y cuáles tienen informe conservado')
    .argument('<plan>', 'identificador del plan')
    .option('--year <año>', 'el año (por defecto, el del plan o el actual)')
    .option(...JSON_OPTION('{ plan, scheduled, scheduleId, cuts: [{ cut, deadline, kept }] }'))
    .action(async (plan: string, opts: { year?: string; json?: boolean }) => {
      process.exitCode = await (await import('../report')).cutsCommand(plan, opts);
    });
  report
    .command('run')
    .description('genera ahora el informe de un corte que la programación no tomó (p. ej. el servidor estuvo apagado) y lo envía')
    .argument('<plan>', 'identificador del plan')
    .requiredOption('--cut <fecha>', 'la fecha del corte, AAAA-MM-DD')
    .option(...JSON_OPTION('{ cut, rows, messageId }'))
    .action(async (plan: string, opts: { cut: string; json?: boolean }) => {
      process.exitCode = await (await import('../report')).runCutCommand(plan, opts);
    });
}
