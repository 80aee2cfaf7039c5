/**
 * Each message in an activity's history read as one sentence (client/timeline-text.ts), on recorded
 * histories (test/replay/histories): a calendar apply, a rejected and extended and amended activity,
 * progress reports. No sentence is raw JSON, and none is longer than one terminal line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { timelineFromHistory, type TimelineEntry } from '../../client/timeline';
import { clip, messageSentence, SENTENCE_MAX } from '../../client/timeline-text';

const HISTORIES = join(__dirname, '../replay/histories');

function timelineOf(dir: string): TimelineEntry[] {
  const file = readdirSync(join(HISTORIES, dir)).find((f) => f.endsWith('.binpb'));
  if (!file) throw new Error(`no history in ${dir}`);
  return timelineFromHistory(temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES, dir, file))));
}
const messages = (t: TimelineEntry[]) => t.filter((e) => e.kind === 'update' || e.kind === 'signal');

describe('an activity history in sentences', () => {
  it('a calendar apply says how many notices moved and which calendar, not the 9 KB it carried', () => {
    const applied = messages(timelineOf('v2/calendar-apply')).filter((e) => e.name === 'applyCalendar');
    expect(applied.length).toBeGreaterThan(0);
    for (const e of applied) {
      expect(JSON.stringify(e.details?.args).length).toBeGreaterThan(1_000);
      const sentence = messageSentence(e);
      expect(sentence).toMatch(/^calendario aplicado: (ningún aviso movido|1 aviso movido|\d+ avisos movidos); \d+ días? no laborables? de \d{4} a \d{4}$/);
      // The count is the update's own answer, read from its completion in the history.
      const moved = (e.details?.result as { moved: unknown[] }).moved.length;
      expect(sentence).toContain(moved === 0 ? 'ningún aviso movido' : `${moved} aviso`);
    }
  });

  it('evidence, review, extension and amendment each read as what they did, with the reason cut to the line', () => {
    const sentences = messages(timelineOf('v5/check-failed-rejected-extended-late')).map((e) => messageSentence(e));
    expect(sentences.some((s) => /^evidencia entregada por OAPLA \(enlace https?:\/\//.test(s))).toBe(true);
    expect(sentences.some((s) => /^evidencia rechazada, nueva fecha \d{4}-\d{2}-\d{2}: /.test(s))).toBe(true);
    expect(sentences.some((s) => /^prórroga hasta \d{4}-\d{2}-\d{2}: /.test(s))).toBe(true);
    expect(sentences.some((s) => /^actividad modificada \(/.test(s))).toBe(true);
    expect(sentences.some((s) => s === 'evidencia aprobada' || s.startsWith('evidencia aprobada: '))).toBe(true);
  });

  it('in English too', () => {
    const sentences = messages(timelineOf('v5/check-failed-rejected-extended-late')).map((e) => messageSentence(e, 'en'));
    expect(sentences.some((s) => /^extended to \d{4}-\d{2}-\d{2}: /.test(s))).toBe(true);
  });

  it('no message of any recorded history reads as JSON or runs past one line', () => {
    const all = readdirSync(HISTORIES).flatMap((v) => readdirSync(join(HISTORIES, v)).map((d) => `${v}/${d}`));
    let seen = 0;
    for (const dir of all) {
      for (const e of messages(timelineOf(dir))) {
        const sentence = messageSentence(e);
        seen++;
        expect([...sentence].length).toBeLessThanOrEqual(SENTENCE_MAX);
        expect(sentence).not.toMatch(/[{}"]|^mensaje /);
      }
    }
    expect(seen).toBeGreaterThan(20);
  });

  it('a long note is cut to the line with an ellipsis, and a refused update says it was not applied', () => {
    const long: TimelineEntry = {
      at: '2026-12-07T10:00:00-05:00',
      kind: 'update',
      name: 'reportProgress',
      details: { args: [{ percent: 40, reportedBy: 'ARCOM', via: 'web', note: 'x'.repeat(500) }], refused: 'La actividad está cerrada.' },
    };
    const sentence = messageSentence(long);
    expect([...sentence].length).toBeLessThanOrEqual(SENTENCE_MAX);
    expect(sentence).toMatch(/^avance del 40 % reportado por ARCOM: x+… · no aplicada: La actividad está cerrada\.$/);
    expect(clip('año', 2)).toBe('a…');
  });
});
