/**
 * Live mode's link to the bridge: its address, and a state machine. The bridge client reports its
 * connection (connecting, live, reconnecting), and the link decides when the page polls USGS
 * itself meanwhile (the fallback) and when it stops. Pure: the dashboard runs the effects (timer,
 * poller, socket).
 */
import { SECOND_MS } from './time.ts';

export type BridgeState = 'connecting' | 'live' | 'reconnecting';

/** Live mode: the bridge connection, as the status line shows it. */
export interface BridgeStatus {
  readonly url: string;
  readonly state: BridgeState;
  /** When the next reconnection attempt is due (epoch ms). */
  readonly retryAt: number | null;
  readonly reason: string | null;
  /** True while the page polls USGS itself because the bridge is unreachable. */
  readonly fallback: boolean;
  /** What the bridge says is wrong with its own source (Kafka or USGS), if anything. */
  readonly sourceProblem: string | null;
}

export interface LiveLink extends BridgeStatus {
  /** The fallback is scheduled: its timer runs. */
  readonly fallbackDue: boolean;
}

/** After losing a bridge it was connected to, the page waits this long before polling USGS itself. */
export const FALLBACK_AFTER_MS = 10 * SECOND_MS;

export type LinkEvent =
  /** The bridge client's connection changed; `retryInMs` is set while it waits to reconnect. */
  | {
      readonly type: 'state';
      readonly state: BridgeState;
      readonly retryInMs: number | null;
      readonly reason: string | null;
      readonly now: number;
      /** The page shows data already (from the bridge or from polling). */
      readonly hasData: boolean;
    }
  /** The fallback's delay has passed. */
  | { readonly type: 'fallback-due' }
  /** The bridge reports on its own source. */
  | { readonly type: 'source'; readonly ok: boolean; readonly message: string };

export type LinkEffect =
  | { readonly type: 'schedule-fallback'; readonly delayMs: number }
  | { readonly type: 'cancel-fallback' }
  /** Poll USGS; the bridge's next connection must then start from a fresh snapshot. */
  | { readonly type: 'start-polling' }
  | { readonly type: 'stop-polling' };

export interface LinkStep {
  readonly link: LiveLink;
  readonly effects: readonly LinkEffect[];
}

/**
 * The address to connect to: the bridge's URL with the cursor to resume from and, when given, the
 * protocol version to ask for (`v`), keeping the URL's other query parameters (such as the token
 * `npm start` prints for pages opened from disk).
 */
export function bridgeUrl(base: string, cursor: string | null, version?: number): string {
  const url = new URL(base);
  if (version !== undefined) url.searchParams.set('v', String(version));
  if (cursor === null) url.searchParams.delete('cursor');
  else url.searchParams.set('cursor', cursor);
  return url.href;
}

/** The link to a bridge the page has not reached yet. */
export function connectingTo(url: string): LiveLink {
  return {
    url,
    state: 'connecting',
    retryAt: null,
    reason: null,
    fallback: false,
    sourceProblem: null,
    fallbackDue: false,
  };
}

export function stepLink(link: LiveLink, event: LinkEvent): LinkStep {
  switch (event.type) {
    case 'source':
      return { link: { ...link, sourceProblem: event.ok ? null : event.message }, effects: [] };
    case 'fallback-due':
      if (link.state === 'live') return { link: { ...link, fallbackDue: false }, effects: [] };
      return {
        link: { ...link, fallbackDue: false, fallback: true },
        effects: [{ type: 'start-polling' }],
      };
    case 'state':
      return changeState(link, event);
  }
}

function changeState(link: LiveLink, event: Extract<LinkEvent, { type: 'state' }>): LinkStep {
  const next: LiveLink = {
    ...link,
    state: event.state,
    reason: event.reason ?? link.reason,
    retryAt: event.retryInMs === null ? null : event.now + event.retryInMs,
  };
  if (event.state === 'live') {
    const effects: LinkEffect[] = [];
    if (link.fallbackDue) effects.push({ type: 'cancel-fallback' });
    if (link.fallback) effects.push({ type: 'stop-polling' });
    return { link: { ...next, fallback: false, fallbackDue: false, reason: null }, effects };
  }
  if (event.state === 'reconnecting' && !link.fallback && !link.fallbackDue) {
    // Never reached: poll at once. Lost after being live: give a restarting bridge a moment first.
    const delayMs = link.state === 'live' || event.hasData ? FALLBACK_AFTER_MS : 0;
    return {
      link: { ...next, fallbackDue: true },
      effects: [{ type: 'schedule-fallback', delayMs }],
    };
  }
  return { link: next, effects: [] };
}

/** The data on the page comes from the bridge: live mode, and not polling as a fallback. */
export function followsBridge(link: LiveLink | null): boolean {
  return link !== null && !link.fallback;
}

/** How the page gets its data, in one word: polling (no bridge), fallback, or the bridge's state. */
export function connectionOf(link: LiveLink | null): BridgeState | 'polling' | 'fallback' {
  if (link === null) return 'polling';
  return link.fallback ? 'fallback' : link.state;
}
