import { type Backoff, retryDelayMs } from './backoff.ts';

/** How a poller spaces its polls: productor_sismos, the bridge's direct mode and the page. */
export interface PollSchedule {
  /** From the start of one successful poll to the start of the next. */
  readonly periodMs: number;
  /** The delays after failed polls in a row. */
  readonly backoff: Backoff;
  /**
   * The share of each retry delay drawn at random, from 0 (none) to 1. With 0.5 a retry waits
   * between half and all of its backoff delay, so pollers that failed together do not all retry
   * together.
   */
  readonly jitter: number;
}

/** Where a poll loop stands after a poll. */
export interface PollState {
  /** Failed polls in a row (0 after a success). */
  readonly failures: number;
  /** How long to wait before the next poll. */
  readonly delayMs: number;
}

/** Before the first poll: no failure, no wait. */
export const FIRST_POLL: PollState = { failures: 0, delayMs: 0 };

/** After a poll that worked and took `tookMs`: the rest of the period. */
export function afterSuccess(schedule: PollSchedule, tookMs: number): PollState {
  return { failures: 0, delayMs: Math.max(0, schedule.periodMs - tookMs) };
}

/**
 * After a failed poll: the backoff delay of this many failures in a row, less `draw` (uniform in
 * [0, 1), Math.random() in a shell) times the jitter's share of it.
 */
export function afterFailure(schedule: PollSchedule, previous: PollState, draw: number): PollState {
  if (!(schedule.jitter >= 0 && schedule.jitter <= 1)) {
    throw new RangeError(`jitter must be from 0 to 1, got ${schedule.jitter}`);
  }
  const failures = previous.failures + 1;
  const delay = retryDelayMs(failures, schedule.backoff);
  return { failures, delayMs: Math.round(delay * (1 - schedule.jitter * draw)) };
}
