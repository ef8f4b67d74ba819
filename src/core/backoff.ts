/** How long to wait before trying again after failures in a row. */
export interface Backoff {
  /** Delay after the first failure. */
  readonly firstMs: number;
  /** The delay doubles after each further failure up to this ceiling. */
  readonly maxMs: number;
}

/**
 * The delay before the next try after `failures` consecutive failures (1 for the first one):
 * firstMs, 2 × firstMs, 4 × firstMs, … capped at maxMs. Deterministic: a poll schedule
 * (poll-schedule.ts) adds jitter where many clients retry the same server.
 */
export function retryDelayMs(failures: number, { firstMs, maxMs }: Backoff): number {
  if (!Number.isInteger(failures) || failures < 1) {
    throw new RangeError(`failures must be an integer of at least 1, got ${failures}`);
  }
  if (!(firstMs > 0) || !(maxMs >= firstMs)) {
    throw new RangeError(`backoff needs 0 < firstMs <= maxMs, got ${firstMs} and ${maxMs}`);
  }
  // Past 2^30 the product only overflows towards Infinity; the cap is reached long before.
  return Math.min(maxMs, firstMs * 2 ** Math.min(failures - 1, 30));
}
