/** What an operator does to running activities: status, evidence, review, extend, cancel, amend, history. */
import type { Command } from 'commander';
import { ACTIVITY_ARGUMENT, AREAS_OPTION, JSON_OPTION, PERIOD_OPTION, PLAN_ARGUMENT } from './options';

/** The actions need a Temporal client; cli/status.ts and cli/activity.ts are loaded only when one runs. */
export function registerActivityCommands(program: Command): void {
  program
    .command('status')
    .description('estado de cada actividad: vencimiento, próximo aviso, evidencias; de una actividad, también por qué su próximo aviso cae ese día')
    .argument('[plan]', 'identificador del plan, p. ej. participacion-ciudadana-2023')
    .argument('[actividad]', 'número de la actividad: su estado completo, con el porqué de su próximo aviso')
    .option('--area <código>', 'solo las actividades de un área')
    .option(...PERIOD_OPTION)
    .option(...JSON_OPTION())
    .action(async (plan: string | undefined, n: string | undefined, opts: { area?: string; period?: string; json?: boolean }) => {
      process.exitCode = await (await import('../status')).statusCommand(plan, n, opts);
    });

  const evidence = program.command('evidence').description('evidencias de las actividades');
  evidence
    .command('submit')
    .description('entrega la evidencia de una actividad: un enlace o un archivo')
    .argument(...PLAN_ARGUMENT)
    .argument(...ACTIVITY_ARGUMENT)
    .option('--url <enlace>', 'enlace http(s) a la evidencia publicada')
    .option('--file <archivo>', 'archivo de evidencia (se guarda con su huella sha256)')
    .option('--note <texto>', 'nota para la oficina de planeación')
    .option(...PERIOD_OPTION)
    .option('--as <área>', 'área que entrega (por defecto, la responsable)')
    .option(...JSON_OPTION())
    .action(async (plan: string, n: string, opts: { url?: string; file?: string; note?: string; period?: string; as?: string; json?: boolean }) => {
      process.exitCode = await (await import('../activity')).evidenceSubmitCommand(plan, n, opts);
    });

  program
    .command('review')
    .description('la oficina de planeación aprueba o rechaza la evidencia en revisión')
    .argument(...PLAN_ARGUMENT)
    .argument(...ACTIVITY_ARGUMENT)
    .option('--approve', 'aprueba la evidencia')
    .option('--reject', 'rechaza la evidencia')
    .option('--reason <texto>', 'motivo (obligatorio al rechazar)')
    .option('--due <fecha>', 'nueva fecha de entrega al rechazar (AAAA-MM-DD)')
    .option(...PERIOD_OPTION)
    .option(...JSON_OPTION())
    .action(async (plan: string, n: string, opts: { approve?: boolean; reject?: boolean; reason?: string; due?: string; period?: string; json?: boolean }) => {
      process.exitCode = await (await import('../activity')).reviewCommand(plan, n, opts);
    });

  program
    .command('extend')
    .description('prorroga la entrega de una actividad y recalcula los avisos pendientes')
    .argument(...PLAN_ARGUMENT)
    .argument(...ACTIVITY_ARGUMENT)
    .requiredOption('--due <fecha>', 'nueva fecha de entrega (AAAA-MM-DD)')
    .requiredOption('--reason <texto>', 'motivo de la prórroga')
    .option(...PERIOD_OPTION)
    .option(...JSON_OPTION())
    .action(async (plan: string, n: string, opts: { due: string; reason: string; period?: string; json?: boolean }) => {
      process.exitCode = await (await import('../activity')).extendCommand(plan, n, opts);
    });

  program
    .command('cancel')
    .description('cancela una actividad (o un periodo) y avisa al área')
    .argument(...PLAN_ARGUMENT)
    .argument(...ACTIVITY_ARGUMENT)
    .requiredOption('--reason <texto>', 'motivo de la cancelación')
    .option(...PERIOD_OPTION)
    .option(...JSON_OPTION())
    .action(async (plan: string, n: string, opts: { reason: string; period?: string; json?: boolean }) => {
      process.exitCode = await (await import('../activity')).cancelCommand(plan, n, opts);
    });

  program
    .command('amend')
    .description('cambia el nombre, los responsables o el entregable de una actividad en curso')
    .argument(...PLAN_ARGUMENT)
    .argument(...ACTIVITY_ARGUMENT)
    .option('--title <texto>', 'nuevo nombre')
    .option('--responsible <áreas>', 'nuevas áreas responsables, separadas por comas (la primera lidera)')
    .option('--deliverable <texto>', 'nuevo entregable')
    .requiredOption('--reason <texto>', 'motivo del cambio')
    .option(...PERIOD_OPTION)
    .option(...AREAS_OPTION)
    .option(...JSON_OPTION())
    .action(
      async (
        plan: string,
        n: string,
        opts: { title?: string; responsible?: string; deliverable?: string; reason: string; period?: string; areas?: string; json?: boolean },
      ) => {
        process.exitCode = await (await import('../activity')).amendCommand(plan, n, opts);
      },
    );

  program
    .command('history')
    .description('la historia de una actividad leída de su flujo: avisos, evidencias, revisiones (auditoría)')
    .argument(...PLAN_ARGUMENT)
    .argument(...ACTIVITY_ARGUMENT)
    .option(...PERIOD_OPTION)
    .option(...JSON_OPTION())
    .action(async (plan: string, n: string, opts: { period?: string; json?: boolean }) => {
      process.exitCode = await (await import('../activity')).historyCommand(plan, n, opts);
    });
}
