/**
 * Fetches a feed now and then again every period, with a timeout. A failure (HTTP error, timeout,
 * network error, or a body the caller cannot use) is reported and retried sooner, backing off:
 * a chained setTimeout rather than setInterval, so a slow answer never overlaps the next poll.
 */
import { retryDelayMs } from '../../core/backoff.ts';
import { FeedError } from '../../core/errors.ts';
import { MINUTE_MS } from '../../core/time.ts';

export type Failure =
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'network'; readonly reason: string }
  | { readonly kind: 'parse'; readonly reason: string };

export interface PollerOptions {
  readonly timeoutMs: number;
  /** Receives each good body; throwing a FeedError makes the poll a failure. */
  readonly onText: (text: string) => void;
  readonly onFailure: (failure: Failure, failures: number, retryInMs: number) => void;
}

/** The first retry waits this long at most; the delay then doubles up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 5 * MINUTE_MS;

export class FeedPoller {
  readonly #options: PollerOptions;
  #url = '';
  #periodMs = 60_000;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | null = null;
  #failures = 0;
  /** Bumped on every start() and stop(), so an answer to an old URL or after a stop schedules nothing. */
  #run = 0;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  /** Polls `url` now and every `periodMs` from then on (replacing any earlier feed). */
  start(url: string, periodMs: number): void {
    this.stop();
    this.#url = url;
    this.#periodMs = periodMs;
    this.#failures = 0;
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
    let failure: Failure | null = null;
    try {
      failure = await this.#fetchOnce();
    } finally {
      // Scheduled even when the caller threw something unexpected: the page keeps updating.
      if (run === this.#run) this.#schedule(run, failure);
    }
  }

  #schedule(run: number, failure: Failure | null): void {
    let delay = this.#periodMs;
    if (failure === null) {
      this.#failures = 0;
    } else {
      this.#failures++;
      const base = Math.min(this.#periodMs, FIRST_RETRY_MS);
      delay = retryDelayMs(this.#failures, {
        firstMs: base,
        maxMs: Math.max(this.#periodMs, MAX_RETRY_MS),
      });
      this.#options.onFailure(failure, this.#failures, delay);
    }
    this.#timer = setTimeout(() => void this.#poll(run), delay);
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
      if (error instanceof FeedError) return { kind: 'parse', reason: error.message };
      throw error;
    }
  }
}
