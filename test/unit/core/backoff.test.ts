import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/core/backoff.ts';

const policy = { firstMs: 5000, maxMs: 300_000 };

describe('retryDelayMs', () => {
  it('waits firstMs after the first failure and doubles after each further one', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, policy))).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000, 160_000,
    ]);
  });

  it('never waits longer than maxMs, however many failures in a row', () => {
    expect(retryDelayMs(7, policy)).toBe(300_000);
    expect(retryDelayMs(10_000, policy)).toBe(300_000);
  });

  it('allows firstMs equal to maxMs (a constant delay)', () => {
    expect(retryDelayMs(3, { firstMs: 200, maxMs: 200 })).toBe(200);
  });

  it('refuses a failure count below 1 or a policy whose ceiling is under its first delay', () => {
    expect(() => retryDelayMs(0, policy)).toThrow(
      /failures must be an integer of at least 1, got 0/,
    );
    expect(() => retryDelayMs(1.5, policy)).toThrow(RangeError);
    expect(() => retryDelayMs(1, { firstMs: 10, maxMs: 5 })).toThrow(/0 < firstMs <= maxMs/);
    expect(() => retryDelayMs(1, { firstMs: 0, maxMs: 5 })).toThrow(RangeError);
  });
});
