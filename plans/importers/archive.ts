/**
 * What a ZIP archive (a .zip, and the .docx, .xlsx, .pptx, .odt and .ods built on it) holds and
 * expands to, found by inflating every entry and counting, never keeping what comes out. Used by
 * the web form and the mail reader before an evidence file is stored, and by the XLSX plan
 * importer before exceljs unzips a workbook into memory.
 *
 * The directory is read by yauzl (ZIP64, the Unicode path field, CP437 names); the rules are ours:
 *
 * - Sizes: a zip bomb declares small sizes and expands to gigabytes, so inflation stops one byte
 *   past the budget, whatever the directory says. The budget is one for the whole file: what every
 *   level of nesting expands to is added together, and so are the entries of every level.
 * - Nesting: archives inside are opened and checked by the same rules, to `maxDepth` levels.
 *   Refusing every archive inside would refuse the commonest evidence there is, a .zip of Word and
 *   Excel files (each one a ZIP), and a .docx with an embedded workbook; a zip inside a zip is
 *   also the classic way to hide a bomb or an .exe from a check that looks one level deep. An
 *   inner archive is held in memory to read its directory (a ZIP's directory is at its end), so
 *   it may be at most `maxNestedBytes`; with the depth, that bounds memory, and the shared budget
 *   bounds time.
 * - Names: every name an unzip tool might use (the central directory's, its Unicode path field,
 *   the local header's) must stay inside the folder it is extracted to: not absolute, no drive
 *   letter, no `..`, no backslash, no colon (an NTFS stream), no control characters.
 * - Programs and active content: an entry that runs when someone double-clicks it after
 *   extracting (.exe, .js, .bat, macro-enabled Office...) is refused in any archive. Web pages and
 *   SVG are refused in plain .zip files, whose entries a reviewer opens one by one in a browser;
 *   inside an Office document they are parts that Office renders (Word and PowerPoint keep SVG
 *   pictures as word/media/*.svg), so there they are allowed.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { hasControls, stripControls } from './text-guard';

/** `zip`: a plain archive a person extracts; `office`: an OOXML or OpenDocument file Office opens. */
export type ArchiveKind = 'zip' | 'office';

export interface ArchiveLimits {
  /** Bytes all entries may expand to together, every level of nesting counted. */
  maxExpandedBytes: number;
  /** Entries of every level together. */
  maxEntries: number;
  /** Archives inside archives: 0 refuses any, 2 allows a .zip of .docx files with embedded workbooks. */
  maxDepth?: number;
  /** Bytes one inner archive may be; it is held in memory while it is checked. */
  maxNestedBytes?: number;
}

/** A .zip of Word files (1), each with an embedded workbook (2). */
export const DEFAULT_ARCHIVE_DEPTH = 2;

export type ArchiveProblem =
  | 'not-zip'
  | 'too-many-entries'
  | 'too-large'
  | 'unsupported'
  | 'corrupt'
  | 'unsafe-path'
  | 'executable'
  | 'active-content'
  | 'uninspectable'
  | 'too-deep'
  | 'nested-too-large';

export type ArchiveCheck =
  | { ok: true; entries: number; expandedBytes: number }
  /** `entry`: the path of the entry refused, inner archives joined with " › ", cleaned for display. */
  | { ok: false; reason: ArchiveProblem; entry?: string };

type Refusal = Extract<ArchiveCheck, { ok: false }>;

