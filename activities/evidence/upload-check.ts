/**
 * An evidence file as a person hands it in (the web form, `plazos evidence submit --file`),
 * checked before anything is stored or sent to a workflow: its name (no folders, no control
 * characters), its type by extension, its first bytes against that type (a .exe renamed .pdf),
 * and for archives what they hold and expand to, archives inside them included (archive.ts). The caller holds the
 * file in memory for this, up to the upload limit (25 MB by default), so a refused file never
 * touches the evidence store.
 */
import type { Readable } from 'node:stream';
import { hasControls } from '../../plans/importers/text-guard';
import { checkArchive, type ArchiveCheck, type ArchiveProblem } from '../../plans/importers/archive';
import { evidenceArchiveLimits } from './defaults';
import { isArchiveType, matchesMagic, MEDIA_TYPE_LABELS, mediaTypeForFile, normalizeMediaType, SNIFF_BYTES } from './media-types';

export type UploadCheck = { ok: true; name: string; mediaType: string } | { ok: false; status: 400 | 413; message: string };

const MAX_NAME = 255;

/** Why a file name is refused, or null. Browsers send the bare name; folders mean a crafted request. */
export function fileNameProblem(name: string): string | null {
  if (hasControls(name)) return 'El nombre del archivo tiene caracteres de control: cámbielo y adjúntelo de nuevo.';
  if (/[\\/]/.test(name) || name.trim() === '.' || name.trim() === '..') return `"${name}": el nombre del archivo no puede incluir carpetas (/ o \\).`;
  if (name.length > MAX_NAME) return `El nombre del archivo tiene ${name.length} caracteres; el máximo es ${MAX_NAME}.`;
  if (name.trim() === '') return 'El archivo no tiene nombre.';
  return null;
}

/**
 * The whole upload, or null when it passed `maxBytes`. The multipart limit stops the stream one
 * byte past it, so what is held never exceeds maxBytes + 1.
 */
export async function readUpload(stream: Readable, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: leaving the stream unread would stall the form's parsing.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes ? null : Buffer.concat(chunks);
}

type Limits = ReturnType<typeof evidenceArchiveLimits>;
type Refusal = Extract<ArchiveCheck, { ok: false }>;

/** What the person reads for each refusal: the file, the entry inside it when there is one, and the rule. */
const ARCHIVE_REFUSALS: Record<ArchiveProblem, (name: string, entry: string, limits: Limits) => string> = {
  'too-large': (name, _entry, limits) =>
    `"${name}" se expande a más de ${Math.round(limits.maxExpandedBytes / 1048576)} MB al descomprimirlo (contando los archivos comprimidos que trae dentro): no se acepta. Adjunte los documentos sin comprimir, o en varios archivos.`,
  'too-many-entries': (name, _entry, limits) =>
    `"${name}" contiene más de ${limits.maxEntries} archivos (contando los de los archivos comprimidos que trae dentro): no se acepta.`,
  'not-zip': (name) => `"${name}" está dañado: no se pudo abrir.`,
  corrupt: (name, entry) => (entry ? `"${name}" está dañado: no se pudo abrir "${entry}".` : `"${name}" está dañado: no se pudo abrir.`),
  unsupported: (name, entry) =>
    `"${name}" usa una compresión o un cifrado que no se puede revisar${entry ? ` (en "${entry}")` : ''}: guárdelo de nuevo sin contraseña y adjúntelo.`,
  'unsafe-path': (name, entry) =>
    `"${name}" contiene "${entry}", un nombre que al descomprimir escribiría fuera de la carpeta (ruta absoluta, "..", "\\", ":" o caracteres de control): no se acepta.`,
  executable: (name, entry) =>
    `"${name}" contiene "${entry}", un programa, script o documento con macros que se ejecuta al abrirlo: no se acepta. Quítelo y adjunte el archivo de nuevo.`,
  'active-content': (name, entry) =>
    `"${name}" contiene "${entry}", una página web o imagen SVG que puede ejecutar código al abrirla: no se acepta. Adjunte ese contenido en PDF.`,
  uninspectable: (name, entry) =>
    `"${name}" contiene "${entry}", un archivo comprimido de un tipo que no se puede revisar (RAR, 7z, TAR, GZ, ISO...): no se acepta. Adjunte los documentos en un solo .zip.`,
  'too-deep': (name, entry, limits) =>
    `"${name}" contiene "${entry}", un archivo comprimido dentro de otro a más de ${limits.maxDepth} niveles: no se acepta. Adjunte los documentos en un solo .zip.`,
  'nested-too-large': (name, entry, limits) =>
    `"${name}" contiene "${entry}", un archivo comprimido de más de ${Math.round(limits.maxNestedBytes / 1048576)} MB: no se acepta. Adjúntelo por separado.`,
};

const TOO_BIG: ReadonlySet<ArchiveProblem> = new Set(['too-large', 'too-many-entries', 'nested-too-large']);

function archiveRefusal(name: string, archive: Refusal, limits: Limits): Extract<UploadCheck, { ok: false }> {
  return { ok: false, status: TOO_BIG.has(archive.reason) ? 413 : 400, message: ARCHIVE_REFUSALS[archive.reason](name, archive.entry ?? '', limits) };
}

/** The checks on a file already read, in the order a person would want to hear them; `maxBytes` is the upload limit. */
export async function checkUpload(name: string, bytes: Buffer, maxBytes: number): Promise<UploadCheck> {
  const nameProblem = fileNameProblem(name);
  if (nameProblem) return { ok: false, status: 400, message: nameProblem };
  const mediaType = mediaTypeForFile(name);
  if (!mediaType) return { ok: false, status: 400, message: `"${name}": tipo de archivo no aceptado (PDF, imágenes, documentos de oficina, CSV, TXT o ZIP).` };
  if (!matchesMagic(mediaType, bytes.subarray(0, SNIFF_BYTES))) {
    const label = MEDIA_TYPE_LABELS[mediaType] ?? mediaType;
    return { ok: false, status: 400, message: `"${name}": el contenido no es un ${label}, aunque el nombre lo diga. Adjunte el archivo original.` };
  }
  if (isArchiveType(mediaType)) {
    const limits = evidenceArchiveLimits(maxBytes);
    // A .zip is extracted and its entries opened one by one; an Office file is opened by Office.
    const archive = await checkArchive(bytes, limits, normalizeMediaType(mediaType) === 'application/zip' ? 'zip' : 'office');
    if (!archive.ok) return archiveRefusal(name, archive, limits);
  }
  return { ok: true, name, mediaType };
}
