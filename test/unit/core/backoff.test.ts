import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/core/backoff.ts';

describe('backoffDelay', () => {
  it('doubles from the base at each failure and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 10_000, 300_000))).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
    expect(backoffDelay(10_000, 1, 5)).toBe(5);
  });

  it('throws for a failure count that is not a positive integer', () => {
    expect(() => backoffDelay(0, 1000, 5000)).toThrow(/positive integer, got 0/);
    expect(() => backoffDelay(1.5, 1000, 5000)).toThrow(RangeError);
  });
});
