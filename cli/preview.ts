/**
 * Writing `plan preview` of a large plan in bounded memory. The notices are computed once, in plan
 * order (calendar/notice-order.ts), but go out sorted by time; each is rendered as it is computed
 * and its text parked in a temporary file, then read back in sending order and written as it
 * comes. What stays in memory is the plan, a few bytes per notice for the order, and a chunk of
 * output: the largest preview the limits allow (400,000 notices, 70 to 90 MB of text) took a
 * gigabyte when it held every notice and then the whole text.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusinessCalendar, Locale } from '../calendar/business-calendar';
import type { NoticeOrder, NoticesOverLimit } from '../calendar/notice-order';
import type { ScheduledNotice } from '../calendar/schedule';
import type { Plan } from '../plans/model';
import { jsonArrayChunks, writeChunks } from './print';

/** Texts appended one after another to a file nobody else sees, read back by index in any order. */
class ParkedTexts {
  private readonly fd: number;
  private readonly dir: string;
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private size = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readBuffer = Buffer.alloc(64 * 1024);

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'plazos-preview-'));
    const path = join(this.dir, 'avisos');
    this.fd = openSync(path, 'w+', 0o600);
    // Unlinked at once where the system allows it: nothing is left behind if the process is killed.
    try {
      unlinkSync(path);
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // Windows keeps an open file; close() removes it.
    }
  }

  push(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.offsets.push(this.size);
    this.lengths.push(bytes.length);
    this.size += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= 1024 * 1024) this.flush();
  }

  flush(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    writeSync(this.fd, chunk, 0, chunk.length, this.size - this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
  }

  get(index: number): string {
    const length = this.lengths[index] as number;
    if (length > this.readBuffer.length) this.readBuffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, this.readBuffer, read, length - read, (this.offsets[index] as number) + read);
      if (n === 0) throw new Error('the preview file ended early');
      read += n;
    }
    return this.readBuffer.toString('utf8', 0, length);
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

type Ordered = NoticeOrder | NoticesOverLimit;

/**
 * Writes the plan's preview, as the agenda or as JSON, to `out`, or, when the plan gives more than
 * `limit` notices, writes nothing and returns the index of the activity at which it passed them.
 */
export async function writePreview(
  out: NodeJS.WritableStream,
  plan: Plan,
  calendar: BusinessCalendar,
  opts: { json: boolean; locale: Locale; limit: number },
): Promise<NoticesOverLimit | null> {
  const { agendaLine, agendaLines, agendaTitles, orderNotices, previewNotification } = await import('../calendar');
  const parked = new ParkedTexts();
  try {
    let ordered: Ordered;
    if (opts.json) {
      ordered = orderNotices(plan, calendar, opts.limit, (n) => parked.push(JSON.stringify(previewNotification(n), null, 2)));
      if ('overAt' in ordered) return ordered;
      parked.flush();
      const { order } = ordered;
      const items = (function* () {
        for (const i of order) yield parked.get(i);
      })();
      await writeChunks(out, jsonArrayChunks('notifications', items));
      return null;
    }
    const titles = agendaTitles(plan);
    // The month of each notice, YYYYMM, for the agenda's headings: a number, not a string, each.
    const months: number[] = [];
    const park = (n: ScheduledNotice) => {
      months.push(Number(n.date.slice(0, 4)) * 100 + Number(n.date.slice(5, 7)));
      parked.push(agendaLine(n, titles, opts.locale));
    };
    ordered = orderNotices(plan, calendar, opts.limit, park);
    if ('overAt' in ordered) return ordered;
    parked.flush();
    const { order, count } = ordered;
    const lines = (function* () {
      for (const i of order) {
        const month = months[i] as number;
        yield { date: `${String(Math.floor(month / 100)).padStart(4, '0')}-${String(month % 100).padStart(2, '0')}`, line: parked.get(i) };
      }
    })();
    await writeChunks(
      out,
      (function* () {
        for (const line of agendaLines(plan, count, lines, opts.locale)) yield `${line}\n`;
      })(),
    );
    return null;
  } finally {
    parked.close();
  }
}
