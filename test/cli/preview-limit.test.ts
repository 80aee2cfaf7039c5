/**
 * `plan preview` computes notices activity by activity and refuses past a limit, so a plan whose
 * monthly activities run for decades gives a located error instead of exhausting the heap. The
 * limit is passed small here; the CLI passes PLAN_LIMITS.previewNotices.
 */
import { BusinessCalendar } from '../../calendar/business-calendar';
import { boundedNotices } from '../../cli/plan';
import { importTsvPlan } from '../../plans/importers/tsv';
import { options, seedText } from '../plans/support';

const seed = importTsvPlan(seedText(), options('plan.txt')).plan;
if (!seed) throw new Error('the seed does not import');

describe('the notices preview lists, bounded', () => {
  it('a plan within the limit gives every notice, sorted by time', async () => {
    const result = await boundedNotices(seed, new BusinessCalendar(), 'plan.txt', 10_000);
    if (!('notices' in result)) throw new Error(result.issue.message);
    expect(result.notices.length).toBeGreaterThan(19);
    const times = result.notices.map((n) => Date.parse(n.at));
    expect(times.every((t, i) => i === 0 || (times[i - 1] as number) <= t)).toBe(true);
  });

  it('past the limit: one error naming the activity at which it was passed, with its line', async () => {
    const result = await boundedNotices(seed, new BusinessCalendar(), 'plan.txt', 50);
    expect(result).toEqual({
      issue: { file: 'plan.txt', line: 23, activity: 7, field: 'plan', message: expect.stringContaining('El plan da más de 50 avisos') },
    });
  });
});
