import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { ProtocolError } from '../../src/core/errors.ts';
import {
  batchFramePieces,
  helloFrameText,
  recordFrameText,
  snapshotFrameHead,
  sourceFrameText,
} from '../../src/core/frame-text.ts';
import {
  CloseCode,
  type Cursor,
  decodeCursor,
  type Filters,
  filtersFromParams,
  matches,
  parseSubscribe,
  versionFromParams,
} from '../../src/core/protocol.ts';
import type { Entry, RelayLog } from '../../src/core/relay-log.ts';
import { ConnectionLimits } from './connection-limits.ts';
import { FrameCache } from './frame-cache.ts';
import { type SharedSnapshot, SnapshotCache } from './snapshot-cache.ts';
import { closeReason, textFrame, textFrameAround, textFrameOf } from './ws-frame.ts';

export interface HubOptions {
  readonly mode: 'kafka' | 'direct';
  /** Bytes that may wait in a client's socket; past this, nothing more is queued for it. */
  readonly maxBufferedBytes: number;
  /** How long a client may stay over maxBufferedBytes before it is closed as too slow (4008). */
  readonly stallMs: number;
  /** A client that has not answered a ping within this period is closed. */
  readonly heartbeatMs: number;
  /** Most WebSocket connections open at once; past it, a new one is closed with 4029. */
  readonly maxConnections: number;
  /** Most WebSocket connections open at once from one address; past it, a new one is closed with 4029. */
  readonly maxConnectionsPerAddress: number;
  readonly log: (line: string) => void;
}

/** A new connection: where it comes from and its query parameters (?minMag=&bbox=&cursor=&v=). */
interface Arrival {
  readonly peer: string;
  readonly params: URLSearchParams;
}

/** What the hub uses of a client's WebSocket (ws). */
export type ClientSocket = Pick<
  WebSocket,
  'readyState' | 'bufferedAmount' | 'send' | 'close' | 'terminate' | 'ping' | 'on'
>;

/** What it uses of the connection under it: record frames are written to it as prepared bytes. */
export type RawConnection = Pick<Duplex, 'cork' | 'uncork' | 'write' | 'on'>;

interface Session {
  readonly socket: ClientSocket;
  readonly raw: RawConnection;
  readonly peer: string;
  /** The protocol version spoken with it: 1, a frame per record; 2, a batch frame per run of records. */
  readonly version: number;
  filters: Filters;
  alive: boolean;
  /** Seq (see RelayLog) of the next record this client has not been given nor passed over. */
  next: number;
  /** While resuming by cursor: per position, the offset from which the client needs records. */
  resumeFrom: ReadonlyMap<string, bigint> | null;
  /** While the client is behind (its socket was too full): when it last took data. */
  pausedSince: number | null;
  /** Its bytes waiting when last checked while paused: fewer since means it took some. */
  lastBuffered: number;
  /** While it waits for its snapshot: the request (a newer subscribe frame replaces it). */
  waiting: object | null;
}

/** How often paused clients are checked for a drained socket and for a stall. */
const CATCH_UP_MS = 100;
/** Most records in one batch frame (version 2): about a Kafka fetch of one partition. */
const BATCH_RECORDS = 1000;
/**
 * Most characters of message text a batch frame takes more records after, so that a client past
 * its limit holds at most about this much more (messages of up to 64 KiB would otherwise make a
 * frame of 1,000 of them 64 MiB); a record encoded by the frame counts as a typical message.
 */
const BATCH_CHARS = 256 * 1024;
const ENCODED_CHARS = 400;

/** A batch frame of the records from some seq on: its bytes (null: the client wanted none), and the seq after them. */
interface Batch {
  readonly bytes: Buffer | null;
  readonly next: number;
}

/**
 * The WebSocket clients of one bridge: each gets a snapshot or the records it missed, then every
 * new record that passes its filters.
 *
 * Each record is framed once for all clients (a FrameCache): a client without filters gets a run
 * of frames as one write of the same bytes, so a burst to 100 clients costs 100 writes per batch
 * rather than one per record per client. A client of version 2 gets the records that arrived
 * together as one batch frame instead, built once for all the clients with the same filters at
 * the same place. The hello and status frames go through ws as usual.
 *
 * Snapshots come from a SnapshotCache: built once per (filters, relay head), and written to every
 * client that asks as the same bytes; a client waiting for one gets no records until it is written,
 * then catches up from the head the snapshot was taken at.
 *
 * Flow control: nothing more is queued for a client with over maxBufferedBytes waiting in its
 * socket (a write stops at the first frame that reaches the limit; a snapshot goes whole, then
 * counts like any frame). It is paused, and each time its socket drains it catches up from the
 * relay log, so a burst never costs a fast client its connection and memory per client stays
 * bounded. A client that takes nothing for longer than stallMs, or whose place left the relay log,
 * is closed with 4008 and can resume by cursor. Connections are limited in all and per address (4029).
 */
