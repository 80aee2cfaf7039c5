/**
 * The demo plan `npm start` runs (client/demo.ts), placed by date alone: whatever day a newcomer
 * runs it, the plan is of that year and shows every state plazos is for.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { demoSignIn } from '../../cli/demo-sign-in';
import { demoPlan } from '../../client/demo';
import { importTsvPlan } from '../../plans/importers/tsv';
import { verifyPassword, loadUsers } from '../../web/users';
import { options, seedText } from '../plans/support';

const calendar = new BusinessCalendar();
const example = importTsvPlan(seedText(), options('plan-participacion-ciudadana-2023.txt')).plan!;

function isoPlus(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('the demo plan', () => {
  it('is named and titled for the year it runs in, with an id of its own', () => {
    const plan = demoPlan(example, '2026-12-03', calendar);
    expect(plan.id).toBe('demo-participacion-ciudadana-2026');
    expect(plan.title).toBe('Formulación Plan de Participación Ciudadana 2026');
    expect(plan.year).toBe(2026);
  });

  // In the first two weeks of January the year has just begun: no plan of that year has activities
  // overdue yet, and the demo keeps the year over the states (see demoPlan).
  const weekly = Array.from({ length: 53 }, (_, i) => isoPlus('2026-01-05', i * 7));
  const fullYear = weekly.filter((d) => d.slice(5) >= '01-15');

  it.each(fullYear)('run on %s, has activities missed, overdue and under way, in a plan of that year', (today) => {
    const plan = demoPlan(example, today, calendar);
    const single = plan.activities.filter((a) => !a.recurrence);
    const missedBy = (a: { due: string }) => calendar.addBusinessDays(a.due, 16);
    expect(single.filter((a) => missedBy(a) < today).length).toBeGreaterThanOrEqual(1);
    expect(single.filter((a) => a.due < calendar.previousBusinessDay(today) && missedBy(a) > today).length).toBeGreaterThanOrEqual(2);
    expect(single.filter((a) => a.start <= today && a.due > today).length).toBeGreaterThanOrEqual(4);
    expect(plan.year).toBe(Number(today.slice(0, 4)));
  });

  it.each(weekly.filter((d) => !fullYear.includes(d)))('run on %s, early January, is still the plan of that year', (today) => {
    expect(demoPlan(example, today, calendar).year).toBe(Number(today.slice(0, 4)));
  });
});

describe("the demo's OAPLA sign-in", () => {
  it('is made once and kept in the data directory, readable only by its owner, and signs in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plazos-demo-'));
    try {
      const first = demoSignIn(dir);
      const again = demoSignIn(dir);
      expect(again).toEqual(first);
      expect(first.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(statSync(join(dir, 'demo-oapla.json')).mode & 0o077).toBe(0);
      expect(verifyPassword(loadUsers(first.usersFile), 'demo', first.password)).toBe(true);
      expect(readFileSync(first.usersFile, 'utf8')).not.toContain(first.password);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
