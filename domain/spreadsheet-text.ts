/**
 * Text that a spreadsheet would run as a formula: a cell starting with =, + , - or @ (or with a tab
 * or carriage return, which some spreadsheets drop before reading the rest). Plan text is typed by
 * many hands and comes back out in the CSV and XLSX that OAPLA opens in Excel, so it is defused
 * the same way where it comes in (the plan importers) and where it goes out (every CSV plazos
 * writes): an apostrophe in front, which Excel and LibreOffice read as "this is text". Pure.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function startsAsFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** The text with an apostrophe in front when it would start a formula; already defused text is left alone. */
export function defuseFormula(text: string): string {
  return startsAsFormula(text) ? `'${text}` : text;
}

/** One CSV cell, for every CSV plazos writes (the plan page's report, the follow-up cuts). */
export function csvCell(value: string | number): string {
  const safe = defuseFormula(String(value));
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
