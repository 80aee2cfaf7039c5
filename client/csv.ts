import { defuseFormula } from '../plans/spreadsheet-text';

/** One CSV cell, for every CSV plazos writes (the plan page's report, the follow-up cuts). */
export function csvCell(value: string | number): string {
  const safe = defuseFormula(String(value));
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
