/**
 * Fetches a feed now and then again every period, with a timeout: the browser's loop over the
 * core's poll schedule. A failure (HTTP error, timeout, network error, or a body the caller cannot
 * use) is reported and retried sooner, backing off with jitter (every open page polls USGS by
 * itself): a chained setTimeout rather than setInterval, so a slow answer never overlaps the next poll.
 */
import { isRetriable } from '../../core/errors.ts';
import {
  afterFailure,
  afterSuccess,
  FIRST_POLL,
  type PollSchedule,
  type PollState,
} from '../../core/poll-schedule.ts';
import { MINUTE_MS, SECOND_MS } from '../../core/time.ts';

export type Failure =
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'network'; readonly reason: string }
  | { readonly kind: 'parse'; readonly reason: string };

export interface PollerOptions {
  readonly timeoutMs: number;
  /** Receives each good body; throwing a retriable error (a FeedError) makes the poll a failure. */
  readonly onText: (text: string) => void;
  readonly onFailure: (failure: Failure, failures: number, retryInMs: number) => void;
}

/** The first retry waits this long at most; the delay then doubles up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 10 * SECOND_MS;
const MAX_RETRY_MS = 5 * MINUTE_MS;
/** A retry waits between half and all of its backoff delay. */
const JITTER = 0.5;

/** The schedule of a feed polled every `periodMs`: retries start sooner, and may back off longer. */
function scheduleOf(periodMs: number): PollSchedule {
  return {
    periodMs,
    backoff: {
      firstMs: Math.min(periodMs, FIRST_RETRY_MS),
      maxMs: Math.max(periodMs, MAX_RETRY_MS),
    },
    jitter: JITTER,
  };
}

export class FeedPoller {
  readonly #options: PollerOptions;
  #url = '';
  #schedule = scheduleOf(MINUTE_MS);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | null = null;
  #state: PollState = FIRST_POLL;
  /** Bumped on every start() and stop(), so an answer to an old URL or after a stop schedules nothing. */
  #run = 0;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  /** Polls `url` now and every `periodMs` from then on (replacing any earlier feed). */
  start(url: string, periodMs: number): void {
    this.stop();
    this.#url = url;
    this.#schedule = scheduleOf(periodMs);
    this.#state = FIRST_POLL;
    void this.#poll(++this.#run);
  }

  /** Stops polling for good: a fetch in flight is aborted and nothing is scheduled after it. */
  stop(): void {
    this.#run++;
    clearTimeout(this.#timer);
    this.#controller?.abort();
    this.#controller = null;
  }

  async #poll(run: number): Promise<void> {
    const started = Date.now();
    let failure: Failure | null = null;
    try {
      failure = await this.#fetchOnce();
    } finally {
      // Scheduled even when the caller threw something unexpected: the page keeps updating.
      if (run === this.#run) this.#next(run, failure, Date.now() - started);
    }
  }

  async #fetchOnce(): Promise<Failure | null> {
    const controller = new AbortController();
    this.#controller = controller;
    const timeoutMs = this.#options.timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let text: string;
    try {
      const response = await fetch(this.#url, { signal: controller.signal, cache: 'no-store' });
      if (!response.ok) return { kind: 'http', status: response.status };
      text = await response.text();
    } catch (error) {
      if (timedOut) return { kind: 'timeout', ms: timeoutMs };
      // Aborted by stop(): nobody waits for this answer any more.
      if (controller.signal.aborted) return null;
      return { kind: 'network', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
    if (controller.signal.aborted) return null;
    try {
      this.#options.onText(text);
      return null;
    } catch (error) {
      if (isRetriable(error)) return { kind: 'parse', reason: error.message };
      throw error;
    }
  }

  /** Waits as the schedule says after this poll (`tookMs` long), then polls again. */
  #next(run: number, failure: Failure | null, tookMs: number): void {
    if (failure === null) {
      this.#state = afterSuccess(this.#schedule, tookMs);
    } else {
      this.#state = afterFailure(this.#schedule, this.#state, Math.random());
      this.#options.onFailure(failure, this.#state.failures, this.#state.delayMs);
    }
    this.#timer = setTimeout(() => void this.#poll(run), this.#state.delayMs);
  }
}
