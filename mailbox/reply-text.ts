/**
 * What an area lead wrote in a reply, without what the mail client added: the quoted notice
 * (`>` lines and the "On … wrote:" / "El … escribió:" line that introduces them, as Gmail and
 * Thunderbird write it), Outlook's header block ("De: … Enviado: …", "-----Mensaje original-----",
 * its line of underscores), a forwarded message's header, and the signature after "-- ".
 *
 * Pure. A small rule set of our own rather than a library: the maintained reply parser on npm
 * (email-reply-parser 2.x) is an ES module only, and plazos is CommonJS, run in the tests by jest's
 * module system, which cannot require an ES module.
 */

/** A reply's own text is short; a regex over megabytes of quoted history is a cost for nothing. */
export const MAX_REPLY_TEXT = 100_000;

/** Lines that open what the client quoted or forwarded: everything from them on is history. */
const HISTORY_STARTS: RegExp[] = [
  /^-{2,}\s*(original message|mensaje original|forwarded message|mensaje reenviado)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's separator above its header block
  /^-{20,}\s*$/, // the same separator (an <hr>) in a reply sent as HTML only, as mailparser turns it into text
];

/** "On Mon, 4 Dec 2023 at 10:00, Plazos <…> wrote:", "El lun, 4 dic 2023 a las 10:00, Plazos (<…>) escribió:" (may wrap over two lines). */
const ATTRIBUTION = /^(on\b.*\bwrote|el\b.*\bescribi[oó]|.*\b(wrote|escribi[oó]))\s*:\s*$/i;
const ATTRIBUTION_START = /^(on|el)\s.+/i;

function isOutlookHeader(lines: string[], i: number): boolean {
  const next = lines.slice(i + 1, i + 4).join('\n');
  return /^(de|from)\s*:/i.test(lines[i]!) && /^(enviado|sent|fecha|date)\s*:/im.test(next);
}

/** The lines the sender wrote: quoted lines and attributions left out, cut at history or signature. */
export function ownText(text: string): string {
  const lines = text.slice(0, MAX_REPLY_TEXT).replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (line === '-- ' || trimmed === '--') break;
    if (HISTORY_STARTS.some((re) => re.test(trimmed)) || isOutlookHeader(lines, i)) break;
    if (trimmed.startsWith('>')) continue;
    if (ATTRIBUTION.test(trimmed)) continue;
    // Gmail wraps a long attribution: "El lun, 4 dic 2023 a las 10:00, Plazos (<" / "plazos@…>) escribió:".
    if (ATTRIBUTION_START.test(trimmed) && i + 1 < lines.length && ATTRIBUTION.test(`${trimmed} ${lines[i + 1]!.trim()}`)) {
      i++;
      continue;
    }
    kept.push(line);
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const URL = /\bhttps?:\/\/[^\s<>"'()[\]{}]+/gi;

/** The links in the sender's own text, in order, trailing punctuation left out. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(URL)].map((m) => m[0].replace(/[.,;:!?]+$/, ''));
}
