import WebSocket from 'ws';

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
