import type { Parameters } from 'fast-check';
import { onTestFailed } from 'vitest';

/**
 * The seed of this run's property-based tests: random, or SISMOS_TEST_SEED to replay a failure.
 * fast-check prints it with every counterexample; tests that draw samples print it themselves.
 */
export const TEST_SEED =
  process.env.SISMOS_TEST_SEED !== undefined && process.env.SISMOS_TEST_SEED !== ''
    ? Number(process.env.SISMOS_TEST_SEED)
    : Math.floor(Math.random() * 2 ** 31);

/** fast-check parameters: this run's seed and a bounded number of runs, so the suite stays fast. */
export function runs<T>(numRuns: number): Parameters<T> {
  return { seed: TEST_SEED, numRuns };
}

/** Inside a test that draws samples itself: prints the seed, and how to replay it, if it fails. */
export function printSeedOnFailure(): void {
  onTestFailed(() => {
    console.error(`fast-check seed ${TEST_SEED}: rerun with SISMOS_TEST_SEED=${TEST_SEED}`);
  });
}
