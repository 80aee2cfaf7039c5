/**
 * What the area lead reads when a check fails: what went wrong and what to do, in plain Spanish
 * (es-CO) with an English second locale. Pure.
 */
import type { EvidenceCheckCode, LocalizedMessage } from './types';
import { MEDIA_TYPE_LABELS, normalizeMediaType } from './media-types';

export interface MessageDetails {
  kind?: 'url' | 'file';
  status?: number;
  maxBytes?: number;
  maxRedirects?: number;
  allowedMediaTypes?: readonly string[];
  /** The type was allowed but the content is something else. */
  contentMismatch?: boolean;
}

// Limits are configured in bytes; people read them in the largest unit that is at least 1.
function formatSize(bytes: number, locale: 'es-CO' | 'en'): string {
  const units: Array<[number, string]> = [
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  const [divisor, unit] = units.find(([size]) => bytes >= size) ?? [1, 'bytes'];
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / divisor)} ${unit}`;
}

function typeList(types: readonly string[], conjunction: string): string {
  const labels = [...new Set(types.map((t) => MEDIA_TYPE_LABELS[normalizeMediaType(t)] ?? t))];
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} ${conjunction} ${labels[labels.length - 1]}`;
}

function statusReason(status: number): LocalizedMessage {
  if (status === 404 || status === 410) return { es: 'la página no existe', en: 'the page does not exist' };
  if (status === 401 || status === 403) {
    return { es: 'la página no es pública o exige iniciar sesión', en: 'the page is not public or requires a login' };
  }
  if (status >= 500) return { es: 'el sitio tiene una falla', en: 'the site has a server error' };
  return { es: 'la página rechazó la consulta', en: 'the page refused the request' };
}

function httpStatusMessage(status: number): LocalizedMessage {
  const reason = statusReason(status);
  return {
    es: `El enlace respondió con el error ${status}: ${reason.es}. Revise que la dirección sea la correcta y que cualquier persona pueda abrirla sin iniciar sesión.`,
    en: `The link answered with error ${status}: ${reason.en}. Check that the address is right and that anyone can open it without logging in.`,
  };
}

function typeMessage(d: MessageDetails): LocalizedMessage {
  if (d.contentMismatch) {
    return {
      es: 'El contenido del archivo no corresponde a su tipo (por ejemplo, dice ser PDF y no lo es). Guárdelo de nuevo en el formato correcto desde el programa original y cárguelo otra vez.',
      en: 'The file content does not match its type (for example, it claims to be a PDF and is not). Save it again in the right format from the original program and upload it again.',
    };
  }
  const allowed = d.allowedMediaTypes ?? [];
  return {
    es: `Ese tipo de archivo no se acepta como evidencia. Cárguelo en uno de estos formatos: ${typeList(allowed, 'o')}.`,
    en: `That file type is not accepted as evidence. Upload it in one of these formats: ${typeList(allowed, 'or')}.`,
  };
}

const FIXED: Partial<Record<EvidenceCheckCode, LocalizedMessage>> = {
  'bad-scheme': {
    es: 'El enlace debe ser una dirección web que empiece por http:// o https://. Copie la dirección completa de la página donde está publicada la evidencia.',
    en: 'The link must be a web address starting with http:// or https://. Copy the full address of the page where the evidence is published.',
  },
  'blocked-address': {
    es: 'El enlace apunta a una red interna o privada que no se puede consultar. Publique la evidencia en un sitio público (por ejemplo, la página web de la entidad) y envíe ese enlace.',
    en: 'The link points to an internal or private network that cannot be checked. Publish the evidence on a public site (for example, the entity website) and send that link.',
  },
  dns: {
    es: 'No existe un sitio web con ese nombre. Revise que la dirección esté bien escrita.',
    en: 'No website exists with that name. Check that the address is spelled correctly.',
  },
  network: {
    es: 'No fue posible conectarse con el sitio del enlace. Verifique que la página esté en línea y vuelva a enviarla.',
    en: 'Could not connect to the site of the link. Check that the page is online and send it again.',
  },
  timeout: {
    es: 'El sitio del enlace tardó demasiado en responder. Verifique que la página abra normalmente y vuelva a enviarla más tarde.',
    en: 'The site of the link took too long to answer. Check that the page opens normally and send it again later.',
  },
  'missing-file': {
    es: 'No encontramos el archivo que cargó. Cárguelo de nuevo.',
    en: 'We could not find the file you uploaded. Please upload it again.',
  },
  'hash-mismatch': {
    es: 'El archivo guardado no coincide con el que usted cargó (pudo dañarse en el camino). Cárguelo de nuevo.',
    en: 'The stored file does not match the one you uploaded (it may have been damaged). Please upload it again.',
  },
  'size-mismatch': {
    es: 'El tamaño del archivo guardado no coincide con el de su carga. Cárguelo de nuevo.',
    en: 'The size of the stored file does not match your upload. Please upload it again.',
  },
};

export function evidenceMessage(code: EvidenceCheckCode, d: MessageDetails = {}): LocalizedMessage {
  const fixed = FIXED[code];
  if (fixed) return fixed;
  switch (code) {
    case 'ok':
      return d.kind === 'file'
        ? { es: 'El archivo llegó completo y quedó listo para la revisión de OAPLA.', en: 'The file arrived complete and is ready for OAPLA review.' }
        : { es: 'El enlace abre correctamente y quedó listo para la revisión de OAPLA.', en: 'The link opens correctly and is ready for OAPLA review.' };
    case 'http-status':
      return httpStatusMessage(d.status ?? 0);
    case 'too-many-redirects':
      return {
        es: `El enlace lo lleva de una página a otra demasiadas veces (más de ${d.maxRedirects ?? 0}). Abra el enlace en su navegador y envíe la dirección de la página donde termina.`,
        en: `The link sends you from page to page too many times (more than ${d.maxRedirects ?? 0}). Open it in your browser and send the address of the page where it ends.`,
      };
    case 'too-large':
      return {
        es: `El archivo supera el tamaño máximo de ${formatSize(d.maxBytes ?? 0, 'es-CO')}. Comprímalo o divídalo en partes y cárguelo de nuevo.`,
        en: `The file is larger than the ${formatSize(d.maxBytes ?? 0, 'en')} limit. Compress it or split it and upload it again.`,
      };
    case 'type-not-allowed':
      return typeMessage(d);
    default:
      throw new Error(`No message for evidence code ${code}`);
  }
}
