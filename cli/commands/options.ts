/**
 * The options and arguments many commands share, written once: the same flag reads the same way
 * (and is described the same way in --help) on every command that takes it.
 */
export const AREAS_OPTION = ['--areas <archivo>', 'directorio de áreas (por defecto PLAZOS_AREAS o config/areas.yaml)'] as const;
export const PERIOD_OPTION = ['--period <AAAA-MM>', 'periodo, para actividades periódicas'] as const;
export const PLAN_ARGUMENT = ['<plan>', 'identificador del plan'] as const;
export const ACTIVITY_ARGUMENT = ['<actividad>', 'número de la actividad'] as const;

/** `--json`, saying what shape the output has when it is worth saying. */
export function JSON_OPTION(shape?: string): [string, string] {
  return ['--json', shape ? `salida JSON: ${shape}` : 'salida JSON'];
}
