/**
 * plans/rules.ts gives workflows the notice policy without zod: it must agree with what the plan
 * schema would have made of the same overrides (the schema was what workflows used before).
 */
import fc from 'fast-check';
import { NoticePolicyOverrideSchema, NoticePolicySchema, type NoticePolicyOverride } from '../../plans/model';
import { DEFAULT_NOTICE_POLICY, effectivePolicy } from '../../plans/rules';

const override: fc.Arbitrary<NoticePolicyOverride> = fc.record(
  {
    sendAt: fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    remindBusinessDaysBefore: fc.array(fc.integer({ min: 1, max: 120 }), { maxLength: 10 }),
    escalateAfterBusinessDays: fc.integer({ min: 1, max: 60 }),
    escalationEveryBusinessDays: fc.integer({ min: 1, max: 60 }),
    maxEscalations: fc.integer({ min: 0, max: 20 }),
  },
  { requiredKeys: [] },
);

it('gives the same policy as the schema for any valid plan and activity overrides', () => {
  fc.assert(
    fc.property(fc.option(override, { nil: undefined }), fc.option(override, { nil: undefined }), (plan, activity) => {
      NoticePolicyOverrideSchema.optional().parse(plan);
      const viaSchema = NoticePolicySchema.parse({ ...DEFAULT_NOTICE_POLICY, ...plan, ...activity });
      expect(effectivePolicy({ policy: plan }, { policy: activity })).toEqual(viaSchema);
    }),
  );
});

it('lets the activity override the plan, field by field', () => {
  const policy = effectivePolicy({ policy: { sendAt: '07:30', maxEscalations: 5 } }, { policy: { maxEscalations: 1 } });
  expect(policy).toEqual({ ...DEFAULT_NOTICE_POLICY, sendAt: '07:30', maxEscalations: 1 });
});

it('keeps the default where an override writes a field as undefined', () => {
  expect(effectivePolicy({ policy: { sendAt: undefined } }, {}).sendAt).toBe('08:00');
});

it('never hands out the defaults object itself, which every workflow shares', () => {
  const policy = effectivePolicy({}, {});
  policy.remindBusinessDaysBefore.push(1);
  expect(DEFAULT_NOTICE_POLICY.remindBusinessDaysBefore).toEqual([10, 3]);
});
