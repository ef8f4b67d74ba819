import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  afterSuccess,
  FIRST_POLL,
  type PollSchedule,
} from '../../../src/core/poll-schedule.ts';
import { runs } from '../../helpers/seed.ts';

const steady: PollSchedule = {
  periodMs: 30_000,
  backoff: { firstMs: 5000, maxMs: 300_000 },
  jitter: 0,
};

/** The delays of `count` failures in a row, each drawn with `draw`. */
function failuresInARow(schedule: PollSchedule, count: number, draw = 0): number[] {
  const delays: number[] = [];
  let state = FIRST_POLL;
  for (let i = 0; i < count; i++) {
    state = afterFailure(schedule, state, draw);
    delays.push(state.delayMs);
  }
  return delays;
}

describe('the poll schedule', () => {
  it('starts the next poll one period after the start of one that worked', () => {
    expect(afterSuccess(steady, 1200)).toEqual({ failures: 0, delayMs: 28_800 });
    // A poll slower than the period is followed by the next one at once, never by a negative wait.
    expect(afterSuccess(steady, 45_000)).toEqual({ failures: 0, delayMs: 0 });
  });

  it('backs off after failures in a row, doubling up to the ceiling, without jitter', () => {
    expect(failuresInARow(steady, 8)).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
    expect(afterFailure(steady, FIRST_POLL, 0.99).delayMs).toBe(5000);
  });

  it('starts counting failures again after a poll that worked', () => {
    let state = afterFailure(steady, afterFailure(steady, FIRST_POLL, 0), 0);
    expect(state.failures).toBe(2);
    state = afterSuccess(steady, 100);
    expect(afterFailure(steady, state, 0)).toEqual({ failures: 1, delayMs: 5000 });
  });

  it('with jitter, waits between (1 - jitter) and all of the backoff delay, spread by the draw', () => {
    const spread = { ...steady, jitter: 0.5 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (count, draw) => {
          const full = failuresInARow(steady, count).at(-1) as number;
          const delay = failuresInARow(spread, count, draw).at(-1) as number;
          expect(delay).toBeGreaterThanOrEqual(Math.floor(full / 2));
          expect(delay).toBeLessThanOrEqual(full);
        },
      ),
      runs(200),
    );
    // Two pollers that failed together and drew differently do not retry together.
    expect(afterFailure(spread, FIRST_POLL, 0.1).delayMs).not.toBe(
      afterFailure(spread, FIRST_POLL, 0.7).delayMs,
    );
  });

  it('refuses a jitter outside 0..1', () => {
    expect(() => afterFailure({ ...steady, jitter: 1.5 }, FIRST_POLL, 0)).toThrow(RangeError);
    expect(() => afterFailure({ ...steady, jitter: -0.1 }, FIRST_POLL, 0)).toThrow(
      /jitter must be from 0 to 1, got -0.1/,
    );
  });
});
