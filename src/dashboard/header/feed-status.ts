/**
 * What the user needs to trust the numbers: when USGS generated the data on screen and how old it
 * is, how often it refreshes, and, after a failure, a stale-data notice that names the feed, the
 * problem and when the next try is.
 */
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
    const i18n = this.#i18n;
    const now = Date.now();
    const parts =
      state.generated === null
        ? [i18n.t('status.loading', { url: state.url })]
        : [
            i18n.t('status.generated', { time: i18n.short(state.generated) }),
            i18n.t('status.age', { age: i18n.duration(now - state.generated) }),
            i18n.t('status.every', { period: i18n.duration(state.pollMs) }),
          ];
    this.#text.textContent = parts.join(' · ');
    const phase = state.failure !== null ? 'stale' : state.generated === null ? 'loading' : 'live';
    this.#line.dataset.phase = phase;
    const label =
      phase === 'loading'
        ? null
        : state.generated === null
          ? 'status.noData'
          : (`status.${phase}` as const);
    this.#phase.textContent = label === null ? '' : i18n.t(label);
    if (state.failure === null) {
      this.#stale.hidden = true;
      this.#stale.textContent = '';
      return;
    }
    const seconds = Math.max(0, Math.ceil(((state.retryAt ?? now) - now) / 1000));
    this.#stale.hidden = false;
    this.#stale.textContent = [
      failureText(state.failure, state.url, i18n),
      state.generated === null
        ? i18n.t('stale.none')
        : i18n.t('stale.kept', { time: i18n.short(state.generated) }),
      i18n.t('stale.retry', { seconds }),
    ].join(' ');
  }
}

export function failureText(failure: Failure, url: string, i18n: I18n): string {
  switch (failure.kind) {
    case 'http':
      return i18n.t('error.http', { url, status: failure.status });
    case 'timeout':
      return i18n.t('error.timeout', { url, seconds: i18n.decimal(failure.ms / 1000) });
    case 'network':
      return i18n.t('error.network', { url, reason: failure.reason });
    case 'parse':
      return i18n.t('error.parse', { url, reason: failure.reason });
  }
}
