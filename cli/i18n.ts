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
    badPlanId: (id: string, max: number) =>
      `--id ${JSON.stringify(id)}: el identificador del plan va en minúsculas, números y guiones (p. ej. participacion-ciudadana-2024), hasta ${max} caracteres`,
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
    yamlRefused: (file: string) => `No se escribió ${file}: el plan se leyó bien, pero "plazos plan validate" rechazaría su YAML por lo que se indica arriba.`,
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
    feedArea: (value: string) => `--area "${value}": se espera un código de área en mayúsculas (p. ej. ARCOM), o all para todos los planes`,
    feedCreated: (id: string, scope: string, url: string, webcal: string) =>
      `Calendario ${id} creado para ${scope === 'all' ? 'todos los planes' : scope}:\n  ${url}\n  ${webcal}\n` +
      `Copie la dirección ahora: plazos guarda solo su huella y no puede volver a mostrarla. Quien la tenga ve el calendario; ` +
      `se revoca con "plazos calendar feed revoke ${id}".`,
    feedUnknownArea: (code: string, path: string, known: string[], problem: string | null) =>
      `El área ${code} no está en el directorio de áreas (${path}); ` +
      (known.length > 0 ? `las áreas conocidas son ${known.join(', ')}` : 'no se leyó ningún área') +
      `, o all para todos los planes.${problem ? ` El directorio tiene errores: ${problem}` : ''}`,
    feedNone: 'No hay calendarios creados.',
    feedRow: (id: string, scope: string, created: string, revoked: string | null) =>
      `${id}  ${scope === 'all' ? 'todos los planes' : scope}  creado ${created}  ${revoked ? `revocado ${revoked}` : 'activo'}`,
    feedRevoked: (id: string) => `Calendario ${id} revocado: su dirección ya no responde.`,
    feedUnknown: (id: string) => `No hay un calendario activo con el id ${id} (consulte "plazos calendar feed list").`,
    // The operator's commands (cli/start.ts, cli/status.ts, cli/activity.ts).
    invalidArgumentValue: 'argumento inválido',
    activityNumber: (text: string) => `Número de actividad inválido "${text}": se espera un entero como 13.`,
    badDate: (option: string, value: string) => `${option} "${value}": fecha inválida, se espera AAAA-MM-DD (p. ej. 2023-07-14).`,
    badPeriod: (period: string) => `--period "${period}": se espera AAAA-MM, p. ej. 2023-03.`,
    noPeriod: (period: string, n: number, plan: string) => `No existe el periodo ${period} de la actividad ${n} del plan "${plan}".`,
    noActivity: (n: number, plan: string) => `No existe la actividad ${n} del plan "${plan}" (¿se inició el plan con "plazos plan start"?).`,
    recurringNeedsPeriod: (n: string, open: string[]) =>
      `La actividad ${n} es periódica: indique --period AAAA-MM (periodos abiertos: ${open.join(', ') || 'ninguno'}).`,
    refusedByWorkflow: (why: string) => `Rechazado: ${why}`,
    nothingStarted: 'No se inició ninguna actividad.',
    planErrorsNothingStarted: 'El plan tiene errores: no se inició ninguna actividad.',
    planStarted: (title: string, id: string, started: number, already: number) =>
      `Plan "${title}" (${id}): ${started} actividades iniciadas, ${already} ya estaban en curso.`,
    rowStarted: 'iniciada',
    rowAlreadyRunning: 'ya en curso',
    digestScheduled: (owner: string, created: boolean, id: string) =>
      `Resumen semanal para ${owner} (lunes 08:00, o el siguiente día hábil): ${created ? 'programado' : 'ya estaba programado'} (${id}).`,
    noStatus: 'sin dato',
    dueWord: 'vence',
    fromIndex: (seconds: string) => `[según el índice del servidor: el motor no respondió en ${seconds}]`,
    nextWord: 'próximo',
    nextNoticeAt: 'próximo aviso',
    evidenceWord: 'evidencias',
    progressWord: 'avance',
    badArea: (area: string) => `--area "${area}": se espera un código de área en mayúsculas, p. ej. ARCOM.`,
    statusPlanId: (plan: string) => `Identificador de plan inválido "${plan}".`,
    badCutFormat: (given: string) => `Formato "${given}" no reconocido: use --format csv, xlsx o pdf (o un archivo --out que termine en .csv, .xlsx o .pdf).`,
    badYear: (year: string) => `--year "${year}": se espera un año, p. ej. 2024.`,
    notACut: (cut: string, plan: string, cuts: string[]) => `${cut} no es un corte del plan "${plan}". Sus cortes ese año: ${cuts.join(', ')}.`,
    cutInFuture: (cut: string, today: string) => `El corte ${cut} aún no llega (hoy es ${today}): no hay informe que dar.`,
    cutWritten: (file: string, cut: string, rows: number) =>
      `Informe de seguimiento al corte ${cut} (${rows} actividades), el conservado y enviado en el corte, escrito en ${file}.`,
    cutRebuilt: (file: string, cut: string, rows: number) =>
      `No se conservó el informe tomado al corte ${cut}: se reconstruyó ahora (${rows} actividades) con lo que guardan las actividades, y así lo dice el informe. Escrito en ${file}.`,
    cutsHeader: (plan: string, schedule: string | null) =>
      `Cortes de seguimiento del plan "${plan}"${schedule ? ` (programación ${schedule})` : ' (sin programación: se muestran los cortes por defecto)'}:`,
    cutLine: (cut: string, deadline: string, kept: boolean) =>
      `  ${cut}  publicar a más tardar el ${deadline}  ${kept ? 'informe conservado' : 'sin informe conservado'}`,
    noCutSchedule: (plan: string) => `El plan "${plan}" no tiene programación de cortes: ejecute "plazos plan start" con su archivo para crearla.`,
    cutRan: (cut: string, rows: number, file: string) =>
      `Informe al corte ${cut} tomado (${rows} actividades), conservado y enviado a OAPLA y Control Interno (${file} y sus versiones CSV y XLSX).`,
    cutAlreadyRunning: (id: string) => `El informe de ese corte ya se está generando o ya se generó (${id}).`,
    cutsScheduled: (created: boolean, cuts: string[], id: string) =>
      `Informes de seguimiento a Control Interno en los cortes ${cuts.join(', ')}: ${created ? 'programados' : 'programación actualizada'} (${id}).`,
    noActivities: (plan: string | undefined, area: string | undefined) =>
      plan ? `No hay actividades del plan "${plan}"${area ? ` para ${area}` : ''}.` : 'No hay planes en curso.',
    unsentUnread: (why: string) => `Aviso: no se pudo leer la lista de avisos sin enviar (${why}); el estado se muestra sin ella.`,
    indexNote: (fromIndex: number, total: number) =>
      `Nota: el motor no respondió a tiempo ${total === 1 ? 'para la actividad' : `para ${fromIndex} de ${total} actividades`}; su estado, vencimiento y áreas ` +
      'vienen del índice del servidor, sin próximo aviso ni evidencias. Vuelva a consultar en unos minutos.',
    unreadableEvidence: (path: string, why: string) => `No se pudo leer "${path}": ${why}.`,
    evidenceOneOf: 'Indique la evidencia con --url o con --file (una de las dos).',
    evidenceReceived: (id: string, at: string, workflowId: string) =>
      `Evidencia ${id} recibida el ${at} para ${workflowId}: se verificará y pasará a revisión de la oficina de planeación.`,
    reviewOneOf: 'Indique --approve o --reject (una de las dos).',
    rejectNeedsDue: 'Al rechazar, indique la nueva fecha de entrega con --due AAAA-MM-DD.',
    approved: (workflowId: string, status: string) => `Evidencia aprobada: ${workflowId} queda ${status}.`,
    rejected: (workflowId: string, due: string) => `Evidencia rechazada: ${workflowId} vuelve a estar en curso, con entrega el ${due}.`,
    extended: (workflowId: string, due: string) => `Prórroga registrada: ${workflowId} vence ahora el ${due}; los avisos pendientes se recalcularon.`,
    alreadyClosed: (workflowId: string, status: string) => `${workflowId} ya está cerrada (${status}).`,
    cancelSent: (workflowId: string) => `Cancelación enviada a ${workflowId}; el área recibirá el aviso.`,
    unknownAreas: (codes: string[]) => `Áreas desconocidas en --responsible: ${codes.join(', ')} (no están en el directorio de áreas).`,
    amended: (workflowId: string) => `Cambio registrado en ${workflowId}; el área recibirá el aviso.`,
    timelineMail: 'correo',
    timelineNotDelivered: 'NO ENTREGADO a',
    timelineNotDeliveredTo: 'NO ENTREGADO →',
    timelineCheck: (ok: boolean, why: string) => (ok ? 'verificación: correcta' : `verificación: falló (${why})`),
    timelineStarted: (due: string) => `seguimiento iniciado (vence ${due})`,
    timelinePeriod: (key: string) => `periodo iniciado: ${key}`,
    timelineClosed: (status: string) => `cerrada: ${status}`,
    // plazos up, and its demo.
    upPortInUse: (port: number) =>
      `El puerto ${port} ya está en uso: ¿queda otro "plazos up" corriendo? Ciérrelo o cambie PLAZOS_INBOX_SMTP_PORT / PLAZOS_INBOX_PORT.`,
    upInboxFailed: 'No arrancó la bandeja de correo de prueba (maildev).',
    upWebPortInUse: (port: number) => `El puerto ${port} de la web ya está en uso: cambie PORT o cierre lo que lo ocupa.`,
    upExampleUnreadable: 'No se pudo leer el plan de ejemplo.',
    upTemporalExisting: (address: string) => `Temporal:   se usa el servidor que ya responde en ${address}`,
    upTemporal: (address: string, dbFile: string) => `Temporal:   ${address} (datos en ${dbFile})`,
    upTemporalUi: (url: string) => `Temporal UI: ${url}`,
    upMail: (smtpUrl: string, webUrl: string) => `Correo:     ${smtpUrl} · bandeja web ${webUrl}`,
    upMailConfigured: 'Correo:     PLAZOS_SMTP_URL (servidor configurado)',
    upWorker: (queue: string, namespace: string) => `Worker:     cola "${queue}", espacio "${namespace}"`,
    upWeb: (url: string) => `Web:        ${url}`,
    upReady: 'Listo. Ctrl-C para detener todo (los flujos siguen donde estaban al volver a ejecutar "plazos up").',
    upStopping: 'Deteniendo...',
    demoStarted: (title: string, id: string, today: string, started: number, already: number) =>
      `Plan de demostración "${title}" (${id}): hoy, ${today}, cae a mitad de su año; ${started} actividades iniciadas, ${already} ya lo estaban.`,
    demoStates: (list: string) => `Estados: ${list}.`,
    demoIncomplete: (why: string) => `La demostración no pudo mover todas las actividades (${why}); el plan sigue en curso.`,
    demoDigest: (owner: string, created: boolean, id: string) => `Resumen semanal para ${owner}: ${created ? 'programado' : 'ya estaba programado'} (${id}).`,
    demoCut: (cut: string, rows: number, url: string) =>
      `Informe de seguimiento al corte de hoy (${cut}, ${rows} actividades) conservado y enviado a OAPLA y Control Interno; descárguelo en ${url}`,
    demoSignIn: (url: string, user: string, password: string, file: string) =>
      `Tablero de OAPLA: ${url} · usuario "${user}", contraseña "${password}" (solo para la demostración; guardada en ${file}).`,
    // plazos web hash-password.
    passwordPrompt: 'Contraseña: ',
    passwordRepeat: 'Repita la contraseña: ',
    passwordsDiffer: 'Las dos contraseñas no coinciden; no se generó ningún hash.',
    badUsername: (user: string) => `Usuario inválido "${user}": use de 2 a 64 minúsculas, números, punto, guion o guion bajo.`,
    passwordTooShort: (min: number) => `La contraseña debe tener al menos ${min} caracteres.`,
    // plazos data migrate.
    dataStores: (records: string, blobs: string) => `Registros: ${records}\nArchivos:  ${blobs}`,
    dataPart: (part: string, copied: number, present: number, refused: number) =>
      `${part.padEnd(22)} ${copied} copiados, ${present} ya estaban${refused ? `, ${refused} sin copiar (vea el registro)` : ''}`,
    dataParts: { sent: 'avisos enviados', replies: 'avisos con respuesta', mailbox: 'mensajes del buzón', cuts: 'informes de corte', evidence: 'evidencias' },
    dataDone: (dir: string) =>
      `Listo. Los archivos anteriores siguen en ${dir} (sent, replies, mailbox, follow-up, evidence): bórrelos cuando tenga una copia de respaldo de los almacenes.`,
    dataRefused: 'Algunos archivos no se pudieron copiar; se reintentan en el próximo arranque. El registro dice cuáles y por qué.',
    // plazos mail check.
    mailSteps: {
      'smtp-login': (server: string) => `Inicio de sesión SMTP en ${server}`,
      'smtp-send': (server: string, to: string) => `Mensaje de prueba a ${to} por ${server}`,
      'imap-login': (server: string) => `Inicio de sesión IMAP en ${server} y apertura de INBOX`,
    },
    mailStepFailed: (step: string, what: string, fix: string) => `✘ ${step}: ${what} Qué hacer: ${fix}`,
    mailNoImap: 'PLAZOS_IMAP_URL no está definida: no se revisó el buzón de respuestas.',
    mailBadTo: (to: string) => `--to ${JSON.stringify(to)}: no es una dirección de correo`,
    mailTestSubject: 'Prueba de correo de plazos',
    mailTestText: (server: string) =>
      `Este mensaje lo envió "plazos mail check" por ${server} para comprobar que plazos puede enviar correo.\nNo requiere respuesta.\n`,
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
    badPlanId: (id: string, max: number) =>
      `--id ${JSON.stringify(id)}: a plan id is lowercase letters, digits and hyphens (e.g. participacion-ciudadana-2024), up to ${max} characters`,
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
    yamlRefused: (file: string) =>
      `Nothing was written to ${file}: the plan reads well, but "plazos plan validate" would refuse its YAML for what is said above.`,
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
    feedArea: (value: string) => `--area "${value}": expected an upper-case area code (e.g. ARCOM), or all for every plan`,
    feedCreated: (id: string, scope: string, url: string, webcal: string) =>
      `Calendar ${id} created for ${scope === 'all' ? 'every plan' : scope}:\n  ${url}\n  ${webcal}\n` +
      `Copy the address now: plazos keeps only its fingerprint and cannot show it again. Whoever has it sees the calendar; ` +
      `revoke it with "plazos calendar feed revoke ${id}".`,
    feedUnknownArea: (code: string, path: string, known: string[], problem: string | null) =>
      `Area ${code} is not in the areas directory (${path}); ` +
      (known.length > 0 ? `the known areas are ${known.join(', ')}` : 'no area could be read') +
      `, or all for every plan.${problem ? ` The directory has errors: ${problem}` : ''}`,
    feedNone: 'No calendars created.',
    feedRow: (id: string, scope: string, created: string, revoked: string | null) =>
      `${id}  ${scope === 'all' ? 'every plan' : scope}  created ${created}  ${revoked ? `revoked ${revoked}` : 'active'}`,
    feedRevoked: (id: string) => `Calendar ${id} revoked: its address no longer answers.`,
    feedUnknown: (id: string) => `No active calendar with id ${id} (see "plazos calendar feed list").`,
    // The operator's commands (cli/start.ts, cli/status.ts, cli/activity.ts).
    invalidArgumentValue: 'invalid argument',
    activityNumber: (text: string) => `Invalid activity number "${text}": expected a whole number such as 13.`,
    badDate: (option: string, value: string) => `${option} "${value}": invalid date, expected YYYY-MM-DD (e.g. 2023-07-14).`,
    badPeriod: (period: string) => `--period "${period}": expected YYYY-MM, e.g. 2023-03.`,
    noPeriod: (period: string, n: number, plan: string) => `Period ${period} of activity ${n} of plan "${plan}" does not exist.`,
    noActivity: (n: number, plan: string) => `Activity ${n} of plan "${plan}" does not exist (was the plan started with "plazos plan start"?).`,
    recurringNeedsPeriod: (n: string, open: string[]) => `Activity ${n} is recurring: give --period YYYY-MM (open periods: ${open.join(', ') || 'none'}).`,
    refusedByWorkflow: (why: string) => `Refused: ${why}`,
    nothingStarted: 'No activity was started.',
    planErrorsNothingStarted: 'The plan has errors: no activity was started.',
    planStarted: (title: string, id: string, started: number, already: number) =>
      `Plan "${title}" (${id}): ${started} activities started, ${already} already running.`,
    rowStarted: 'started',
    rowAlreadyRunning: 'already running',
    digestScheduled: (owner: string, created: boolean, id: string) =>
      `Weekly digest for ${owner} (Mondays 08:00, or the next business day): ${created ? 'scheduled' : 'already scheduled'} (${id}).`,
    noStatus: 'unknown',
    dueWord: 'due',
    fromIndex: (seconds: string) => `[from the server's index: the engine did not answer within ${seconds}]`,
    nextWord: 'next',
    nextNoticeAt: 'next notice',
    evidenceWord: 'evidence',
    progressWord: 'progress',
    badArea: (area: string) => `--area "${area}": expected an area code in capitals, e.g. ARCOM.`,
    statusPlanId: (plan: string) => `Invalid plan id "${plan}".`,
    badCutFormat: (given: string) => `Unknown format "${given}": use --format csv, xlsx or pdf (or an --out file ending in .csv, .xlsx or .pdf).`,
    badYear: (year: string) => `--year "${year}": expected a year, e.g. 2024.`,
    notACut: (cut: string, plan: string, cuts: string[]) => `${cut} is not a cut of plan "${plan}". Its cuts that year: ${cuts.join(', ')}.`,
    cutInFuture: (cut: string, today: string) => `The ${cut} cut has not come yet (today is ${today}): there is no report to give.`,
    cutWritten: (file: string, cut: string, rows: number) =>
      `Follow-up report at the ${cut} cut (${rows} activities), the one kept and mailed at the cut, written to ${file}.`,
    cutRebuilt: (file: string, cut: string, rows: number) =>
      `No report was kept at the ${cut} cut: it was rebuilt now (${rows} activities) from what the activities keep, and the report says so. Written to ${file}.`,
    cutsHeader: (plan: string, schedule: string | null) =>
      `Follow-up cuts of plan "${plan}"${schedule ? ` (schedule ${schedule})` : ' (no schedule: the default cuts are shown)'}:`,
    cutLine: (cut: string, deadline: string, kept: boolean) => `  ${cut}  publish by ${deadline}  ${kept ? 'report kept' : 'no report kept'}`,
    noCutSchedule: (plan: string) => `Plan "${plan}" has no cut schedule: run "plazos plan start" with its file to create it.`,
    cutRan: (cut: string, rows: number, file: string) =>
      `Report at the ${cut} cut taken (${rows} activities), kept and mailed to OAPLA and internal control (${file} and its CSV and XLSX versions).`,
    cutAlreadyRunning: (id: string) => `The report of that cut is being built or was built already (${id}).`,
    cutsScheduled: (created: boolean, cuts: string[], id: string) =>
      `Follow-up reports to internal control at the cuts ${cuts.join(', ')}: ${created ? 'scheduled' : 'schedule updated'} (${id}).`,
    noActivities: (plan: string | undefined, area: string | undefined) =>
      plan ? `No activities of plan "${plan}"${area ? ` for ${area}` : ''}.` : 'No plans are running.',
    unsentUnread: (why: string) => `Warning: the list of unsent notices could not be read (${why}); status is shown without it.`,
    indexNote: (fromIndex: number, total: number) =>
      `Note: the engine did not answer in time for ${fromIndex} of ${total} activities; their status, due date and areas ` +
      "come from the server's index, without next notice or evidence. Ask again in a few minutes.",
    unreadableEvidence: (path: string, why: string) => `Could not read "${path}": ${why}.`,
    evidenceOneOf: 'Give the evidence with --url or with --file (one of the two).',
    evidenceReceived: (id: string, at: string, workflowId: string) =>
      `Evidence ${id} received at ${at} for ${workflowId}: it will be checked and then reviewed by the planning office.`,
    reviewOneOf: 'Give --approve or --reject (one of the two).',
    rejectNeedsDue: 'When rejecting, give the new due date with --due YYYY-MM-DD.',
    approved: (workflowId: string, status: string) => `Evidence approved: ${workflowId} is now ${status}.`,
    rejected: (workflowId: string, due: string) => `Evidence rejected: ${workflowId} is under way again, due ${due}.`,
    extended: (workflowId: string, due: string) => `Extension recorded: ${workflowId} is now due ${due}; the pending notices were recomputed.`,
    alreadyClosed: (workflowId: string, status: string) => `${workflowId} is already closed (${status}).`,
    cancelSent: (workflowId: string) => `Cancellation sent to ${workflowId}; the area will be told.`,
    unknownAreas: (codes: string[]) => `Unknown areas in --responsible: ${codes.join(', ')} (not in the areas directory).`,
    amended: (workflowId: string) => `Change recorded for ${workflowId}; the area will be told.`,
    timelineMail: 'mail',
    timelineNotDelivered: 'NOT DELIVERED to',
    timelineNotDeliveredTo: 'NOT DELIVERED →',
    timelineCheck: (ok: boolean, why: string) => (ok ? 'check: passed' : `check: failed (${why})`),
    timelineStarted: (due: string) => `follow-up started (due ${due})`,
    timelinePeriod: (key: string) => `period started: ${key}`,
    timelineClosed: (status: string) => `closed: ${status}`,
    // plazos up, and its demo.
    upPortInUse: (port: number) =>
      `Port ${port} is already in use: is another "plazos up" running? Stop it or change PLAZOS_INBOX_SMTP_PORT / PLAZOS_INBOX_PORT.`,
    upInboxFailed: 'The test mail inbox (maildev) did not start.',
    upWebPortInUse: (port: number) => `The web port ${port} is already in use: change PORT or stop what holds it.`,
    upExampleUnreadable: 'The example plan could not be read.',
    upTemporalExisting: (address: string) => `Temporal:   using the server that already answers at ${address}`,
    upTemporal: (address: string, dbFile: string) => `Temporal:   ${address} (data in ${dbFile})`,
    upTemporalUi: (url: string) => `Temporal UI: ${url}`,
    upMail: (smtpUrl: string, webUrl: string) => `Mail:       ${smtpUrl} · web inbox ${webUrl}`,
    upMailConfigured: 'Mail:       PLAZOS_SMTP_URL (configured server)',
    upWorker: (queue: string, namespace: string) => `Worker:     queue "${queue}", namespace "${namespace}"`,
    upWeb: (url: string) => `Web:        ${url}`,
    upReady: 'Ready. Ctrl-C stops everything (the workflows carry on where they were when "plazos up" runs again).',
    upStopping: 'Stopping...',
    demoStarted: (title: string, id: string, today: string, started: number, already: number) =>
      `Demo plan "${title}" (${id}): today, ${today}, falls mid-year; ${started} activities started, ${already} already were.`,
    demoStates: (list: string) => `States: ${list}.`,
    demoIncomplete: (why: string) => `The demo could not move every activity on (${why}); the plan keeps running.`,
    demoDigest: (owner: string, created: boolean, id: string) => `Weekly digest for ${owner}: ${created ? 'scheduled' : 'already scheduled'} (${id}).`,
    demoCut: (cut: string, rows: number, url: string) =>
      `Follow-up report at today's cut (${cut}, ${rows} activities) kept and mailed to OAPLA and internal control; download it at ${url}`,
    demoSignIn: (url: string, user: string, password: string, file: string) =>
      `OAPLA dashboard: ${url} · user "${user}", password "${password}" (demo only; kept in ${file}).`,
    // plazos web hash-password.
    passwordPrompt: 'Password: ',
    passwordRepeat: 'Repeat the password: ',
    passwordsDiffer: 'The two passwords differ; no hash was made.',
    badUsername: (user: string) => `Invalid user "${user}": use 2 to 64 lowercase letters, digits, dot, hyphen or underscore.`,
    passwordTooShort: (min: number) => `The password must have at least ${min} characters.`,
    // plazos data migrate.
    dataStores: (records: string, blobs: string) => `Records: ${records}\nFiles:   ${blobs}`,
    dataPart: (part: string, copied: number, present: number, refused: number) =>
      `${part.padEnd(22)} ${copied} copied, ${present} already there${refused ? `, ${refused} not copied (see the log)` : ''}`,
    dataParts: { sent: 'notices sent', replies: 'answerable notices', mailbox: 'mailbox messages', cuts: 'cut reports', evidence: 'evidence files' },
    dataDone: (dir: string) =>
      `Done. The earlier files stay in ${dir} (sent, replies, mailbox, follow-up, evidence): remove them once the stores are backed up.`,
    dataRefused: 'Some files could not be copied; they are tried again at the next start. The log says which and why.',
    // plazos mail check.
    mailSteps: {
      'smtp-login': (server: string) => `SMTP login at ${server}`,
      'smtp-send': (server: string, to: string) => `Test message to ${to} through ${server}`,
      'imap-login': (server: string) => `IMAP login at ${server} and INBOX opened`,
    },
    mailStepFailed: (step: string, what: string, fix: string) => `✘ ${step}: ${what} What to do: ${fix}`,
    mailNoImap: 'PLAZOS_IMAP_URL is not set: the reply mailbox was not checked.',
    mailBadTo: (to: string) => `--to ${JSON.stringify(to)}: not an e-mail address`,
    // The test message is for the entity's people, who read Spanish, whatever the operator's terminal says.
    mailTestSubject: 'Prueba de correo de plazos',
    mailTestText: (server: string) =>
      `Este mensaje lo envió "plazos mail check" por ${server} para comprobar que plazos puede enviar correo.\nNo requiere respuesta.\n`,
  },
} satisfies Record<CliLocale, Record<string, unknown>>;

export type Messages = (typeof messages)['es'];
export function t(locale: CliLocale = cliLocale()): Messages {
  return messages[locale];
}
