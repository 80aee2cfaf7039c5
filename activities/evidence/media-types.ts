/**
 * Which file types count as evidence, and whether a file's first bytes agree with its declared
 * type. Pure: works on the media type string and the first bytes of the file.
 */

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const ODT = 'application/vnd.oasis.opendocument.text';
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';

/** Short names people recognise, used when a message lists what is accepted. */
export const MEDIA_TYPE_LABELS: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  [DOCX]: 'DOCX',
  [XLSX]: 'XLSX',
  [PPTX]: 'PPTX',
  [ODT]: 'ODT',
  [ODS]: 'ODS',
  'text/csv': 'CSV',
  'text/plain': 'TXT',
  'application/zip': 'ZIP',
};

export const DEFAULT_ALLOWED_MEDIA_TYPES: readonly string[] = Object.keys(MEDIA_TYPE_LABELS);

/** How many leading bytes `matchesMagic` needs to see. */
export const SNIFF_BYTES = 1024;

/** `Text/CSV; charset=utf-8` and `text/csv` are the same type for our purposes. */
export function normalizeMediaType(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

export function isAllowedMediaType(mediaType: string, allowed: readonly string[]): boolean {
  const type = normalizeMediaType(mediaType);
  return allowed.some((a) => normalizeMediaType(a) === type);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
// A local file header, or the end-of-central-directory record that an empty archive starts with.
const ZIP_SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
];
const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

function startsWith(head: Uint8Array, signature: readonly number[]): boolean {
  return signature.length <= head.length && signature.every((byte, i) => head[i] === byte);
}

// Readers (Acrobat included) accept a PDF header anywhere in the first 1024 bytes, and some
// generators do put junk before it, so we search there rather than only at offset 0.
function hasPdfHeader(head: Uint8Array): boolean {
  const limit = Math.min(head.length, SNIFF_BYTES) - PDF_HEADER.length;
  for (let i = 0; i <= limit; i++) {
    if (PDF_HEADER.every((byte, j) => head[i + j] === byte)) return true;
  }
  return false;
}

// Text has no signature, but a NUL byte means binary (an .exe renamed to .txt), unless the file
// is UTF-16, which Excel writes for "Unicode text" and which starts with a byte-order mark.
function looksLikeText(head: Uint8Array): boolean {
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true;
  return !head.includes(0);
}

const ZIP_BASED = new Set([DOCX, XLSX, PPTX, ODT, ODS, 'application/zip']);

/** Types that are ZIP archives inside, so what they expand to must be checked. */
export function isArchiveType(mediaType: string): boolean {
  return ZIP_BASED.has(normalizeMediaType(mediaType));
}
const TEXT_BASED = new Set(['text/csv', 'text/plain']);

/**
 * Whether the first bytes of a file are consistent with its declared type. Types we know no
 * signature for are accepted: the allowed-types list is what keeps them out.
 */
export function matchesMagic(mediaType: string, head: Uint8Array): boolean {
  const type = normalizeMediaType(mediaType);
  if (type === 'application/pdf') return hasPdfHeader(head);
  if (type === 'image/png') return startsWith(head, PNG_SIGNATURE);
  if (type === 'image/jpeg') return startsWith(head, JPEG_SIGNATURE);
  if (ZIP_BASED.has(type)) return ZIP_SIGNATURES.some((sig) => startsWith(head, sig));
  if (TEXT_BASED.has(type)) return looksLikeText(head);
  return true;
}

/** The media type a file name's extension stands for, among the accepted ones (`informe.PDF` → application/pdf). */
export function mediaTypeForFile(name: string): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  if (!ext) return null;
  if (ext === 'jpg') return 'image/jpeg';
  return Object.entries(MEDIA_TYPE_LABELS).find(([, label]) => label.toLowerCase() === ext)?.[0] ?? null;
}
