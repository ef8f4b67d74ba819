/**
 * Live mode: the page's end of the bridge protocol (docs/protocol.md). It connects asking for the
 * latest version (a bridge that knows only version 1 speaks that), hands on what arrives as
 * validated quakes and windows, keeps the last cursor, and on any disconnection
 * reconnects with jittered backoff and resumes from that cursor, so nothing is missed or repeated.
 */
import { retryDelayMs } from '../../core/backoff.ts';
import { frameRecords } from '../../core/frame-records.ts';
import { type BridgeState, bridgeUrl } from '../../core/live-link.ts';
import { quakeFromMessage } from '../../core/message.ts';
import { DEFAULT_WINDOW_MS, PROTOCOL_VERSION } from '../../core/protocol.ts';
import type { Quake } from '../../core/quake.ts';
import { windowFromMessage } from '../../core/stats-message.ts';
import type { WindowStats } from '../../core/window.ts';

export interface BridgeSnapshot {
  readonly quakes: Quake[];
  readonly alerts: Quake[];
  readonly windows: WindowStats[];
  /** How far back (event time) the bridge keeps quakes; older ones should leave the page. */
  readonly windowMs: number;
}

export interface BridgeEvents {
  /** Replaces everything the page had. */
  onSnapshot(snapshot: BridgeSnapshot): void;
  onQuake(quake: Quake): void;
  onAlert(quake: Quake): void;
  onWindow(window: WindowStats): void;
  /** The source behind the bridge (Kafka, or USGS in direct mode) failed or works again. */
  onSource(ok: boolean, message: string): void;
  /** `retryInMs` is set while reconnecting; `reason` says what went wrong last. */
  onState(state: BridgeState, retryInMs: number | null, reason: string | null): void;
}

const BACKOFF = { firstMs: 1000, maxMs: 30_000 };

/**
 * The bridge that served this page, else null (a page opened from disk or served by any other
 * server). A bridge marks the page it serves with `<meta name="sismos-bridge" content="/ws">`,
 * the path of its WebSocket (bridge/server.ts), so no other server gets a connection attempt.
 */
export function servingBridge(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="sismos-bridge"]');
  const path = meta?.content ?? '';
  if (!path.startsWith('/')) return null;
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return null;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}

export class BridgeClient {
  readonly url: string;
  readonly #events: BridgeEvents;
  #socket: WebSocket | null = null;
  #cursor: string | null = null;
  #windowMs = DEFAULT_WINDOW_MS;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(url: string, events: BridgeEvents) {
    this.url = url;
    this.#events = events;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000, 'page closed the connection');
    this.#socket = null;
  }

  /** The page's data came from elsewhere meanwhile: ask for a snapshot instead of resuming. */
  forgetCursor(): void {
    this.#cursor = null;
  }

  #connect(): void {
    this.#events.onState(this.#failures === 0 ? 'connecting' : 'reconnecting', null, null);
    let socket: WebSocket;
    try {
      socket = new WebSocket(bridgeUrl(this.url, this.#cursor, PROTOCOL_VERSION));
    } catch (error) {
      this.#retry(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#socket = socket;
    let reason: string | null = null;
    socket.onmessage = (event) => {
      let deliver: () => void;
      try {
        deliver = this.#decode(JSON.parse(String(event.data)));
      } catch (error) {
        // A frame that is not valid is dropped; the cursor stays before it, so a resume retries it.
        console.warn(
          `Sismos: ignored a bridge frame: ${error instanceof Error ? error.message : error}`,
        );
        return;
      }
      // Outside the try: an error while showing valid data is the page's, not the frame's.
      deliver();
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket || this.#stopped) return;
      this.#socket = null;
      this.#retry(reason ?? (event.reason || `connection closed (${event.code})`));
    };
    socket.onerror = () => {
      reason = `cannot reach ${this.url}`;
    };
  }

  /** Validates a frame (throwing when it is not valid) and returns what hands it on. */
  // biome-ignore lint/suspicious/noExplicitAny: a frame is checked field by field, and its quakes by the core decoders
  #decode(frame: any): () => void {
    const events = this.#events;
    // Hands the frame on, then keeps its cursor: a frame the page failed to show is not passed.
    const advancing = (hand: () => void) => () => {
      hand();
      if (typeof frame.cursor === 'string') this.#cursor = frame.cursor;
    };
    switch (frame?.type) {
      case 'hello':
        return () => {
          this.#windowMs = Number(frame.windowMs) > 0 ? Number(frame.windowMs) : this.#windowMs;
          this.#failures = 0;
          events.onState('live', null, null);
        };
      case 'snapshot': {
        const now = Date.now();
        const snapshot: BridgeSnapshot = {
          quakes: frame.quakes.map((quake: unknown) => quakeFromMessage(quake, now)),
          alerts: frame.alerts.map((quake: unknown) => quakeFromMessage(quake, now)),
          windows: frame.stats.map((window: unknown) => windowFromMessage(window)),
          windowMs: this.#windowMs,
        };
        return advancing(() => events.onSnapshot(snapshot));
      }
      case 'source':
        return () => events.onSource(frame.ok === true, String(frame.message));
      default: {
        const records = frameRecords(frame, Date.now());
        if (records === null) return () => {};
        return advancing(() => {
          for (const item of records.items) {
            if (item.kind === 'stats') events.onWindow(item.window);
            else if (item.kind === 'alert') events.onAlert(item.quake);
            else events.onQuake(item.quake);
          }
        });
      }
    }
  }

  #retry(reason: string): void {
    if (this.#stopped) return;
    this.#failures++;
    // Jitter spreads the reconnections of many pages after a bridge restart.
    const delay = Math.round(retryDelayMs(this.#failures, BACKOFF) * (0.5 + Math.random() / 2));
    this.#events.onState('reconnecting', delay, reason);
    this.#timer = setTimeout(() => this.#connect(), delay);
  }
}
