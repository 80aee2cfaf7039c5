/** How the pages write dates for people in Colombia, and what they read back from a date box. */
import { dateInputValue, dateLabel, parseDateInput } from '../../web/labels';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadViews } from '../../web/views';

describe('dates on the pages', () => {
  it('writes a date and an instant as es-CO reads them, and leaves anything else as it was', () => {
    expect(dateLabel('2026-11-30')).toBe('30 nov 2026');
    expect(dateLabel('2026-01-05')).toBe('5 ene 2026');
    expect(dateLabel('2026-11-20 08:00')).toBe('20 nov 2026, 08:00');
    expect(dateLabel('2026-11-20T13:05:00.000Z')).toBe('20 nov 2026, 13:05');
    expect(dateLabel('')).toBe('');
    expect(dateLabel(null)).toBe('');
    expect(dateLabel('03-31')).toBe('03-31');
  });

  it('reads dd/mm/aaaa (day first) and ISO, and refuses days that do not exist', () => {
    expect(parseDateInput('30/11/2026')).toBe('2026-11-30');
    expect(parseDateInput('3/1/2026')).toBe('2026-01-03');
    expect(parseDateInput('30-11-2026')).toBe('2026-11-30');
    expect(parseDateInput('2026-11-30')).toBe('2026-11-30');
    expect(parseDateInput('29/02/2024')).toBe('2024-02-29');
    expect(parseDateInput('29/02/2026')).toBeNull();
    expect(parseDateInput('11/30/2026')).toBeNull();
    expect(parseDateInput('30 nov 2026')).toBeNull();
    expect(dateInputValue('2026-01-05')).toBe('05/01/2026');
  });

  it('the {{fecha}} helper prints the date in a span the CSS keeps on one line, and escapes what is not a date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plazos-vistas-'));
    writeFileSync(join(dir, 'layout.hbs'), '{{{body}}}');
    writeFileSync(join(dir, 'app.css'), '');
    writeFileSync(join(dir, 'page.hbs'), '{{fecha due}}|{{fecha missing}}|{{fecha odd}}|{{fecha at}}');
    expect(loadViews(dir).render('page', { due: '2026-11-30', odd: '<b>', at: '2026-11-20 08:00' })).toBe(
      // An instant may wrap between its day and its hour, never inside either.
      '<span class="fecha">30 nov 2026</span>||<span class="fecha">&lt;b&gt;</span>|<span class="fecha">20 nov 2026,</span> <span class="fecha">08:00</span>',
    );
    expect(loadViews().css).toContain('.fecha{white-space:nowrap}');
  });
});
