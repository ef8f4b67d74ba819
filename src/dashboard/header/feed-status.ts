/**
 * What the user needs to trust the numbers: when USGS generated the data on screen and how old it
 * is, how often it refreshes, and, after a failure, a stale-data notice that names the feed, the
 * problem and when the next try is.
 */
import { isGenericFetchError } from '../../core/browser-errors.ts';
import type { FeedOddity } from '../../core/feed-oddities.ts';
import { isFresh } from '../../core/freshness.ts';
import type { BridgeStatus } from '../../core/live-link.ts';
import { SECOND_MS } from '../../core/time.ts';
import type { I18n } from '../i18n/i18n.ts';
import type { Failure } from '../state/poller.ts';

export interface FeedState {
  readonly url: string;
  readonly pollMs: number;
  /** metadata.generated of the data on screen, or the time it was fetched when the feed has none. */
  readonly generated: number | null;
  readonly failure: Failure | null;
  /** When the next attempt after a failure is due (epoch ms). */
  readonly retryAt: number | null;
  readonly bridge: BridgeStatus | null;
  /** An error nobody expected while showing the data (a bug); it stays until the page is reloaded. */
  readonly error: string | null;
  /** What is odd about the feed on screen (see feedOddities), said quietly after the age. */
  readonly oddities: readonly FeedOddity[];
}

export class FeedStatus {
  readonly #line: HTMLElement;
  readonly #phase: HTMLElement;
  readonly #text: HTMLElement;
  readonly #stale: HTMLElement;
  #state: FeedState | null = null;
  #i18n: I18n;

  constructor(line: HTMLElement, stale: HTMLElement, i18n: I18n) {
    this.#line = line;
    this.#phase = line.querySelector('.phase') as HTMLElement;
    this.#text = line.querySelector('.status-text') as HTMLElement;
    this.#stale = stale;
    this.#i18n = i18n;
    // The age and the retry countdown move on by themselves.
    setInterval(() => this.#render(), 5000);
  }

  set(state: FeedState, i18n: I18n): void {
    this.#state = state;
    this.#i18n = i18n;
    this.#render();
  }

  #render(): void {
    const state = this.#state;
    if (state === null) return;
    if (state.error !== null) {
      this.#renderError(state, state.error);
      return;
    }
    if (state.bridge !== null && !state.bridge.fallback) {
      this.#renderBridge(state, state.bridge);
      return;
    }
    const i18n = this.#i18n;
    const now = Date.now();
    const parts =
      state.generated === null
        ? // After a failure the notice says what happened; "Loading" would promise data.
          state.failure === null
          ? [i18n.t('status.loading', { url: state.url })]
          : []
        : [
            i18n.t('status.generated', { time: i18n.short(state.generated) }),
            i18n.t('status.age', { age: i18n.duration(now - state.generated) }),
            i18n.t('status.every', { period: i18n.duration(state.pollMs) }),
            ...state.oddities.map((oddity) => oddityText(oddity, i18n)),
          ];
    this.#text.textContent = parts.join(' · ');
    const phase =
      state.failure !== null
        ? 'stale'
        : state.generated === null
          ? 'loading'
          : isFresh(state.generated, state.pollMs, now)
            ? 'live'
            : 'old';
    this.#line.dataset.phase = phase;
    const label =
      phase === 'loading'
        ? null
        : state.generated === null
          ? 'status.noData'
          : phase === 'old'
            ? 'status.notLive'
            : (`status.${phase}` as const);
    this.#phase.textContent = label === null ? '' : i18n.t(label);
    // Polling as a fallback says so: the page means to be live through its bridge.
    const notice = state.bridge === null ? [] : [bridgeLost(state.bridge, i18n)];
    if (state.failure !== null) {
      notice.push(
        failureText(state.failure, state.url, i18n),
        ...keptAndRetry(state.generated, state.retryAt, now, i18n),
      );
    }
    this.#stale.hidden = notice.length === 0;
    this.#stale.textContent = notice.join(' ');
  }

  /** The error state: what failed and what to do, instead of data that may be wrong or an endless "loading". */
  #renderError(state: FeedState, error: string): void {
    const i18n = this.#i18n;
    const url = state.bridge !== null && !state.bridge.fallback ? state.bridge.url : state.url;
    this.#line.dataset.phase = 'error';
    this.#phase.textContent = i18n.t('status.error');
    this.#text.textContent = url;
    this.#stale.hidden = false;
    this.#stale.textContent = i18n.t('error.page', { url, reason: error });
  }

  /** The live-mode line: connected (with the age of the last data) or reconnecting. */
  #renderBridge(state: FeedState, bridge: BridgeStatus): void {
    const i18n = this.#i18n;
    const now = Date.now();
    const phase =
      bridge.state === 'live' ? 'live' : bridge.state === 'connecting' ? 'loading' : 'stale';
    this.#line.dataset.phase = phase;
    this.#phase.textContent =
      phase === 'live'
        ? i18n.t('status.bridgeLive')
        : phase === 'stale'
          ? i18n.t('status.reconnecting')
          : '';
    this.#text.textContent =
      bridge.state === 'connecting'
        ? i18n.t('status.connecting', { url: bridge.url })
        : [
            i18n.t('status.bridgeAt', { url: bridge.url }),
            ...(state.generated === null
              ? []
              : [i18n.t('status.lastData', { age: i18n.duration(now - state.generated) })]),
          ].join(' · ');
    const notice =
      bridge.state === 'reconnecting'
        ? [bridgeLost(bridge, i18n), ...keptAndRetry(state.generated, bridge.retryAt, now, i18n)]
        : bridge.sourceProblem !== null
          ? [i18n.t('bridge.source', { message: bridge.sourceProblem })]
          : [];
    this.#stale.hidden = notice.length === 0;
    this.#stale.textContent = notice.join(' ');
  }
}

/** What stays on screen meanwhile, and in how many seconds the next attempt is. */
function keptAndRetry(
  generated: number | null,
  retryAt: number | null,
  now: number,
  i18n: I18n,
): string[] {
  const seconds = Math.max(0, Math.ceil(((retryAt ?? now) - now) / SECOND_MS));
  return [
    generated === null
      ? i18n.t('stale.none')
      : i18n.t('stale.kept', { time: i18n.short(generated) }),
    i18n.t('stale.retry', { seconds }),
  ];
}

function bridgeLost(bridge: BridgeStatus, i18n: I18n): string {
  const lost = i18n.t('bridge.lost', { url: bridge.url, reason: bridge.reason ?? '?' });
  return bridge.fallback ? `${lost} ${i18n.t('bridge.fallback')}` : lost;
}

function failureText(failure: Failure, url: string, i18n: I18n): string {
  switch (failure.kind) {
    case 'http':
      return i18n.t('error.http', { url, status: failure.status });
    case 'timeout':
      return i18n.t('error.timeout', { url, seconds: i18n.decimal(failure.ms / SECOND_MS) });
    case 'network':
      return isGenericFetchError(failure.reason)
        ? i18n.t('error.networkGeneric', { url })
        : i18n.t('error.network', { url, reason: failure.reason });
    case 'parse':
      return i18n.t('error.parse', { url, reason: failure.reason });
  }
}

function oddityText(oddity: FeedOddity, i18n: I18n): string {
  switch (oddity.kind) {
    case 'count':
      return i18n.t('oddity.count', {
        declared: i18n.integer(oddity.declared),
        features: i18n.integer(oddity.features),
      });
    case 'future':
      return i18n.t('oddity.future', { count: i18n.integer(oddity.quakes) });
  }
}
