/** `plazos plan …`: read, check, preview, simulate, roll over and start a plan. */
import type { Command } from 'commander';
import { AREAS_OPTION, JSON_OPTION } from './options';

/** Each action loads its module when it runs, so `plan validate` pays only for reading a plan. */
export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('importar, validar y previsualizar planes');
  plan
    .command('validate')
    .description('valida un plan (TSV como el de ejemplo, CSV, XLSX o YAML) e informa errores y advertencias')
    .argument('<archivo>', 'el plan')
    .option(...AREAS_OPTION)
    .option(...JSON_OPTION('{ plan, errors, warnings }'))
    .action(async (file: string, opts: { areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('../plan')).validateCommand(file, opts);
    });
  plan
    .command('import')
    .description('importa un plan y lo escribe como YAML canónico')
    .argument('<archivo>', 'el plan')
    .requiredOption('-o, --output <archivo>', 'el YAML a escribir')
    .option(...AREAS_OPTION)
    .option('--id <slug>', 'identificador del plan (por defecto se deriva del título)')
    .option(...JSON_OPTION())
    .action(async (file: string, opts: { output: string; areas?: string; id?: string; json?: boolean }) => {
      process.exitCode = await (await import('../plan')).importCommand(file, opts);
    });
  plan
    .command('rollover')
    .description('prepara el plan del año siguiente: las mismas actividades, con las fechas en el año nuevo y en días hábiles')
    .argument('<archivo>', 'el plan de este año')
    .option('--year <año>', 'el año del plan nuevo, p. ej. 2024')
    .option('--start-on <fecha>', 'corre todo el plan para que su primera fecha inicial sea esta (AAAA-MM-DD)')
    .option('-o, --output <archivo>', 'el YAML a escribir (sin -o, se escribe en la salida estándar)')
    .option(...AREAS_OPTION)
    .option(...JSON_OPTION('{ plan, warnings }'))
    .action(async (file: string, opts: { year?: string; startOn?: string; output?: string; areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('../rollover')).rolloverCommand(file, opts);
    });
  plan
    .command('preview')
    .description('lista los avisos que enviará cada actividad si no llega evidencia')
    .argument('<archivo>', 'el plan')
    .option(...AREAS_OPTION)
    .option(...JSON_OPTION('{ notifications: [...] }'))
    .action(async (file: string, opts: { areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('../plan')).previewCommand(file, opts);
    });

  const collect = (value: string, previous: string[]) => [...previous, value];
  plan
    .command('simulate')
    .description('ensayo del año completo con los flujos reales en el servidor de pruebas de Temporal (el tiempo se adelanta)')
    .argument('<archivo>', 'el plan')
    .option(...AREAS_OPTION)
    .option(...JSON_OPTION('{ notifications, outcomes, notes }'))
    .option('--submit <N=fecha>', 'el área entrega evidencia de la actividad N ese día (repetible)', collect, [])
    .option('--reject <N=fecha>', 'la oficina de planeación rechaza esa evidencia y fija esta nueva fecha (repetible)', collect, [])
    .action(async (file: string, opts: { areas?: string; json?: boolean; submit: string[]; reject: string[] }) => {
      process.exitCode = await (await import('../simulate')).simulateCommand(file, opts);
    });

  plan
    .command('start')
    .description('inicia un flujo de Temporal por actividad (idempotente: lo ya iniciado no se repite)')
    .argument('<archivo>', 'el plan')
    .option(...AREAS_OPTION)
    .option(...JSON_OPTION())
    .action(async (file: string, opts: { areas?: string; json?: boolean }) => {
      process.exitCode = await (await import('../start')).startCommand(file, opts);
    });
}
