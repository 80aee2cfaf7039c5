/**
 * CLI messages. Spanish (es-CO) is the plan's language; English is the second locale, chosen with
 * PLAZOS_LANG=en only: LANG is not read, because an administrator's English desktop must not turn
 * the messages a planner reads into English. Messages are functions so values are inserted by
 * code, never by compiling user text into a template.
 */
export type CliLocale = 'es' | 'en';

export function cliLocale(env: NodeJS.ProcessEnv = process.env): CliLocale {
  const lang = env.PLAZOS_LANG ?? '';
  return lang.toLowerCase().startsWith('en') ? 'en' : 'es';
}

const messages = {
  es: {
    usage: (detail: string) => `Uso incorrecto: ${detail}\nConsulte "plazos --help".`,
    unknownOption: (opt: string) => `opción desconocida ${opt}`,
    unknownCommand: (cmd: string) => `orden desconocida ${cmd}`,
    missingArgument: (arg: string) => `falta el argumento ${arg}`,
    optionMissingArgument: (opt: string) => `la opción ${opt} necesita un valor`,
    missingOption: (opt: string) => `falta la opción obligatoria ${opt}`,
    excessArguments: () => 'sobran argumentos',
    invalidArgument: (detail: string) => `argumento inválido: ${detail}`,
    badPlanId: (id: string, max: number) => `--id ${JSON.stringify(id)}: el identificador del plan va en minúsculas, números y guiones (p. ej. participacion-ciudadana-2024), hasta ${max} caracteres`,
    unreadable: (file: string, why: string) => `No se pudo leer ${file}: ${why}`,
    unwritable: (file: string, why: string) => `No se pudo escribir ${file}: ${why}.`,
    writeProblem: { ENOENT: 'la carpeta no existe', EACCES: 'no hay permiso para escribir allí', EISDIR: 'es una carpeta', other: 'error de escritura' },
    internal: (why: string) => `Error interno de plazos: ${why}\nPor favor repórtelo con la orden que ejecutó.`,
    errorsFound: (n: number) => `${n} ${n === 1 ? 'error' : 'errores'}`,
    warningsFound: (n: number) => `${n} ${n === 1 ? 'advertencia' : 'advertencias'}`,
    planOk: (title: string, n: number) => `Plan "${title}": ${n} actividades válidas.`,
    planHasErrors: (title: string) => `El plan "${title}" tiene errores; corríjalos antes de iniciarlo.`,
    nothingRead: 'No se pudo leer ningún plan del archivo.',
    areasRefused: 'El plan no se revisó: corrija primero el directorio de áreas.',
    line: 'línea',
    activity: 'actividad',
    error: 'ERROR',
    warning: 'AVISO',
    written: (file: string) => `Plan escrito en ${file}.`,
    year: (value: string) => `año inválido "${value}": se espera un número como 2024`,
    yearOutOfRange: (value: string, first: number, last: number) =>
      `no hay calendario de festivos para ${value}: cubre de ${first} (la Ley 51 de 1983 rige desde ese año) a ${last}`,
    activityDate: (option: string, value: string) => `${option} "${value}": se espera ACTIVIDAD=AAAA-MM-DD, p. ej. ${option} 13=2023-06-20`,
    rolloverNeedsYearOrStart: () => 'indique el año del plan nuevo con --year AAAA, o su primera fecha inicial con --start-on AAAA-MM-DD',
    rolloverYear: (value: string) => `--year "${value}": se espera un año de cuatro cifras, p. ej. --year 2024`,
    rolloverYearRange: (value: string, first: number, last: number) => `--year ${value}: el año de un plan va de ${first} a ${last}`,
    rolloverDate: (value: string) => `--start-on "${value}": se espera una fecha real AAAA-MM-DD, p. ej. --start-on 2024-01-15`,
    rolloverSameYear: (year: number) => `--year ${year} es el año del plan actual: indique el del plan nuevo, p. ej. --year ${year + 1}`,
    rolloverNoActivities: (date: string) => `--start-on ${date}: el plan no tiene actividades de las que tomar la primera fecha inicial; use --year`,
    rolloverStartOutOfRange: (date: string, year: number, first: number, last: number) =>
      `--start-on ${date} deja el plan en el año ${year}, y el año de un plan va de ${first} a ${last}`,
    rolloverInconsistent: (year: number, date: string, derived: number) =>
      `--year ${year} no concuerda con --start-on ${date}: empezando ese día, el plan queda en el año ${derived}. Use solo una de las dos opciones, o hágalas coincidir`,
    rolloverRefused: (title: string) => `El plan "${title}" tiene errores: corríjalos antes de preparar el del año siguiente. No se escribió nada.`,
    rolloverSummary: (title: string, id: string, n: number, warnings: string) => `Plan nuevo "${title}" (${id}): ${n} actividades, ${warnings}.`,
    calendarApplied: (plan: string, total: number, updated: number, unchanged: number) =>
      `${plan}: ${total} ${total === 1 ? 'flujo en curso' : 'flujos en curso'}; ${updated} con el calendario nuevo, ${unchanged} ya al día.`,
    calendarNoPlans: 'No hay flujos en curso a los que aplicar el calendario.',
    calendarMoved: (kind: string, from: string, why: string) => `${kind} del ${from}: ${why}`,
    calendarRefused: (why: string) => `no lo aceptó: ${why}`,
    calendarNoAnswer: 'no respondió (¿está corriendo el worker?); vuelva a ejecutar la orden: lo ya aplicado no se repite',
    calendarPlanId: (value: string) => `plan "${value}": se espera el identificador de un plan, p. ej. participacion-ciudadana-2027`,
  },
  en: {
    usage: (detail: string) => `Usage error: ${detail}\nSee "plazos --help".`,
    unknownOption: (opt: string) => `unknown option ${opt}`,
    unknownCommand: (cmd: string) => `unknown command ${cmd}`,
    missingArgument: (arg: string) => `missing argument ${arg}`,
    optionMissingArgument: (opt: string) => `option ${opt} needs a value`,
    missingOption: (opt: string) => `missing required option ${opt}`,
    excessArguments: () => 'too many arguments',
    invalidArgument: (detail: string) => `invalid argument: ${detail}`,
    badPlanId: (id: string, max: number) => `--id ${JSON.stringify(id)}: a plan id is lowercase letters, digits and hyphens (e.g. participacion-ciudadana-2024), up to ${max} characters`,
    unreadable: (file: string, why: string) => `Could not read ${file}: ${why}`,
    unwritable: (file: string, why: string) => `Could not write ${file}: ${why}.`,
    writeProblem: { ENOENT: 'the folder does not exist', EACCES: 'no permission to write there', EISDIR: 'it is a folder', other: 'write error' },
    internal: (why: string) => `plazos internal error: ${why}\nPlease report it with the command you ran.`,
    errorsFound: (n: number) => `${n} ${n === 1 ? 'error' : 'errors'}`,
    warningsFound: (n: number) => `${n} ${n === 1 ? 'warning' : 'warnings'}`,
    planOk: (title: string, n: number) => `Plan "${title}": ${n} valid activities.`,
    planHasErrors: (title: string) => `Plan "${title}" has errors; fix them before starting it.`,
    nothingRead: 'No plan could be read from the file.',
    areasRefused: 'The plan was not checked: fix the areas directory first.',
    line: 'line',
    activity: 'activity',
    error: 'ERROR',
    warning: 'WARNING',
    written: (file: string) => `Plan written to ${file}.`,
    year: (value: string) => `invalid year "${value}": expected a number such as 2024`,
    yearOutOfRange: (value: string, first: number, last: number) =>
      `no holiday calendar for ${value}: it covers ${first} (when Ley 51 de 1983 took effect) to ${last}`,
    activityDate: (option: string, value: string) => `${option} "${value}": expected ACTIVITY=YYYY-MM-DD, e.g. ${option} 13=2023-06-20`,
    rolloverNeedsYearOrStart: () => "give the new plan's year with --year YYYY, or its first start date with --start-on YYYY-MM-DD",
    rolloverYear: (value: string) => `--year "${value}": expected a four-digit year, e.g. --year 2024`,
    rolloverYearRange: (value: string, first: number, last: number) => `--year ${value}: a plan's year goes from ${first} to ${last}`,
    rolloverDate: (value: string) => `--start-on "${value}": expected a real date YYYY-MM-DD, e.g. --start-on 2024-01-15`,
    rolloverSameYear: (year: number) => `--year ${year} is the current plan's year: give the new plan's, e.g. --year ${year + 1}`,
    rolloverNoActivities: (date: string) => `--start-on ${date}: the plan has no activities to take the first start date from; use --year`,
    rolloverStartOutOfRange: (date: string, year: number, first: number, last: number) =>
      `--start-on ${date} puts the plan in year ${year}, and a plan's year goes from ${first} to ${last}`,
    rolloverInconsistent: (year: number, date: string, derived: number) =>
      `--year ${year} does not match --start-on ${date}: starting that day, the plan falls in year ${derived}. Use only one of the two options, or make them agree`,
    rolloverRefused: (title: string) => `Plan "${title}" has errors: fix them before preparing next year's. Nothing was written.`,
    rolloverSummary: (title: string, id: string, n: number, warnings: string) => `New plan "${title}" (${id}): ${n} activities, ${warnings}.`,
    calendarApplied: (plan: string, total: number, updated: number, unchanged: number) =>
      `${plan}: ${total} running ${total === 1 ? 'workflow' : 'workflows'}; ${updated} took the new calendar, ${unchanged} already up to date.`,
    calendarNoPlans: 'No running workflows to apply the calendar to.',
    calendarMoved: (kind: string, from: string, why: string) => `${kind} of ${from}: ${why}`,
    calendarRefused: (why: string) => `refused it: ${why}`,
    calendarNoAnswer: 'did not answer (is the worker running?); run the command again: what was applied is not repeated',
    calendarPlanId: (value: string) => `plan "${value}": expected a plan id, e.g. participacion-ciudadana-2027`,
  },
} satisfies Record<CliLocale, Record<string, unknown>>;

export type Messages = (typeof messages)['es'];
export function t(locale: CliLocale = cliLocale()): Messages {
  return messages[locale];
}