export class Hub {
  readonly #relay: RelayLog;
  readonly #options: HubOptions;
  readonly #sessions = new Set<Session>();
  readonly #snapshots: SnapshotCache;
  readonly #limits: ConnectionLimits;
  #sourceOk = true;
  readonly #timers: NodeJS.Timeout[];
  readonly #frames = new FrameCache();
  /** The batch frames built since the last flush, by "seq:filters", for the clients at the same place. */
  readonly #batches = new Map<string, Batch>();
  /** Seq up to which records were published (framed or, with no client, passed over). */
  #published = 0;
  #flushing = false;
  #slowClosed = 0;

  constructor(relay: RelayLog, options: HubOptions) {
    this.#relay = relay;
    this.#options = options;
    this.#published = relay.head;
    this.#snapshots = new SnapshotCache(relay, options.log);
    this.#limits = new ConnectionLimits(options.maxConnections, options.maxConnectionsPerAddress);
    this.#timers = [
      setInterval(() => this.#beat(), options.heartbeatMs),
      setInterval(() => this.#checkPaused(), CATCH_UP_MS),
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

  /** How many connections were refused for going over a connection limit since the bridge started. */
  get refusedConnections(): number {
    return this.#limits.refused;
  }

  /** Whether the source behind the bridge works, as it last said. */
  get sourceOk(): boolean {
    return this.#sourceOk;
  }

  /**
   * Takes a new connection: filters and cursor come from its query parameters. `raw` is the
   * connection the WebSocket was upgraded from.
   */
  accept(socket: ClientSocket, raw: RawConnection, { peer, params }: Arrival): void {
    const full = this.#limits.admit(peer);
    if (full !== null) {
      this.#options.log(`bridge: refused ${peer}: ${full}`);
      socket.close(CloseCode.tooManyConnections, closeReason(full));
      return;
    }
    socket.on('close', () => this.#limits.closed(peer));
    let filters: Filters;
    let version: number;
    try {
      filters = filtersFromParams(params);
      version = versionFromParams(params);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      socket.close(CloseCode.badRequest, closeReason(error.message));
      return;
    }
    const session: Session = {
      socket,
      raw,
      peer,
      version,
      filters,
      alive: true,
      next: this.#relay.head,
      resumeFrom: null,
      pausedSince: null,
      lastBuffered: 0,
      waiting: null,
    };
    this.#sessions.add(session);
    socket.on('pong', () => {
      session.alive = true;
    });
    socket.on('message', (data, isBinary) => this.#onMessage(session, data.toString(), isBinary));
    socket.on('close', () => this.#sessions.delete(session));
    socket.on('error', () => this.#sessions.delete(session));
    raw.on('drain', () => {
      if (session.pausedSince !== null) this.#catchUp(session);
    });
    socket.send(helloFrameText(this.#options.mode, this.#relay.options.windowMs, version));
    const cursorParam = params.get('cursor');
    this.#start(session, cursorParam === null ? null : decodeCursor(cursorParam), cursorParam);
  }

  /**
   * Sends a freshly kept record to every client that keeps up and whose filters it passes. The
   * records published within one task (one source batch) go out together when it ends.
   */
  publish(entry: Entry): void {
    if (entry.seq < this.#published) return;
    if (!this.#flushing) {
      this.#flushing = true;
      queueMicrotask(() => this.#flush());
    }
  }

  /** Tells every client whether the source behind the bridge works. */
  sourceStatus(ok: boolean, message: string): void {
    this.#sourceOk = ok;
    const text = sourceFrameText(ok, message);
    for (const session of this.#sessions)
      if (session.socket.readyState === WebSocket.OPEN) session.socket.send(text);
  }

  /** Closes every client with "going away" (1001); they reconnect and resume by cursor. */
  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    for (const session of this.#sessions)
      session.socket.close(CloseCode.goingAway, 'bridge shutting down');
  }

  #flush(): void {
    this.#flushing = false;
    const relay = this.#relay;
    const head = relay.head;
    const from = Math.max(this.#published, relay.oldest);
    this.#published = head;
    this.#frames.dropBefore(relay.oldest);
    this.#batches.clear();
    // Nobody to send to: the records wait in the relay log, framed if someone resumes there.
    if (this.#sessions.size === 0 || from >= head) return;
    // Version-1 frames only for version-1 clients; one arriving later has its frames built for it.
    if (this.#speaks(1)) {
      relay.buildCursors(from, head);
      const texts: string[] = [];
      for (let seq = from; seq < head; seq++) texts.push(recordFrameText(relay.at(seq) as Entry));
      this.#frames.add(from, texts);
    }
    for (const session of this.#sessions) {
      // A paused client catches up from the relay log; one waiting for its snapshot, after it.
      if (session.pausedSince !== null || session.waiting !== null) continue;
      if (session.next < relay.oldest) {
        this.#closeSlow(session, `it fell behind the records the bridge keeps (${relay.size})`);
        continue;
      }
      this.#send(session);
      if (session.next < head) session.pausedSince = Date.now();
    }
  }

  #onMessage(session: Session, text: string, isBinary: boolean): void {
    // Frames that were on their way when the bridge closed the client are not answered.
    if (session.socket.readyState !== WebSocket.OPEN) return;
    try {
      if (isBinary) {
        throw new ProtocolError('PROTOCOL_BINARY', 'binary frames are not part of the protocol');
      }
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
      // Nothing a client sends may throw out of this listener: a frame that is not the protocol
      // closes it with 4000, and anything else (a bug) with 1011.
      const message = error instanceof Error ? error.message : String(error);
      this.#options.log(`bridge: closing ${session.peer}: ${message}`);
      const code = error instanceof ProtocolError ? CloseCode.badRequest : CloseCode.internalError;
      session.socket.close(code, closeReason(message));
    }
  }

  /** Resumes after `cursor` when every missed record is still kept; otherwise sends a snapshot. */
  #start(session: Session, cursor: Cursor | null, rawCursor: string | null): void {
    session.waiting = null;
    let reset: string | null =
      rawCursor !== null && cursor === null ? 'the cursor could not be read' : null;
    if (cursor !== null) {
      const missed = this.#relay.since(cursor);
      if (typeof missed !== 'string') {
        session.next = missed[0]?.seq ?? this.#relay.head;
        session.resumeFrom = cursor.next;
        session.pausedSince = Date.now();
        this.#catchUp(session);
        return;
      }
      reset = missed;
    }
    this.#askSnapshot(session, reset);
  }

  /** Gets the client's snapshot from the cache; until it is written, the client is sent no record. */
  #askSnapshot(session: Session, reset: string | null): void {
    const request = {};
    session.waiting = request;
    session.pausedSince = null;
    this.#snapshots.get(session.filters, (snapshot) => {
      if (session.waiting !== request || !this.#sessions.has(session)) return;
      session.waiting = null;
      this.#sendSnapshot(session, reset, snapshot);
    });
  }

  /** Writes the shared snapshot bytes behind the client's own `reset`, then catches it up from the snapshot's head. */
  #sendSnapshot(session: Session, reset: string | null, snapshot: SharedSnapshot | Error): void {
    const { socket, raw } = session;
    if (socket.readyState !== WebSocket.OPEN) return;
    if (snapshot instanceof Error) {
      socket.close(CloseCode.internalError, closeReason(`no snapshot: ${snapshot.message}`));
      return;
    }
    // Records arrived faster than the relay log keeps them while it was built: a newer one, then.
    if (snapshot.head < this.#relay.oldest) {
      this.#askSnapshot(session, reset);
      return;
    }
    // A snapshot always goes out whole: it is where the client starts.
    raw.cork();
    for (const piece of textFrameAround(snapshotFrameHead(reset), snapshot.tail)) raw.write(piece);
    raw.uncork();
    session.next = snapshot.head;
    session.resumeFrom = null;
    session.pausedSince = Date.now();
    session.lastBuffered = socket.bufferedAmount;
    this.#catchUp(session);
  }

  /**
   * Writes the frames of the records from session.next on that the client should get, as long as
   * its socket holds at most maxBufferedBytes (a write stops at the frame that reaches it), and
   * moves session.next past what it wrote or passed over.
   */
  #send(session: Session): void {
    const { socket, raw } = session;
    const head = this.#relay.head;
    while (session.next < head && socket.readyState === WebSocket.OPEN) {
      const room = this.#options.maxBufferedBytes - socket.bufferedAmount;
      if (room < 0) return;
      const pieces =
        session.version === 1
          ? this.#framesFor(session, head, room)
          : this.#batchesFor(session, head, room);
      if (pieces.length === 0) return;
      // One write of the shared frame bytes, not a copy of them for each client.
      raw.cork();
      for (const piece of pieces) raw.write(piece);
      raw.uncork();
      if (session.pausedSince !== null) session.pausedSince = Date.now();
    }
  }

  /** The frames for the client from session.next on, about `room` bytes of them (moving session.next). */
  #framesFor(session: Session, head: number, room: number): Buffer[] {
    const pieces: Buffer[] = [];
    const everything = session.resumeFrom === null && isEmpty(session.filters);
    let left = room;
    while (session.next < head && left >= 0) {
      const seq = session.next;
      // A client that gets every record takes a stretch of the shared bytes.
      const stretch = everything ? this.#frames.stretch(seq, left) : undefined;
      if (stretch !== undefined) {
        pieces.push(stretch.bytes);
        left -= stretch.bytes.length;
        session.next = stretch.next;
        continue;
      }
      session.next++;
      const entry = this.#relay.at(seq) as Entry;
      if (!this.#wants(session, entry)) continue;
      const frame = this.#frames.frame(seq) ?? textFrame(recordFrameText(entry));
      pieces.push(frame);
      left -= frame.length;
    }
    return pieces;
  }

  /** Version 2: the batch frames for the client from session.next on, as #framesFor gives frames. */
  #batchesFor(session: Session, head: number, room: number): Buffer[] {
    const pieces: Buffer[] = [];
    let left = room;
    while (session.next < head && left >= 0) {
      const batch = this.#batchFrom(session, head);
      session.next = batch.next;
      if (batch.bytes === null) continue;
      pieces.push(batch.bytes);
      left -= batch.bytes.length;
    }
    return pieces;
  }

  /**
   * The batch frame of the records from session.next on (up to BATCH_RECORDS of them) that the
   * client wants; shared with the clients at the same place with the same filters.
   */
  #batchFrom(session: Session, head: number): Batch {
    const from = session.next;
    // A resuming client passes over the records it had: its frames are its own.
    const key = session.resumeFrom === null ? `${from}:${filtersKey(session.filters)}` : null;
    const built = key === null ? undefined : this.#batches.get(key);
    if (built !== undefined) return built;
    const end = Math.min(head, from + BATCH_RECORDS);
    const entries: Entry[] = [];
    let chars = 0;
    let seq = from;
    while (seq < end && chars < BATCH_CHARS) {
      const entry = this.#relay.at(seq++) as Entry;
      if (!this.#wants(session, entry)) continue;
      entries.push(entry);
      chars += entry.record.text?.length ?? ENCODED_CHARS;
    }
    const bytes = entries.length === 0 ? null : textFrameOf(batchFramePieces(entries));
    const batch = { bytes, next: seq };
    if (key !== null) this.#batches.set(key, batch);
    return batch;
  }

  #speaks(version: number): boolean {
    for (const session of this.#sessions) if (session.version === version) return true;
    return false;
  }

  #wants(session: Session, { record }: Entry): boolean {
    const from = session.resumeFrom?.get(record.position);
    if (from !== undefined && record.offset < from) return false;
    return record.quake === null || matches(session.filters, record.quake);
  }

  /** Sends a paused client what it missed, as far as its socket takes; closes it when it fell too far behind. */
  #catchUp(session: Session): void {
    if (session.socket.readyState !== WebSocket.OPEN) return;
    if (session.next < this.#relay.oldest) {
      this.#closeSlow(session, `it fell behind the records the bridge keeps (${this.#relay.size})`);
      return;
    }
    this.#send(session);
    if (session.next < this.#relay.head) return;
    session.resumeFrom = null;
    // Still over the cap (after a snapshot): paused until it drains, closed if it never does.
    if (session.socket.bufferedAmount <= this.#options.maxBufferedBytes) session.pausedSince = null;
  }

  #checkPaused(): void {
    const now = Date.now();
    for (const session of this.#sessions) {
      if (session.pausedSince === null) continue;
      const { socket } = session;
      const buffered = socket.bufferedAmount;
      // Fewer bytes waiting than last time: it is reading, however slowly.
      if (buffered < session.lastBuffered) session.pausedSince = now;
      session.lastBuffered = buffered;
      if (buffered <= this.#options.maxBufferedBytes / 2) this.#catchUp(session);
      else if (now - session.pausedSince > this.#options.stallMs) {
        this.#closeSlow(
          session,
          `${socket.bufferedAmount} bytes waiting (limit ${this.#options.maxBufferedBytes}) for ${now - session.pausedSince} ms`,
        );
      }
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

function isEmpty(filters: Filters): boolean {
  return filters.minMag === null && filters.bbox === null;
}

/** The same text for the same filters. */
function filtersKey({ minMag, bbox }: Filters): string {
  return `${minMag}|${bbox}`;
}
