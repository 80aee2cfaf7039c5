/**
 * An evidence file as a person hands it in (the web form, `plazos evidence submit --file`),
 * checked before anything is stored or sent to a workflow: its name (no folders, no control
 * characters), its type by extension, its first bytes against that type (a .exe renamed .pdf),
 * and for archives what they expand to (zip bombs in a .docx, .xlsx or .zip). The caller holds the
 * file in memory for this, up to the upload limit (25 MB by default), so a refused file never
 * touches the evidence store.
 */
import type { Readable } from 'node:stream';
import { hasControls } from '../../plans/importers/text-guard';
import { checkArchive } from './archive';
import { evidenceArchiveLimits } from './defaults';
import { isArchiveType, matchesMagic, MEDIA_TYPE_LABELS, mediaTypeForFile, SNIFF_BYTES } from './media-types';

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

const ARCHIVE_REFUSALS = {
  'too-large': (name: string, limits: Limits) =>
    `"${name}" se expande a más de ${Math.round(limits.maxExpandedBytes / 1048576)} MB al descomprimirlo: no se acepta. Adjunte los documentos sin comprimir, o en varios archivos.`,
  'too-many-entries': (name: string, limits: Limits) => `"${name}" contiene más de ${limits.maxEntries} archivos: no se acepta.`,
  'not-zip': (name: string) => `"${name}" está dañado: no se pudo abrir.`,
  corrupt: (name: string) => `"${name}" está dañado: no se pudo abrir.`,
  unsupported: (name: string) => `"${name}" usa una compresión que no se puede revisar: guárdelo de nuevo y adjúntelo.`,
} as const;

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
    const archive = await checkArchive(bytes, limits);
    if (!archive.ok)
      return {
        ok: false,
        status: archive.reason === 'too-large' || archive.reason === 'too-many-entries' ? 413 : 400,
        message: ARCHIVE_REFUSALS[archive.reason](name, limits),
      };
  }
  return { ok: true, name, mediaType };
}
