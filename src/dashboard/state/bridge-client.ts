/**
 * Live mode: the page's end of the bridge protocol (docs/protocol.md). It connects, hands on what
 * arrives as validated quakes and windows, keeps the last cursor, and on any disconnection
 * reconnects with jittered backoff and resumes from that cursor, so nothing is missed or repeated.
 */
import { retryDelayMs } from '../../core/backoff.ts';
import { quakeFromMessage } from '../../core/message.ts';
import type { Quake } from '../../core/quake.ts';
import { windowFromMessage } from '../../core/stats-message.ts';
import type { WindowStats } from '../../core/window.ts';

export type BridgeState = 'connecting' | 'live' | 'reconnecting';

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

export class BridgeClient {
  readonly url: string;
  readonly #events: BridgeEvents;
  #socket: WebSocket | null = null;
  #cursor: string | null = null;
  #windowMs = 24 * 3_600_000;
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
    const url = new URL(this.url);
    if (this.#cursor !== null) url.searchParams.set('cursor', this.#cursor);
    this.#events.onState(this.#failures === 0 ? 'connecting' : 'reconnecting', null, null);
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      this.#retry(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#socket = socket;
    let reason: string | null = null;
    socket.onmessage = (event) => {
      try {
        this.#receive(JSON.parse(String(event.data)));
      } catch (error) {
        // A frame that is not valid is dropped; the cursor stays before it, so a resume retries it.
        console.warn(
          `Sismos: ignored a bridge frame: ${error instanceof Error ? error.message : error}`,
        );
      }
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

  // biome-ignore lint/suspicious/noExplicitAny: a frame is checked field by field, and its quakes by the core decoders
  #receive(frame: any): void {
    switch (frame?.type) {
      case 'hello':
        this.#windowMs = Number(frame.windowMs) > 0 ? Number(frame.windowMs) : this.#windowMs;
        this.#failures = 0;
        this.#events.onState('live', null, null);
        return;
      case 'snapshot':
        this.#events.onSnapshot({
          quakes: frame.quakes.map(quakeFromMessage),
          alerts: frame.alerts.map(quakeFromMessage),
          windows: frame.stats.map(windowFromMessage),
          windowMs: this.#windowMs,
        });
        break;
      case 'quake':
        this.#events.onQuake(quakeFromMessage(frame.quake));
        break;
      case 'alert':
        this.#events.onAlert(quakeFromMessage(frame.quake));
        break;
      case 'stats':
        this.#events.onWindow(windowFromMessage(frame.window));
        break;
      case 'source':
        this.#events.onSource(frame.ok === true, String(frame.message));
        return;
      default:
        return;
    }
    if (typeof frame.cursor === 'string') this.#cursor = frame.cursor;
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
