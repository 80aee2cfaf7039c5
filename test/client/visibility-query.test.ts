/** The visibility clauses plazos builds: attribute names from their definitions, values that cannot end the string. */
import { ANY_PLAN, areaIn, areaIs, planIs, statusIs } from '../../client/visibility-query';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';

it('names each attribute as workflows/shared.ts defines it', () => {
  expect(ANY_PLAN).toBe(`${SEARCH_ATTRIBUTES.plan.name} IS NOT NULL`);
  expect(planIs('participacion-ciudadana-2023')).toBe(`${SEARCH_ATTRIBUTES.plan.name} = "participacion-ciudadana-2023"`);
  expect(statusIs('missed')).toBe(`${SEARCH_ATTRIBUTES.status.name} = "missed"`);
  expect(areaIn(['ARCOM', 'ASERA'])).toBe(`(${areaIs('ARCOM')} OR ${areaIs('ASERA')})`);
  expect(areaIn(['ARCOM'])).toBe(areaIs('ARCOM'));
});

it('a quote or backslash in a value never ends the string', () => {
  expect(planIs('x" OR PlazosPlan IS NOT NULL OR "')).toBe(`${SEARCH_ATTRIBUTES.plan.name} = "x OR PlazosPlan IS NOT NULL OR "`);
  expect(areaIs('A\\"')).toBe(`${SEARCH_ATTRIBUTES.areas.name} = "A"`);
});

it('an empty list of areas is refused rather than turned into a query that matches everything', () => {
  expect(() => areaIn([])).toThrow('at least one area');
});
