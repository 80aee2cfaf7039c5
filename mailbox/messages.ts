/**
 * Why a reply from the area handed nothing in, as the area lead reads it in plazos's answer:
 * es-CO first, English second. Pure.
 */
import type { LocalizedMessage } from '../activities/evidence';

export const NOT_RECEIVED = {
  'several-files': {
    es: 'La respuesta trae varios archivos adjuntos y cada entrega es un solo archivo. Responda de nuevo con el entregable solo, o con todos los documentos en un .zip.',
    en: 'The reply has several attachments and each submission is one file. Reply again with the deliverable alone, or with all the documents in one .zip.',
  },
  'file-refused': {
    es: 'El archivo adjunto no se pudo recibir.',
    en: 'The attachment could not be received.',
  },
  invalid: {
    es: 'La evidencia de la respuesta no es válida.',
    en: 'The evidence in the reply is not valid.',
  },
  nothing: {
    es: 'La respuesta no trae un archivo adjunto ni un enlace al entregable, ni un avance escrito como "Avance: 60 %". Responda de nuevo con el archivo adjunto o con el enlace en el texto.',
    en: 'The reply carries neither an attached file nor a link to the deliverable, nor progress written as "Progress: 60 %". Reply again with the file attached or the link in the text.',
  },
  'workflow-refused': {
    es: 'La actividad no aceptó la entrega.',
    en: 'The activity did not accept the submission.',
  },
  'not-running': {
    es: 'La actividad ya no está en seguimiento. Consulte a la Oficina Asesora de Planeación.',
    en: 'The activity is no longer being followed up. Ask the planning office.',
  },
  throttled: {
    es: 'Se alcanzó el límite de envíos por correo y esta respuesta no se registró.',
    en: 'The limit of submissions by mail was reached and this reply was not recorded.',
  },
  'too-large': {
    es: 'El correo es demasiado grande para recibirlo.',
    en: 'The message is too large to be received.',
  },
} as const satisfies Record<string, LocalizedMessage>;

export type NotReceivedReason = keyof typeof NOT_RECEIVED;
