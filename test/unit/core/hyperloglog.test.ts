import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HyperLogLog } from '../../../src/core/hyperloglog.ts';
import { runs } from '../../helpers/seed.ts';

function counted(values: Iterable<string>, precision?: number): HyperLogLog {
  const hll = new HyperLogLog(precision);
  for (const value of values) hll.add(value);
  return hll;
}

function users(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `user_${from + i}`);
}

describe('HyperLogLog', () => {
  it('stays within three standard errors (1.6% each at precision 12) of the exact count, from 10 to a million users', () => {
    const errors: string[] = [];
    for (const n of [10, 100, 1000, 10_000, 100_000, 1_000_000]) {
      const hll = counted(users(0, n));
      const error = (hll.estimate() - n) / n;
      errors.push(`${n}: ${(error * 100).toFixed(2)}%`);
      expect(Math.abs(error), errors.join(', ')).toBeLessThan(3 * hll.standardError);
    }
    expect(new HyperLogLog().standardError).toBeCloseTo(0.01625, 5);
  });

  it('ignores repeats: a user seen many times counts once', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 300 }), (values) => {
        const once = counted(new Set(values));
        const repeated = counted([...values, ...values.reverse()]);
        expect(repeated.estimate()).toBe(once.estimate());
      }),
      runs(50),
    );
  });

  it('merges two counts into the count of the union', () => {
    const a = counted(users(0, 6000));
    const b = counted(users(4000, 10_000));
    a.merge(b);
    expect(a.estimate()).toBe(counted(users(0, 10_000)).estimate());
    expect(() => a.merge(new HyperLogLog(10))).toThrow(/precision 10 and 12/);
  });
});
