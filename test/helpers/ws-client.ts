import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { decodeCursor, encodeCursor } from '../../src/core/protocol.ts';

/** A frame as the bridge sent it (see docs/protocol.md). */
// biome-ignore lint/suspicious/noExplicitAny: frames are checked field by field in the tests
export type Frame = Record<string, any>;

export interface BridgeClient {
  readonly socket: WebSocket;
  readonly frames: Frame[];
  /** Resolves with the first frame (already received or coming) that satisfies `test`. */
  next(test: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The cursor of the last frame that carried one. */
  lastCursor(): string | null;
  close(): Promise<void>;
}

/** Connects to a bridge's /ws like a browser page would (with an Origin header). */
export async function connectBridge(
  url: string,
  origin = 'http://localhost:8080',
): Promise<BridgeClient> {
  const socket = new WebSocket(url, { origin });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const waiter of waiters) waiter();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    closed,
    lastCursor: () => frames.findLast((frame) => typeof frame.cursor === 'string')?.cursor ?? null,
    next(test, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < frames.length; seen++) {
            const frame = frames[seen] as Frame;
            if (test(frame)) return done(() => resolve(frame));
          }
          if (socket.readyState === WebSocket.CLOSED)
            done(() => reject(new Error('socket closed before the frame came')));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no matching frame within ${timeoutMs} ms`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}

/**
 * What breaks the chain of an unfiltered client's frames, in the order received, from the cursor
 * `from` on: each quake, alert and stats frame must move the cursor on by exactly one record of
 * one partition (no gap, no duplicate); a snapshot starts the chain again. Empty when whole.
 */
export function cursorBreaks(from: string, frames: readonly Frame[]): string[] {
  const breaks: string[] = [];
  let previous = decodeCursor(from);
  if (previous === null) return [`${from} is not a cursor`];
  for (const frame of frames) {
    if (typeof frame.cursor !== 'string') continue;
    const next = decodeCursor(frame.cursor);
    if (next === null || next.epoch !== previous.epoch) {
      breaks.push(`a ${frame.type} frame has the cursor ${frame.cursor}`);
      continue;
    }
    if (frame.type !== 'snapshot') {
      const before = previous.next;
      const moved = [...next.next].filter(([p, offset]) => offset !== (before.get(p) ?? 0n));
      const [position, offset] = moved[0] ?? ['', 0n];
      if (moved.length !== 1 || offset !== (before.get(position) ?? 0n) + 1n) {
        breaks.push(
          `a ${frame.type} frame moved the cursor from ${encodeCursor(previous)} to ${frame.cursor}`,
        );
      }
    }
    previous = next;
  }
  return breaks;
}

/** A frame from the server, as a raw client reads it. */
export interface ServerFrame {
  readonly fin: boolean;
  /** 1 text, 2 binary, 0 continuation, 8 close, 9 ping, 10 pong. */
  readonly opcode: number;
  /** The payload's length, as the header says. */
  readonly length: number;
  /** The payload, or its first bytes (see rawWebSocket's `keep`). */
  readonly payload: Buffer;
}

/**
 * Parses server frames (unmasked, RFC 6455 §5.2) from bytes as they arrive, keeping at most `keep`
 * bytes of each payload, so that a reader of many large frames holds little. Returns the function
 * to call with each chunk.
 */
export function frameReader(
  keep: number,
  onFrame: (frame: ServerFrame) => void,
): (chunk: Buffer) => void {
  /** The start of a header cut by the end of a chunk. */
  let cut = Buffer.alloc(0);
  /** The frame being read: its header fields, the payload kept so far, and the bytes still to come. */
  let current: {
    fin: boolean;
    opcode: number;
    length: number;
    kept: Buffer[];
    left: number;
  } | null = null;
  return (chunk) => {
    const data = cut.length > 0 ? Buffer.concat([cut, chunk]) : chunk;
    cut = Buffer.alloc(0);
    let at = 0;
    for (;;) {
      if (current === null) {
        const size = data.length - at >= 2 ? (data[at + 1] as number) & 0x7f : 0;
        const headerLength = size === 126 ? 4 : size === 127 ? 10 : 2;
        if (data.length - at < headerLength) {
          cut = Buffer.from(data.subarray(at));
          return;
        }
        const length =
          size === 126
            ? data.readUInt16BE(at + 2)
            : size === 127
              ? Number(data.readBigUInt64BE(at + 2))
              : size;
        const first = data[at] as number;
        current = {
          fin: (first & 0x80) !== 0,
          opcode: first & 0x0f,
          length,
          kept: [],
          left: length,
        };
        at += headerLength;
      }
      const take = Math.min(current.left, data.length - at);
      const keptSoFar = current.length - current.left;
      // A copy of the bytes kept, so that the chunk they came in is not kept with them.
      if (keptSoFar < keep)
        current.kept.push(Buffer.from(data.subarray(at, at + Math.min(take, keep - keptSoFar))));
      current.left -= take;
      at += take;
      if (current.left > 0) return;
      const { fin, opcode, length, kept } = current;
      current = null;
      onFrame({ fin, opcode, length, payload: Buffer.concat(kept) });
    }
  };
}

/** A raw TCP connection to a bridge's /ws, past the WebSocket handshake. */
export interface RawWebSocket {
  readonly socket: Socket;
  /** The frames the bridge sent after the handshake (until the socket is paused). */
  readonly frames: readonly ServerFrame[];
  /** Resolves with the first frame (already received or coming) that satisfies `test`; null if the connection closes first. */
  next(test: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame | null>;
  /** Resolves when the connection is closed. */
  readonly closed: Promise<void>;
}

export interface RawOptions {
  /** Headers of the handshake besides the WebSocket ones; by default an Origin the bridge accepts. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Bytes of each frame's payload kept in `frames` (the rest is read and dropped). */
  readonly keep?: number;
  /** The loopback address to connect from (127.0.0.2, ...), as another machine would. */
  readonly localAddress?: string;
}

/**
 * A raw TCP connection to a bridge's /ws that has done the WebSocket handshake and then does only
 * what the test makes it do: never read (pause its socket), or write frames built with
 * clientFrame(), broken ones included. `url` keeps its query (filters, token).
 */
export async function rawWebSocket(url: string, options: RawOptions = {}): Promise<RawWebSocket> {
  const { headers = { Origin: 'http://localhost:8080' }, keep = Number.POSITIVE_INFINITY } =
    options;
  const { hostname, port, pathname, search } = new URL(url);
  const socket = connect({
    port: Number(port),
    host: hostname,
    ...(options.localAddress !== undefined && { localAddress: options.localAddress }),
  });
  socket.on('error', () => {}); // a bridge that drops the client may reset the connection
  const frames: ServerFrame[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      resolve();
      for (const waiter of waiters) waiter();
    }),
  );
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const extra = Object.entries({ Host: `${hostname}:${port}`, ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(
    `GET ${pathname}${search} HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
  );
  const read = frameReader(keep, (frame) => {
    frames.push(frame);
    for (const waiter of waiters) waiter();
  });
  await new Promise<void>((resolve, reject) => {
    let head = Buffer.alloc(0);
    const check = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', check);
      const status = head.subarray(0, end).toString('latin1').split('\r\n')[0];
      if (!status?.startsWith('HTTP/1.1 101')) {
        reject(new Error(`handshake refused: ${status}: ${head.subarray(end + 4).toString()}`));
        return;
      }
      socket.on('data', read);
      read(head.subarray(end + 4));
      resolve();
    };
    socket.on('data', check);
  });
  return {
    socket,
    frames,
    closed,
    next: (test, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < frames.length; seen++) {
            if (test(frames[seen] as ServerFrame))
              return done(() => resolve(frames[seen] as ServerFrame));
          }
          if (socket.destroyed) done(() => resolve(null));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no matching frame within ${timeoutMs} ms`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      }),
  };
}

/** The code of the close frame among the frames a server sent, or null. */
export function closeCode(frames: readonly ServerFrame[]): number | null {
  const close = frames.find((frame) => frame.opcode === 8);
  return close === undefined || close.payload.length < 2 ? null : close.payload.readUInt16BE(0);
}

/**
 * One WebSocket frame as a client sends it (RFC 6455 §5.2): `opcode` 1 text, 2 binary, 0 a
 * continuation; masked unless `mask` is false; `length` claims another payload length than sent.
 */
export function clientFrame(
  opcode: number,
  payload: Buffer,
  options: { fin?: boolean; mask?: boolean; length?: bigint } = {},
): Buffer {
  const { fin = true, mask = true, length = BigInt(payload.length) } = options;
  const head =
    length < 126n ? Buffer.alloc(2) : length < 65_536n ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = (fin ? 0x80 : 0) | opcode;
  const maskBit = mask ? 0x80 : 0;
  if (length < 126n) head[1] = maskBit | Number(length);
  else if (length < 65_536n) {
    head[1] = maskBit | 126;
    head.writeUInt16BE(Number(length), 2);
  } else {
    head[1] = maskBit | 127;
    head.writeBigUInt64BE(length, 2);
  }
  if (!mask) return Buffer.concat([head, payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (key[i % 4] as number)));
  return Buffer.concat([head, key, masked]);
}