const OFFICE_EXTENSIONS = new Set(['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'odg']);

/** Programs, scripts, shortcuts and macro-enabled Office files: they run code when opened. */
const EXECUTABLE_EXTENSIONS = new Set([
  ...['exe', 'com', 'bat', 'cmd', 'msi', 'msp', 'mst', 'scr', 'pif', 'cpl', 'dll', 'sys', 'drv', 'ocx'],
  ...['js', 'jse', 'mjs', 'cjs', 'vbs', 'vbe', 'wsf', 'wsh', 'wsc', 'ps1', 'psm1', 'psd1', 'hta', 'msc'],
  ...['sh', 'bash', 'zsh', 'csh', 'ksh', 'command', 'run', 'py', 'pyw', 'pl', 'rb', 'php', 'jar', 'class'],
  ...['lnk', 'url', 'scf', 'reg', 'inf', 'iqy', 'slk', 'appref-ms', 'application', 'gadget', 'settingcontent-ms'],
  ...['app', 'apk', 'appx', 'msix', 'dmg', 'pkg', 'deb', 'rpm'],
  ...['docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'pptm', 'potm', 'ppam', 'ppsm'],
]);

/** Opened in a browser, these run scripts. */
const ACTIVE_CONTENT_EXTENSIONS = new Set(['html', 'htm', 'shtml', 'xhtml', 'xht', 'svg', 'svgz', 'mht', 'mhtml']);

/** Archives this check cannot open, so what they hold would go unchecked. */
const UNINSPECTABLE_EXTENSIONS = new Set([
  'rar',
  '7z',
  'tar',
  'gz',
  'tgz',
  'bz2',
  'tbz2',
  'xz',
  'txz',
  'zst',
  'lz',
  'lzma',
  'cab',
  'arj',
  'lzh',
  'ace',
  'iso',
  'img',
  'vhd',
  'vhdx',
]);

const ZIP_HEADS = [Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from('PK\u0005\u0006', 'latin1')];
/** A name longer than this is shown cut in the middle, keeping its extension. */
const SHOWN_NAME_CHARS = 80;

/** The entry's path as people read it in a refusal: no control characters, cut to a readable length. */
export function shownEntryName(path: string): string {
  // Line breaks too: the name goes into a one-line sentence of a web page and a mail.
  // eslint-disable-next-line no-control-regex
  const clean = stripControls(path).replace(/[\u0000-\u001f\u007f]/g, '');
  if (clean.length <= SHOWN_NAME_CHARS) return clean;
  return `${clean.slice(0, SHOWN_NAME_CHARS - 31)}…${clean.slice(-30)}`;
}

/** The extension as Windows sees it: trailing dots and spaces are dropped when a file is created. */
function extensionOf(name: string): string {
  const base =
    name
      .replace(/[. ]+$/, '')
      .split('/')
      .pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** Which rule a name breaks, or null. Pure. */
export function entryNameProblem(name: string, kind: ArchiveKind): 'unsafe-path' | 'executable' | 'active-content' | 'uninspectable' | null {
  if (
    name.includes('\\') ||
    name.includes(':') ||
    name.startsWith('/') ||
    name.split('/').includes('..') ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(name) ||
    hasControls(name)
  )
    return 'unsafe-path';
  const ext = extensionOf(name);
  if (EXECUTABLE_EXTENSIONS.has(ext)) return 'executable';
  if (kind === 'zip' && ACTIVE_CONTENT_EXTENSIONS.has(ext)) return 'active-content';
  if (UNINSPECTABLE_EXTENSIONS.has(ext)) return 'uninspectable';
  return null;
}

/** What the whole file has spent so far, across levels. */
interface Budget {
  expanded: number;
  entries: number;
}

interface Level {
  kind: ArchiveKind;
  depth: number;
  /** The inner archives' names that lead here, for the refusal. */
  path: string[];
}

type Limits = Required<ArchiveLimits>;

function decodeName(raw: Buffer, flags: number, extraFields: Entry['extraFields']): string {
  return yauzl.getFileNameLowLevel(flags, raw, extraFields, true);
}

/** Every name an unzip tool might give the entry: most use the Unicode path field when there is one, some ignore it. */
function namesOf(entry: Entry): string[] {
  const raw = entry.fileName as unknown as Buffer;
  return [...new Set([decodeName(raw, entry.generalPurposeBitFlag, entry.extraFields), decodeName(raw, entry.generalPurposeBitFlag, [])])];
}

/** A name not marked UTF-8 is read as CP437, which shows control bytes as pictures; an unzip tool on Linux writes the bytes. */
function hasControlBytes(raw: Buffer): boolean {
  return raw.some((byte) => byte < 0x20 || byte === 0x7f);
}

function refusal(reason: Refusal['reason'], level: Level, name?: string): Refusal {
  return name === undefined ? { ok: false, reason } : { ok: false, reason, entry: shownEntryName([...level.path, name].join(' › ')) };
}

function isZipHead(head: Buffer): boolean {
  return ZIP_HEADS.some((sig) => head.length >= sig.length && head.subarray(0, sig.length).equals(sig));
}

/**
 * Inflates one entry, counting against the budget. Returns its bytes when it is an archive to
 * check in turn (held up to `maxNestedBytes`), 'done' when it was only counted, or a refusal.
 */
async function readEntry(zip: ZipFile, entry: Entry, name: string, level: Level, budget: Budget, limits: Limits): Promise<Buffer | 'done' | Refusal> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch {
    return refusal('corrupt', level, name);
  }
  const kept: Buffer[] = [];
  let head = Buffer.alloc(0);
  let nested: boolean | null = null;
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      budget.expanded += chunk.length;
      if (budget.expanded > limits.maxExpandedBytes) return refusal('too-large', level, name);
      if (nested === null) {
        head = Buffer.concat([head, chunk]);
        if (head.length >= 4) nested = isZipHead(head);
        if (nested === true && level.depth >= limits.maxDepth) return refusal('too-deep', level, name);
      }
      if (nested === true) {
        if (size > limits.maxNestedBytes) return refusal('nested-too-large', level, name);
        kept.push(chunk);
      }
    }
  } catch {
    return refusal('corrupt', level, name);
  } finally {
    stream.destroy();
  }
  return nested ? Buffer.concat(kept) : 'done';
}

async function openZip(bytes: Buffer): Promise<ZipFile | Refusal> {
  try {
    // decodeStrings off: yauzl would stop at the first unsafe name with an error; we name it instead.
    // Entry sizes are not trusted but counted as they inflate, so yauzl need not compare them.
    return await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false });
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    return { ok: false, reason: /end of central directory record signature not found/.test(message) ? 'not-zip' : 'corrupt' };
  }
}

