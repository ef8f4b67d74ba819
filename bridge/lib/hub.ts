import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { toMessage } from '../../src/core/message.ts';
import {
  CloseCode,
  type Cursor,
  decodeCursor,
  encodeCursor,
  type Filters,
  filtersFromParams,
  matches,
  PROTOCOL_VERSION,
  parseSubscribe,
  type ServerFrame,
} from '../../src/core/protocol.ts';
import { toStatsMessage } from '../../src/core/stats-message.ts';
import type { Entry, RelayLog, RelayRecord } from './relay-log.ts';

export interface HubOptions {
  readonly mode: 'kafka' | 'direct';
  /** Bytes that may wait in a client's socket; past this, nothing more is queued for it. */
  readonly maxBufferedBytes: number;
  /** How long a client may stay over maxBufferedBytes before it is closed as too slow (4008). */
  readonly stallMs: number;
  /** A client that has not answered a ping within this period is closed. */
  readonly heartbeatMs: number;
  readonly log: (line: string) => void;
}

interface Session {
  readonly socket: WebSocket;
  readonly peer: string;
  filters: Filters;
  alive: boolean;
  /** Cursor after the last record this client was given (or that its filters passed over). */
  position: string;
  /** Since when the client's socket has been too full to take more; null while it keeps up. */
  pausedSince: number | null;
}

/** How often paused clients are checked for a drained socket. */
const CATCH_UP_MS = 100;

/**
 * The WebSocket clients of one bridge: each gets a snapshot or the records it missed, then every
 * new record that passes its filters; a frame is serialised once for all clients.
 *
 * Flow control: nothing more is queued for a client with over maxBufferedBytes waiting in its
 * socket. It is paused, and once its socket drains it catches up from the relay log, so a burst
 * never costs a fast client its connection and memory per client stays bounded. A client paused
 * for longer than stallMs, or whose position left the relay log, is closed with 4008 and can
 * resume by cursor.
 */
export class Hub {
  readonly #relay: RelayLog;
  readonly #options: HubOptions;
  readonly #sessions = new Set<Session>();
  readonly #timers: NodeJS.Timeout[];
  #slowClosed = 0;

