/**
 * Reads a percentage of progress out of free text, as an area writes it in a reply to a notice:
 * "Avance: 60 %", "avance 60%", "Progreso: 60 %", "Progress: 60%". Pure, so the e-mail reader and
 * the tests use the same rule.
 *
 * The percent sign is required: "avance 2 de 3 informes" must not become 2 %. The first phrase wins
 * (a reply's own text comes before the quoted notice); a first phrase out of 0..100 or with decimals
 * gives nothing rather than a guess, so OAPLA never sees a number the area did not write.
 */

/** Keyword, optional ':' '=' '-' or "del"/"de"/"of", then 1-3 digits and '%' (any space, NBSP included, between). */
const PROGRESS_PHRASE =
  /\b(?:avance|progreso|progress)\b[ \t\u00a0\u202f]*(?:[:=\-–][ \t\u00a0\u202f]*)?(?:(?:del|de|of)[ \t\u00a0\u202f]+)?(\d{1,3})([.,]\d+)?[ \t\u00a0\u202f]*%/iu;

/** Longest text looked at: a reply's first lines carry the figure, and a regex over megabytes is a cost for nothing. */
export const PROGRESS_TEXT_MAX_CHARS = 20_000;

export function parseProgress(text: string): { percent: number } | undefined {
  const match = PROGRESS_PHRASE.exec(text.slice(0, PROGRESS_TEXT_MAX_CHARS));
  if (!match) return undefined;
  // A decimal ("60,5 %") is matched whole so it is not read as 60, then refused: the workflow takes integers.
  if (match[2] !== undefined) return undefined;
  const percent = Number(match[1]);
  return Number.isInteger(percent) && percent >= 0 && percent <= 100 ? { percent } : undefined;
}
