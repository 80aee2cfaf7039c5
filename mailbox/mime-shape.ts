/**
 * The shape of a message (how deep its parts nest, how many parts and attachments it has), read in
 * one pass over its bytes before mailparser sees it, and given up on as soon as a bound is passed.
 *
 * Why a scan of our own in front of the parser: mailparser builds every part of a message in
 * memory before it can refuse one with too many, so a MIME bomb (thousands of nested multiparts,
 * tens of thousands of parts) costs its full size in parsing and memory each time it is read. This
 * scan keeps one header block and the open boundaries (at most `maxDepth` of them) and stops at the
 * first bound passed, so what a bomb costs is one linear look at bytes already limited by the
 * reader's size bound. Pure.
 *
 * It is not a MIME parser: it only needs to count what the parser would build. It counts a
 * `message/rfc822` part as one level deeper, as the parser nests it.
 */

export interface MimeBounds {
  /** Multipart and embedded-message levels. Mail clients nest 3 or 4 (mixed > alternative > related, a forward). */
  maxDepth: number;
  /** Header blocks, the message's own included. A reply with a signature and one file has under 10. */
  maxParts: number;
  /** Parts named as files or marked `attachment`. One is the evidence; logos and the like are a few more. */
  maxAttachments: number;
  /** One header block, unfolded. Real ones are a few kilobytes; Received chains reach tens. */
  maxHeaderBytes: number;
}

export const MIME_BOUNDS: Readonly<MimeBounds> = {
  maxDepth: 12,
  maxParts: 200,
  maxAttachments: 50,
  maxHeaderBytes: 256 * 1024,
};

export type OverBound = 'depth' | 'parts' | 'attachments' | 'headers';

export type MimeShape = { ok: true; depth: number; parts: number; attachments: number; messageId?: string } | { ok: false; why: OverBound; messageId?: string };

interface Open {
  /** The boundary of an open multipart; null for an embedded message, which ends with its parent. */
  boundary: string | null;
}

function headerValue(block: string, name: string): string | undefined {
  const re = new RegExp(`^${name}[ \\t]*:[ \\t]*(.*)$`, 'im');
  return re.exec(block)?.[1]?.trim();
}

function param(value: string, name: string): string | undefined {
  const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i');
  const m = re.exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The Message-ID as mailparser gives it (`<id>`), so a message refused here is remembered by the same key. */
function messageIdOf(block: string): string | undefined {
  const value = headerValue(block, 'message-id');
  if (!value) return undefined;
  const bracketed = /<[^<>]+>/.exec(value)?.[0];
  if (bracketed) return bracketed;
  const bare = value.replace(/[<>\s]/g, '');
  return bare ? `<${bare}>` : undefined;
}

export function scanMime(raw: Buffer, bounds: Readonly<MimeBounds> = MIME_BOUNDS): MimeShape {
  // latin1 keeps one character per byte: boundaries and header names are ASCII, and nothing is decoded.
  const text = raw.toString('latin1');
  const open: Open[] = [];
  const boundaries = new Map<string, number>();
  let inHeader = true;
  let header = '';
  let parts = 0;
  let attachments = 0;
  let deepest = 0;
  let messageId: string | undefined;
  let first = true;

  const closeTo = (length: number) => {
    while (open.length > length) {
      const gone = open.pop()!;
      if (gone.boundary !== null && boundaries.get(gone.boundary) === open.length) boundaries.delete(gone.boundary);
    }
  };

  /** A header block ended: count the part and open what it opens. Returns a bound passed, if any. */
  const endHeader = (): OverBound | undefined => {
    const block = header.replace(/\r?\n[ \t]+/g, ' ');
    header = '';
    if (first) messageId = messageIdOf(block);
    first = false;
    if (++parts > bounds.maxParts) return 'parts';
    const contentType = headerValue(block, 'content-type') ?? '';
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    const boundary = type.startsWith('multipart/') ? param(contentType, 'boundary') : undefined;
    if (boundary) {
      boundaries.set(boundary, open.length);
      open.push({ boundary });
      inHeader = false;
    } else if (type === 'message/rfc822' || type === 'message/global') {
      open.push({ boundary: null });
      inHeader = true;
    } else {
      const disposition = headerValue(block, 'content-disposition') ?? '';
      const named = param(contentType, 'name') !== undefined || param(disposition, 'filename') !== undefined || /filename\*/i.test(disposition);
      if (/^attachment\b/i.test(disposition) || named) attachments++;
      if (attachments > bounds.maxAttachments) return 'attachments';
      inHeader = false;
    }
    deepest = Math.max(deepest, open.length);
    return open.length > bounds.maxDepth ? 'depth' : undefined;
  };

  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;
    if (inHeader) {
      if (line === '') {
        const over = endHeader();
        if (over) return { ok: false, why: over, messageId };
        continue;
      }
      header += `${line}\n`;
      if (header.length > bounds.maxHeaderBytes) return { ok: false, why: 'headers', messageId };
      continue;
    }
    if (boundaries.size === 0 || !line.startsWith('--')) continue;
    const delimiter = line.slice(2).trimEnd();
    const at = boundaries.get(delimiter);
    if (at !== undefined) {
      // A delimiter of an outer multipart also ends every part opened inside it.
      closeTo(at + 1);
      inHeader = true;
      continue;
    }
    if (delimiter.endsWith('--')) {
      const closing = boundaries.get(delimiter.slice(0, -2));
      if (closing !== undefined) closeTo(closing);
    }
  }
  // A message that ends inside its header block (headers only, as the reader fetches a message too large).
  if (inHeader && header !== '') {
    const over = endHeader();
    if (over) return { ok: false, why: over, messageId };
  }
  return { ok: true, depth: deepest, parts, attachments, messageId };
}
