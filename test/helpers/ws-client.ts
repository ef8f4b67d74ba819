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

/** A raw TCP connection to a bridge's /ws, past the WebSocket handshake. */
export interface RawWebSocket {
  readonly socket: Socket;
  /** The bytes the bridge sent after the handshake (until the socket is paused). */
  received(): Buffer;
  /** Resolves when the connection is closed. */
  readonly closed: Promise<void>;
}

/**
 * A raw TCP connection to a bridge's /ws that has done the WebSocket handshake and then does only
 * what the test makes it do: never read (pause its socket), or write frames built with
 * clientFrame(), broken ones included.
 */
export async function rawWebSocket(url: string): Promise<RawWebSocket> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {}); // a bridge that drops the client may reset the connection
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: null\r\n\r\n',
  );
  let bytes = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    bytes = Buffer.concat([bytes, chunk]);
  });
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      const end = bytes.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', check);
      const head = bytes.subarray(0, end).toString('latin1');
      bytes = bytes.subarray(end + 4);
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', check);
  });
  return { socket, received: () => bytes, closed };
}

/** The code of the close frame among frames a server sent (unmasked, RFC 6455 §5.5.1), or null. */
export function closeCode(frames: Buffer): number | null {
  for (let at = 0; at + 2 <= frames.length; ) {
    const opcode = (frames[at] as number) & 0x0f;
    let length = (frames[at + 1] as number) & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = frames.readUInt16BE(at + 2);
      start += 2;
    } else if (length === 127) {
      length = Number(frames.readBigUInt64BE(at + 2));
      start += 8;
    }
    if (opcode === 8) return length >= 2 ? frames.readUInt16BE(start) : null;
    at = start + length;
  }
  return null;
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