async function checkLevel(bytes: Buffer, level: Level, budget: Budget, limits: Limits): Promise<Refusal | null> {
  const zip = await openZip(bytes);
  if ('ok' in zip) return zip;
  try {
    if (budget.entries + zip.entryCount > limits.maxEntries) return refusal('too-many-entries', level);
    budget.entries += zip.entryCount;
    for await (const entry of zip.eachEntry()) {
      const names = namesOf(entry);
      const shown = names[0] ?? '';
      if (hasControlBytes(entry.fileName as unknown as Buffer)) return refusal('unsafe-path', level, shown);
      for (const name of names) {
        const problem = entryNameProblem(name, level.kind);
        if (problem) return refusal(problem, level, name);
      }
      const local = await zip.readLocalFileHeaderPromise(entry).catch(() => null);
      if (!local) return refusal('corrupt', level, shown);
      const localName = decodeName(local.fileName, local.generalPurposeBitFlag, []);
      const localProblem = hasControlBytes(local.fileName) ? 'unsafe-path' : entryNameProblem(localName, level.kind);
      if (localProblem) return refusal(localProblem, level, localName);
      if (shown.endsWith('/')) continue;
      if (entry.isEncrypted() || !entry.canDecodeFileData()) return refusal('unsupported', level, shown);
      // The declared size is a first, cheap refusal (a 2 GB entry inside a 4 KB zip); inflation is what counts.
      if (budget.expanded + entry.uncompressedSize > limits.maxExpandedBytes) return refusal('too-large', level, shown);
      const read = await readEntry(zip, entry, shown, level, budget, limits);
      if (read === 'done') continue;
      if (!Buffer.isBuffer(read)) return read;
      const inner: Level = { kind: OFFICE_EXTENSIONS.has(extensionOf(shown)) ? 'office' : 'zip', depth: level.depth + 1, path: [...level.path, shown] };
      const problem = await checkLevel(read, inner, budget, limits);
      // A damaged inner archive is refused by its own name: that is the file the person must fix.
      if (problem) return problem.entry === undefined ? { ...problem, entry: shownEntryName(inner.path.join(' › ')) } : problem;
    }
  } catch {
    return refusal('corrupt', level);
  } finally {
    zip.close();
  }
  return null;
}

/** Checks what the archive holds and expands to; the bytes are those of the whole file. */
export async function checkArchive(input: Uint8Array, limits: ArchiveLimits, kind: ArchiveKind = 'zip'): Promise<ArchiveCheck> {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const all: Limits = {
    ...limits,
    maxDepth: limits.maxDepth ?? DEFAULT_ARCHIVE_DEPTH,
    maxNestedBytes: limits.maxNestedBytes ?? limits.maxExpandedBytes,
  };
  const budget: Budget = { expanded: 0, entries: 0 };
  const problem = await checkLevel(bytes, { kind, depth: 0, path: [] }, budget, all);
  return problem ?? { ok: true, entries: budget.entries, expandedBytes: budget.expanded };
}
