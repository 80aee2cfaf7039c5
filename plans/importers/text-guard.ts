/**
 * What every importer checks of the text before reading it as a plan: how many lines it has, and
 * characters that have no business in a plan (NUL, terminal escape sequences, bidirectional
 * overrides) and that `plan preview` would otherwise print raw to a planner's terminal. Pure.
 */
import { MAX_REPEATED_ISSUES, PLAN_LIMITS, thousands } from '../limits';
import type { PlanField } from '../model';
import type { IssueCollector } from '../validate';

/**
 * Terminal sequences whole (CSI `ESC [ ... m`, OSC `ESC ] ... BEL`), then any other C0 or C1
 * control but tab and line breaks, DEL, and the bidirectional overrides that make text read in
 * another order than it is stored.
 */
const CONTROLS =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Whether the text holds a character `stripControls` removes. */
export function hasControls(text: string): boolean {
  CONTROLS.lastIndex = 0;
  const found = CONTROLS.test(text);
  CONTROLS.lastIndex = 0;
  return found;
}

export function stripControls(text: string): string {
  return text.replace(CONTROLS, '');
}

export const CONTROLS_REMOVED = 'Se quitaron caracteres de control (NUL, secuencias de terminal u otros invisibles) de esta línea.';

/**
 * Reports one warning per line while there are few, then one that counts the rest, so a file
 * full of NUL bytes gives a readable report rather than a hundred thousand lines of it.
 */
export class RepeatedWarning {
  private count = 0;
  constructor(
    private readonly issues: IssueCollector,
    private readonly field: PlanField | null,
    private readonly message: string,
  ) {}

  add(line: number | null, activity: number | null = null, field: PlanField | null = this.field): void {
    this.count += 1;
    if (this.count <= MAX_REPEATED_ISSUES) this.issues.warn(line, activity, field, this.message);
  }

  finish(): void {
    const more = this.count - MAX_REPEATED_ISSUES;
    if (more > 0) this.issues.warn(null, null, this.field, `${this.message.replace(/ de esta línea\.$/, '')} en ${thousands(more)} líneas más.`);
  }
}

/** The number of lines of a text (LF, CRLF or CR), counting up to `stopAt` and no further. */
export function countLines(text: string, stopAt = Infinity): number {
  const breaks = /\r\n|\r|\n/g;
  let lines = 1;
  while (lines < stopAt && breaks.exec(text) !== null) lines += 1;
  return lines;
}

/**
 * The text without a leading BOM and without control characters (each line that had one is
 * warned about), or null when it has more lines than a plan can (an error says so).
 */
export function guardText(text: string, issues: IssueCollector, maxLines: number = PLAN_LIMITS.rows): string | null {
  const body = text.replace(/^\uFEFF/, '');
  if (countLines(body, maxLines + 1) > maxLines) {
    issues.error(
      maxLines + 1,
      null,
      'file',
      `El archivo tiene más de ${thousands(maxLines)} líneas, el máximo que plazos lee en un plan: divídalo en varios planes.`,
    );
    return null;
  }
  if (!hasControls(body)) return body;
  const warning = new RepeatedWarning(issues, 'file', CONTROLS_REMOVED);
  const lines = body.split(/(\r\n|\n|\r)/);
  for (let i = 0; i < lines.length; i += 2) {
    const line = lines[i] as string;
    if (hasControls(line)) {
      lines[i] = stripControls(line);
      warning.add(i / 2 + 1);
    }
  }
  warning.finish();
  return lines.join('');
}
