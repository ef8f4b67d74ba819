/**
 * A small read-only view of the page's state on <body data-*>, for tests and the benchmark
 * (test/helpers/dashboard.ts reads it): how many quakes, markers and alerts it holds, how many
 * polls, updates and failures it saw, how it gets its data and what its status line says.
 */
import { connectionOf, type LiveLink } from '../../core/live-link.ts';
import type { MarkerCounts } from '../map/quake-layer.ts';

export interface PageView {
  readonly quakes: number;
  readonly markers: MarkerCounts;
  readonly alerts: number;
  readonly link: LiveLink | null;
  /** An error nobody expected is on screen. */
  readonly crashed: boolean;
  /** The last poll failed. */
  readonly failed: boolean;
  /** Data arrived at least once. */
  readonly loaded: boolean;
}

interface PageCounts {
  /** Poll attempts, good or failed; a bridge snapshot or a batch of live frames counts as a good one. */
  readonly polls: number;
  readonly updates: number;
  readonly failures: number;
}

export class PageState {
  readonly #body: HTMLElement;
  #polls = 0;
  #updates = 0;
  #failures = 0;

  /** Publishes on `body`'s data-* attributes. */
  constructor(body: HTMLElement) {
    this.#body = body;
  }

  /** Counts an update shown (a good poll, a bridge snapshot or live frames); returns its number. */
  updated(): number {
    this.#polls++;
    return ++this.#updates;
  }

  /** Counts a failed poll. */
  failed(): void {
    this.#polls++;
    this.#failures++;
  }

  publish(view: PageView): void {
    const counts = { polls: this.#polls, updates: this.#updates, failures: this.#failures };
    const dataset = this.#body.dataset;
    // Only what changed: an update that changes no figure writes nothing to the page.
    for (const [key, value] of Object.entries(pageData(view, counts))) {
      if (dataset[key] !== value) dataset[key] = value;
    }
  }
}

function pageData(view: PageView, counts: PageCounts): Record<string, string> {
  return {
    quakes: String(view.quakes),
    markers: String(view.markers.shown),
    created: String(view.markers.created),
    removed: String(view.markers.removed),
    polls: String(counts.polls),
    updates: String(counts.updates),
    failures: String(counts.failures),
    alerts: String(view.alerts),
    connection: connectionOf(view.link),
    phase: view.crashed ? 'error' : view.failed ? 'stale' : view.loaded ? 'live' : 'loading',
  };
}
