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