  constructor(relay: RelayLog, options: HubOptions) {
    this.#relay = relay;
    this.#options = options;
    this.#timers = [
      setInterval(() => this.#beat(), options.heartbeatMs),
      setInterval(() => this.#catchUp(), CATCH_UP_MS),
    ];
    for (const timer of this.#timers) timer.unref();
  }

  get clients(): number {
    return this.#sessions.size;
  }

  /** Clients currently paused because their socket is full. */
  get pausedClients(): number {
    let paused = 0;
    for (const session of this.#sessions) if (session.pausedSince !== null) paused++;
    return paused;
  }

  /** How many clients were closed for reading too slowly since the bridge started. */
  get slowClosed(): number {
    return this.#slowClosed;
  }

  /** Takes a new connection: filters and cursor come from its URL (?minMag=&bbox=&cursor=). */
  accept(socket: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'http://bridge');
    let filters: Filters;
    try {
      filters = filtersFromParams(url.searchParams);
    } catch (error) {
      socket.close(CloseCode.badRequest, clip((error as Error).message));
      return;
    }
    const session: Session = {
      socket,
      peer: request.socket.remoteAddress ?? '?',
      filters,
      alive: true,
      position: '',
      pausedSince: null,
    };
    this.#sessions.add(session);
    socket.on('pong', () => {
      session.alive = true;
    });
    socket.on('message', (data, isBinary) => this.#onMessage(session, data.toString(), isBinary));
    socket.on('close', () => this.#sessions.delete(session));
    socket.on('error', () => this.#sessions.delete(session));
    const hello: ServerFrame = {
      type: 'hello',
      version: PROTOCOL_VERSION,
      mode: this.#options.mode,
      windowMs: this.#relay.options.windowMs,
    };
    socket.send(JSON.stringify(hello));
    const cursorParam = url.searchParams.get('cursor');
    this.#start(session, cursorParam === null ? null : decodeCursor(cursorParam), cursorParam);
  }

  /** Sends a freshly kept record to every client that keeps up and whose filters it passes. */
  publish(entry: Entry): void {
    let text: string | null = null;
    for (const session of this.#sessions) {
      if (session.pausedSince !== null) continue; // it catches up from the relay log
      if (passes(session.filters, entry.record)) {
        text ??= frameText(entry);
        if (!this.#offer(session, text)) continue;
      }
      session.position = entry.cursor;
    }
  }

  /** Tells every client whether the source behind the bridge works. */
  sourceStatus(ok: boolean, message: string): void {
    const text = JSON.stringify({ type: 'source', ok, message } satisfies ServerFrame);
    for (const session of this.#sessions)
      if (session.socket.readyState === WebSocket.OPEN) session.socket.send(text);
  }

  /** Closes every client with "going away" (1001); they reconnect and resume by cursor. */
  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    for (const session of this.#sessions)
      session.socket.close(CloseCode.goingAway, 'bridge shutting down');
  }

  #onMessage(session: Session, text: string, isBinary: boolean): void {
    // Frames that were on their way when the bridge closed the client are not answered.
    if (session.socket.readyState !== WebSocket.OPEN) return;
    try {
      if (isBinary) throw new Error('binary frames are not part of the protocol');
      const frame = parseSubscribe(text);
      // A client that does not read what it was sent gets nothing more queued, snapshots included.
      const { bufferedAmount } = session.socket;
      if (bufferedAmount > this.#options.maxBufferedBytes) {
        this.#closeSlow(
          session,
          `${bufferedAmount} bytes waiting (limit ${this.#options.maxBufferedBytes}) when it asked for a snapshot`,
        );
        return;
      }
      session.filters = frame.filters;
      session.pausedSince = null;
      this.#start(session, frame.cursor, null);
    } catch (error) {
      this.#options.log(`bridge: closing ${session.peer}: ${(error as Error).message}`);
      session.socket.close(CloseCode.badRequest, clip((error as Error).message));
    }
  }

  /** Resumes after `cursor` when every missed record is still kept; otherwise sends a snapshot. */
  #start(session: Session, cursor: Cursor | null, rawCursor: string | null): void {
    let reset: string | null =
      rawCursor !== null && cursor === null ? 'the cursor could not be read' : null;
    if (cursor !== null) {
      const missed = this.#relay.since(cursor);
      if (typeof missed !== 'string') {
        session.position = encodeCursor(cursor);
        this.#deliver(session, missed);
        return;
      }
      reset = missed;
    }
    const snapshot = this.#relay.snapshot(Date.now());
    const frame: ServerFrame = {
      type: 'snapshot',
      reset,
      quakes: snapshot.quakes.filter((q) => matches(session.filters, q)).map(toMessage),
      alerts: snapshot.alerts.filter((q) => matches(session.filters, q)).map(toMessage),
      stats: snapshot.stats.map(toStatsMessage),
      cursor: encodeCursor(snapshot.cursor),
    };
    // A snapshot always goes out whole: it is where the client starts.
    session.socket.send(JSON.stringify(frame));
    session.position = frame.cursor;
  }

  /** Sends `entries` in order until the client's socket is full; it then pauses there. */
  #deliver(session: Session, entries: readonly Entry[]): void {
    for (const entry of entries) {
      if (passes(session.filters, entry.record) && !this.#offer(session, frameText(entry))) return;
      session.position = entry.cursor;
    }
  }

  /** Queues `text` unless the client's socket is already over the limit, which pauses it. */
  #offer(session: Session, text: string): boolean {
    const { socket } = session;
    if (socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount > this.#options.maxBufferedBytes) {
      session.pausedSince ??= Date.now();
      return false;
    }
    socket.send(text);
    return true;
  }

  #catchUp(): void {
    const now = Date.now();
    for (const session of this.#sessions) {
      if (session.pausedSince === null) continue;
      const { socket } = session;
      if (socket.bufferedAmount > this.#options.maxBufferedBytes / 2) {
        if (now - session.pausedSince > this.#options.stallMs) {
          this.#closeSlow(
            session,
            `${socket.bufferedAmount} bytes waiting (limit ${this.#options.maxBufferedBytes}) for ${now - session.pausedSince} ms`,
          );
        }
        continue;
      }
      const missed = this.#relay.since(decodeCursor(session.position) as Cursor);
      if (typeof missed === 'string') {
        this.#closeSlow(session, `it fell behind the records the bridge keeps (${missed})`);
        continue;
      }
      session.pausedSince = null;
      this.#deliver(session, missed);
    }
  }

  #closeSlow(session: Session, why: string): void {
    this.#slowClosed++;
    this.#sessions.delete(session);
    this.#options.log(
      `bridge: closing ${session.peer} as too slow: ${why}; it can resume by cursor`,
    );
    session.socket.close(CloseCode.tooSlow, 'too slow: resume by cursor');
    // A client that does not read will not read the close frame either.
    setTimeout(() => session.socket.terminate(), 1000).unref();
  }

  #beat(): void {
    for (const session of this.#sessions) {
      if (!session.alive) {
        this.#sessions.delete(session);
        session.socket.terminate();
        continue;
      }
      session.alive = false;
      session.socket.ping();
    }
  }
}

function passes(filters: Filters, record: RelayRecord): boolean {
  return record.quake === null || matches(filters, record.quake);
}

function frameText({ record, cursor }: Entry): string {
  if (record.window !== null) {
    return JSON.stringify({
      type: 'stats',
      window: toStatsMessage(record.window),
      cursor,
    } satisfies ServerFrame);
  }
  const quake = toMessage(record.quake as NonNullable<RelayRecord['quake']>);
  const type = record.kind === 'alert' ? 'alert' : 'quake';
  return JSON.stringify({ type, quake, cursor } satisfies ServerFrame);
}

/** WebSocket close reasons are limited to 123 bytes. */
function clip(reason: string): string {
  return Buffer.byteLength(reason) <= 123
    ? reason
    : `${Buffer.from(reason).subarray(0, 119).toString()}...`;
}
