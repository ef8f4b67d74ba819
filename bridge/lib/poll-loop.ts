import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, isRetriable, type SismosError } from '../../src/core/errors.ts';
import {
  afterFailure,
  afterSuccess,
  FIRST_POLL,
  type PollSchedule,
  type PollState,
} from '../../src/core/poll-schedule.ts';
import { SECOND_MS } from '../../src/core/time.ts';
import { envNumber } from './env.ts';

/** Any setting in seconds: from 10 ms to a day. */
export const SECONDS_RANGE = { min: 0.01, max: 86_400 };

/**
 * The settings productor_sismos and the bridge's direct mode share: FETCH_TIMEOUT_S, and
 * RETRY_FIRST_S and RETRY_MAX_S around a poll every `periodMs`. One poller polls one feed, so
 * there is no herd to spread out: no jitter.
 */
export function pollSettings(periodMs: number): { schedule: PollSchedule; timeoutMs: number } {
  const seconds = (name: string, fallback: number) =>
    envNumber(name, fallback, SECONDS_RANGE) * SECOND_MS;
  const backoff = { firstMs: seconds('RETRY_FIRST_S', 5), maxMs: seconds('RETRY_MAX_S', 300) };
  if (backoff.maxMs < backoff.firstMs) {
    throw new ConfigError(
      'CONFIG_RANGE',
      `RETRY_MAX_S (${backoff.maxMs / SECOND_MS}) must not be below RETRY_FIRST_S (${backoff.firstMs / SECOND_MS})`,
    );
  }
  return { schedule: { periodMs, backoff, jitter: 0 }, timeoutMs: seconds('FETCH_TIMEOUT_S', 10) };
}

interface PollLoopHandlers {
  /** After a poll failed with a retriable error: the state says when the next one is. */
  readonly onFailure: (error: SismosError, next: PollState) => void;
  /** After the first poll that worked following failures. */
  readonly onRecovery?: () => void;
}

/**
 * Polls until `stop` aborts: runs `poll`, then waits as `schedule` says (the rest of the period
 * after a success, the backoff after a retriable failure). An error that is not retriable ends the
 * loop by rejecting with it.
 */
export async function pollLoop(
  schedule: PollSchedule,
  stop: AbortSignal,
  poll: () => Promise<void>,
  { onFailure, onRecovery }: PollLoopHandlers,
): Promise<void> {
  let state = FIRST_POLL;
  while (!stop.aborted) {
    const started = Date.now();
    try {
      await poll();
      if (state.failures > 0) onRecovery?.();
      state = afterSuccess(schedule, Date.now() - started);
    } catch (error) {
      if (stop.aborted) break;
      if (!isRetriable(error)) throw error;
      state = afterFailure(schedule, state, Math.random());
      onFailure(error, state);
    }
    await sleep(state.delayMs, undefined, { signal: stop }).catch(() => {});
  }
}
