/**
 * Reads a percentage of progress out of free text, as an area writes it in a reply to a notice:
 * "Avance: 60 %", "avance 60%", "Progreso: 60 %", "Progress: 60%". Pure, so the e-mail reader and
 * the tests use the same rule.
 *
 * The percent sign is required: "avance 2 de 3 informes" must not become 2 %. The first phrase wins
 * (a reply's own text comes before the quoted notice); a first phrase out of 0..100 or with decimals
 * gives nothing rather than a guess, so OAPLA never sees a number the area did not write.
 */

/**
 * Keyword, optional ':' '=' '-' or "del"/"de"/"of", then a sign, digits and '%' (any space, NBSP
 * included, between). A '-' right before the digits is a sign ("Avance -5 %"), not the separator, so
 * a negative figure is read as written and refused, never taken as its absolute value.
 */
const PROGRESS_PHRASE =
  /\b(?:avance|progreso|progress)\b[ \t\u00a0\u202f]*(?:(?:[:=]|[-–](?!\d))[ \t\u00a0\u202f]*)?(?:(?:del|de|of)[ \t\u00a0\u202f]+)?([-−]?)(\d{1,12})([.,]\d+)?[ \t\u00a0\u202f]*%/iu;

/** Longest text looked at: a reply's first lines carry the figure, and a regex over megabytes is a cost for nothing. */
export const PROGRESS_TEXT_MAX_CHARS = 20_000;

/**
 * The first progress phrase as written: a percent the workflow takes, or one it cannot (out of
 * 0..100, or with decimals), so the sender can be told why instead of being told nothing was found.
 */
export type ProgressPhrase = { ok: true; percent: number } | { ok: false; written: string };

export function readProgress(text: string): ProgressPhrase | undefined {
  const match = PROGRESS_PHRASE.exec(text.slice(0, PROGRESS_TEXT_MAX_CHARS));
  if (!match) return undefined;
  const negative = match[1] !== '';
  const written = `${negative ? '-' : ''}${match[2]!}${match[3] ?? ''}`;
  // A decimal ("60,5 %") is matched whole so it is not read as 60, then refused: the workflow takes integers.
  if (match[3] !== undefined || negative) return { ok: false, written };
  const percent = Number(match[2]);
  return percent <= 100 ? { ok: true, percent } : { ok: false, written };
}

export function parseProgress(text: string): { percent: number } | undefined {
  const phrase = readProgress(text);
  return phrase?.ok ? { percent: phrase.percent } : undefined;
}
