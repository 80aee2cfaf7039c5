/** Readable and JSON renderings of import issues, shared by every command that reads a plan. */
import { writeFileSync } from 'node:fs';
import type { PlanIssue } from '../plans/model';
import { CliError, EXIT } from '../domain/errors';
import { t } from './i18n';

export function formatIssue(issue: PlanIssue, severity: 'error' | 'warning'): string {
  const m = t();
  const where = [issue.file ?? '', issue.line !== null ? `${m.line} ${issue.line}` : null].filter(Boolean).join(', ');
  const what = [issue.activity !== null ? `${m.activity} ${issue.activity}` : null, issue.field ? `[${issue.field}]` : null].filter(Boolean).join(' ');
  const label = severity === 'error' ? m.error : m.warning;
  return `${label.padEnd(7)} ${where}${what ? ` · ${what}` : ''}: ${issue.message}`;
}

/** JSON entries as documented: line, activity, field, message (and the file they are in). */
export function issueJson(issue: PlanIssue): { line: number | null; activity: number | null; field: string | null; message: string; file: string | null } {
  return { line: issue.line, activity: issue.activity, field: issue.field, message: issue.message, file: issue.file };
}

export function printIssues(errors: PlanIssue[], warnings: PlanIssue[], out: NodeJS.WritableStream = process.stdout): void {
  for (const e of errors) out.write(`${formatIssue(e, 'error')}\n`);
  for (const w of warnings) out.write(`${formatIssue(w, 'warning')}\n`);
}

/** Node's own error text is English and technical; the planner gets the reason in their language. */
export function writeOutput(file: string, text: string | Uint8Array): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    const reasons = t().writeProblem;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? reasons[code] : reasons.other;
    throw new CliError(t().unwritable(file, why), EXIT.usage);
  }
}

/** About this many characters are gathered before each write: few writes, and little held. */
const CHUNK_CHARS = 64 * 1024;

/** Writes the pieces as they come, a chunk at a time, waiting for the reader when it is slower. */
export async function writeChunks(out: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  const write = (chunk: string) => (out.write(chunk) ? Promise.resolve() : new Promise<void>((done) => out.once('drain', done)));
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= CHUNK_CHARS) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk) await write(chunk);
}

/**
 * `{ "<key>": [ ... ] }` exactly as `JSON.stringify(body, null, 2)` writes it, in pieces, from each
 * item's own `JSON.stringify(item, null, 2)`: a preview of a large plan never holds its whole JSON
 * text, nor its whole list.
 */
export function* jsonArrayChunks(key: string, itemTexts: Iterable<string>): Generator<string> {
  let first = true;
  for (const text of itemTexts) {
    yield `${first ? `{\n  ${JSON.stringify(key)}: [\n` : ',\n'}${text.replace(/^/gm, '    ')}`;
    first = false;
  }
  yield first ? `${JSON.stringify({ [key]: [] }, null, 2)}\n` : '\n  ]\n}\n';
}
