/**
 * Delay before the next attempt after `failures` consecutive failures (1 for the first retry):
 * `baseMs` doubled at each failure, never more than `maxMs`.
 */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  if (!Number.isInteger(failures) || failures < 1) {
    throw new RangeError(`failures must be a positive integer, got ${failures}`);
  }
  return Math.min(baseMs * 2 ** Math.min(failures - 1, 30), maxMs);
}
