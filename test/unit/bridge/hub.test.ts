/**
 * The hub's flow control and close codes, without a network: each client is a fake WebSocket over
 * a fake connection that keeps every byte written to it (the frames are decoded here, by hand) and
 * counts as waiting whatever its reader has not taken yet. The hub, the relay log, the snapshot
 * cache and the frames are the real ones; the clock is vitest's.
 */
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ClientSocket,
  Hub,
  type HubOptions,
  type RawConnection,
} from '../../../bridge/lib/hub.ts';
import { textFrame } from '../../../bridge/lib/ws-frame.ts';
import { toMessage } from '../../../src/core/message.ts';
import { CloseCode, encodeCursor } from '../../../src/core/protocol.ts';
import { RelayLog } from '../../../src/core/relay-log.ts';
import { makeQuake } from '../../helpers/quake.ts';

const OPEN = 1;
const CLOSED = 3;
const NOW = Date.UTC(2024, 0, 15, 12);
const HOUR = 3_600_000;

/** The connection under a client: every byte written, and how many its reader has not taken. */
class FakeConnection extends EventEmitter {
  readonly written: Buffer[] = [];
  waiting = 0;

  cork(): void {}
  uncork(): void {}
  write(bytes: Buffer): boolean {
    this.written.push(bytes);
    this.waiting += bytes.length;
    return true;
  }

  /** The reader takes `bytes` (all it waits for by default); the socket drains when none wait. */
  read(bytes = this.waiting): void {
    this.waiting = Math.max(0, this.waiting - bytes);
    if (this.waiting === 0) this.emit('drain');
  }

  /** The text of every frame written, in order. */
  frames(): string[] {
    return decodeFrames(Buffer.concat(this.written));
  }
}

/** A client's WebSocket: what ws does for the hub, writing to the same connection. */
class FakeSocket extends EventEmitter {
  readonly raw = new FakeConnection();
  readyState = OPEN;
  closed: { code: number; reason: string } | null = null;
  terminated = false;
  pings = 0;

  get bufferedAmount(): number {
    return this.raw.waiting;
  }
  send(text: string): void {
    this.raw.write(textFrame(text));
  }
  close(code: number, reason: string): void {
    if (this.readyState !== OPEN) return;
    this.closed = { code, reason };
    this.readyState = CLOSED;
    queueMicrotask(() => this.emit('close'));
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = CLOSED;
    queueMicrotask(() => this.emit('close'));
  }
  ping(): void {
    this.pings++;
  }
  /** The client sends a text (or binary) frame. */
  says(text: string, binary = false): void {
    this.emit('message', Buffer.from(text), binary);
  }
  /** The parsed JSON frames the client got, in order. */
  frames(): { type: string; [field: string]: unknown }[] {
    return this.raw.frames().map((text) => JSON.parse(text));
  }
}

/** Unmasked server text frames, one after another (RFC 6455 §5.2). */
function decodeFrames(bytes: Buffer): string[] {
  const texts: string[] = [];
  for (let at = 0; at < bytes.length; ) {
    expect(bytes[at]).toBe(0x81);
    let length = (bytes[at + 1] as number) & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      start = at + 4;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at + 2));
      start = at + 10;
    }
    texts.push(bytes.subarray(start, start + length).toString('utf8'));
    at = start + length;
  }
  return texts;
}

const OPTIONS: HubOptions = {
  mode: 'direct',
  maxBufferedBytes: 4096,
  stallMs: 2000,
  heartbeatMs: 20_000,
  maxConnections: 1000,
  maxConnectionsPerAddress: 128,
  log: () => {},
};

let relay: RelayLog;
let hub: Hub;
let offset = 0;
let lines: string[];

function start(options: Partial<HubOptions> = {}, capacity = 1000): void {
  relay = new RelayLog({ epoch: 'e1', capacity, windowMs: 24 * HOUR, snapshotLimit: 1000 });
  relay.track('sismos:0', 0n);
  offset = 0;
  lines = [];
  hub = new Hub(relay, { ...OPTIONS, log: (line) => lines.push(line), ...options });
}

/** Relays `count` new quakes in one source batch, as a source does. */
function relayQuakes(count: number): void {
  for (let i = 0; i < count; i++) {
    const n = offset++;
    const quake = makeQuake({ id: `q${n}`, time: NOW - HOUR, place: `place ${n} `.repeat(8) });
    const entry = relay.append({
      position: 'sismos:0',
      offset: BigInt(n),
      kind: 'quake',
      quake,
      window: null,
      text: null,
    });
    if (entry !== null) hub.publish(entry);
  }
}

function connect(query = '', peer = '10.0.0.1'): FakeSocket {
  const socket = new FakeSocket();
  hub.accept(socket as unknown as ClientSocket, socket.raw as unknown as RawConnection, {
    peer,
    params: new URLSearchParams(query),
  });
  return socket;
}

/** Lets the hub's queued work (a flush, a snapshot build in slices, close events) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await nextTurn();
}

/** The ids of the quakes a client got, in its snapshot and then one by one, in order. */
function quakeIds(socket: FakeSocket): string[] {
  return socket.frames().flatMap((frame) => {
    if (frame.type === 'snapshot') return (frame.quakes as { id: string }[]).map((q) => q.id);
    if (frame.type === 'quake') return [(frame.quake as { id: string }).id];
    return [];
  });
}

const ids = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `q${from + i}`);

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    now: NOW,
  });
});
afterEach(() => {
  hub.close();
  vi.useRealTimers();
});

describe('Hub: what a client gets', () => {
  it('says hello, sends the snapshot, then every new record once, in order', async () => {
    start();
    relayQuakes(3);
    const client = connect();
    await settle();
    relayQuakes(4);
    await settle();
    const frames = client.frames();
    expect(frames[0]).toMatchObject({ type: 'hello', mode: 'direct', windowMs: 24 * HOUR });
    expect(frames[1]).toMatchObject({ type: 'snapshot', reset: null });
    expect(quakeIds(client)).toEqual(ids(0, 7));
    expect(frames.at(-1)?.cursor).toBe(encodeCursor(relay.cursor()));
  });

  it('resumes a client by its cursor with exactly the records it missed, no snapshot', async () => {
    start();
    relayQuakes(5);
    const first = connect();
    await settle();
    const cursor = first.frames().at(-1)?.cursor as string;
    relayQuakes(3);
    const again = connect(`cursor=${encodeURIComponent(cursor)}`);
    await settle();
    expect(again.frames().map((f) => f.type)).toEqual(['hello', 'quake', 'quake', 'quake']);
    expect(quakeIds(again)).toEqual(ids(5, 8));
  });
});

describe('Hub: snapshots', () => {
  it('carries a quake from Kafka as the validated text it came as, like its record frame, and encodes one without text', async () => {
    start();
    const fromKafka = makeQuake({ id: 'k1', time: NOW - HOUR });
    // A producer's own field order and an extra field: only the text as it came keeps them.
    const text = JSON.stringify({ fuente: 'otro productor', ...toMessage(fromKafka) });
    hub.publish(
      relay.append({
        position: 'sismos:0',
        offset: BigInt(offset++),
        kind: 'quake',
        quake: fromKafka,
        window: null,
        text,
      }) as NonNullable<ReturnType<RelayLog['append']>>,
    );
    relayQuakes(1);
    const client = connect();
    await settle();
    const snapshot = client.frames()[1] as { type: string; quakes: object[] };
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.quakes).toEqual([
      JSON.parse(text),
      toMessage(relay.at(1)?.record.quake as never),
    ]);
    expect(Object.keys(snapshot.quakes[0] as object)[0]).toBe('fuente');
  });
});

describe('Hub: flow control', () => {
  it('queues nothing more for a client over the limit, and catches it up as its socket drains', async () => {
    start();
    const client = connect();
    await settle();
    client.raw.read();
    relayQuakes(200);
    await settle();
    // Past the limit the hub stops at the frame that reaches it: at most one frame over.
    const largest = Math.max(...client.raw.written.map((bytes) => bytes.length));
    expect(client.bufferedAmount).toBeGreaterThan(OPTIONS.maxBufferedBytes);
    expect(client.bufferedAmount).toBeLessThanOrEqual(OPTIONS.maxBufferedBytes + largest);
    expect(quakeIds(client).length).toBeLessThan(200);
    expect(hub.pausedClients).toBe(1);

    for (let reads = 0; quakeIds(client).length < 200 && reads < 500; reads++) {
      client.raw.read();
      await settle();
      expect(client.bufferedAmount).toBeLessThanOrEqual(OPTIONS.maxBufferedBytes + largest);
    }
    expect(quakeIds(client)).toEqual(ids(0, 200));
    expect(hub.pausedClients).toBe(0);
    expect(client.closed).toBeNull();
  });

  it('a burst costs a fast client nothing while a client that does not read is paused', async () => {
    start();
    const fast = connect();
    const slow = connect('', '10.0.0.2');
    await settle();
    fast.raw.read();
    slow.raw.read();
    for (let batch = 0; batch < 20; batch++) {
      relayQuakes(10);
      await settle();
      fast.raw.read();
      await settle();
    }
    expect(quakeIds(fast)).toEqual(ids(0, 200));
    expect(quakeIds(slow).length).toBeLessThan(200);
    expect(hub.pausedClients).toBe(1);
  });

  it('closes a client that takes nothing for longer than stallMs with 4008, not one reading slowly', async () => {
    start();
    const stuck = connect();
    const slow = connect('', '10.0.0.2');
    await settle();
    stuck.raw.read();
    slow.raw.read();
    relayQuakes(200);
    await settle();
    for (let t = 0; t < OPTIONS.stallMs + 500; t += 100) {
      slow.raw.read(50);
      await vi.advanceTimersByTimeAsync(100);
    }
    await settle();
    expect(stuck.closed).toEqual({ code: CloseCode.tooSlow, reason: 'too slow: resume by cursor' });
    expect(slow.closed).toBeNull();
    expect(hub.slowClosed).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        /^bridge: closing 10\.0\.0\.1 as too slow: \d+ bytes waiting \(limit 4096\) for \d+ ms; it can resume by cursor$/,
      ),
    ]);
    // It will not read the close frame either: it is cut off a second later.
    await vi.advanceTimersByTimeAsync(1000);
    expect(stuck.terminated).toBe(true);
  });

  it('closes a client with 4008 once the records it has not taken left the relay log', async () => {
    start({}, 50);
    const behind = connect();
    await settle();
    behind.raw.read();
    relayQuakes(30);
    await settle();
    relayQuakes(60);
    await settle();
    behind.raw.read();
    await settle();
    expect(behind.closed?.code).toBe(CloseCode.tooSlow);
    expect(lines.at(-1)).toMatch(/as too slow: it fell behind the records the bridge keeps \(50\)/);
  });

  it('closes a client with 4008 when it asks for a snapshot with over the limit waiting', async () => {
    start();
    relayQuakes(100);
    const client = connect();
    await settle();
    expect(client.bufferedAmount).toBeGreaterThan(OPTIONS.maxBufferedBytes);
    const frames = client.frames().length;
    client.says('{"type":"subscribe"}');
    await settle();
    expect(client.closed?.code).toBe(CloseCode.tooSlow);
    expect(client.frames()).toHaveLength(frames);
  });
});

describe('Hub: close codes', () => {
  it('closes a frame that is not the protocol with 4000 and the reason', async () => {
    start();
    const garbage = connect();
    const binary = connect();
    const badCursor = connect();
    await settle();
    garbage.says('sismo');
    binary.says('{"type":"subscribe"}', true);
    badCursor.says('{"type":"subscribe","cursor":"nope"}');
    expect(garbage.closed).toEqual({
      code: CloseCode.badRequest,
      reason: 'frame is not JSON: string "sismo"',
    });
    expect(binary.closed).toEqual({
      code: CloseCode.badRequest,
      reason: 'binary frames are not part of the protocol',
    });
    expect(badCursor.closed).toEqual({
      code: CloseCode.badRequest,
      reason: 'cursor is not one: string "nope"',
    });
  });

  it('closes a connection whose filters are not the protocol with 4000, before any frame', () => {
    start();
    const client = connect('minMag=x');
    expect(client.closed).toEqual({
      code: CloseCode.badRequest,
      reason: 'minMag must be a number, got number NaN',
    });
    expect(client.frames()).toEqual([]);
  });

  it('closes one connection over a limit with 4029 naming the limit, and admits again once one closed', async () => {
    start({ maxConnections: 3, maxConnectionsPerAddress: 2 });
    const [a1, a2] = [connect('', 'a'), connect('', 'a')];
    const a3 = connect('', 'a');
    expect(a3.closed).toEqual({
      code: CloseCode.tooManyConnections,
      reason: 'too many connections from a (limit 2, BRIDGE_MAX_CONNECTIONS_PER_ADDRESS)',
    });
    const b1 = connect('', 'b');
    const b2 = connect('', 'b');
    expect(b2.closed).toEqual({
      code: CloseCode.tooManyConnections,
      reason: 'too many connections (limit 3, BRIDGE_MAX_CONNECTIONS)',
    });
    expect(hub.refusedConnections).toBe(2);
    expect([a1, a2, b1].map((c) => c.closed)).toEqual([null, null, null]);

    a1.close(1000, 'bye');
    await settle();
    expect(connect('', 'b').closed).toBeNull();
  });

  it('closes every client with 1001 when the bridge shuts down', async () => {
    start();
    const clients = [connect(), connect(), connect()];
    await settle();
    hub.close();
    expect(clients.map((c) => c.closed)).toEqual(
      clients.map(() => ({ code: CloseCode.goingAway, reason: 'bridge shutting down' })),
    );
  });

  it('drops a client that did not answer the last ping, and keeps one that did', async () => {
    start({ heartbeatMs: 1000 });
    const silent = connect();
    const alive = connect();
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    expect([silent.pings, alive.pings]).toEqual([1, 1]);
    alive.emit('pong');
    await vi.advanceTimersByTimeAsync(1000);
    expect(silent.terminated).toBe(true);
    expect(alive.terminated).toBe(false);
    expect(hub.clients).toBe(1);
  });
});

/** The ids of the quakes a client got in record frames, one by one (version 1) or in batches (version 2). */
function relayedIds(socket: FakeSocket): string[] {
  return socket.frames().flatMap((frame) => {
    if (frame.type === 'quake') return [(frame.quake as { id: string }).id];
    if (frame.type !== 'batch') return [];
    return (frame.items as { quake: { id: string } }[]).map((item) => item.quake.id);
  });
}

/** Relays quakes of the given magnitudes in one source batch. */
function relayMagnitudes(mags: number[]): void {
  for (const mag of mags) {
    const n = offset++;
    const entry = relay.append({
      position: 'sismos:0',
      offset: BigInt(n),
      kind: 'quake',
      quake: makeQuake({ id: `q${n}`, time: NOW - HOUR, mag }),
      window: null,
      text: null,
    });
    if (entry !== null) hub.publish(entry);
  }
}

describe('Hub: protocol version 2', () => {
  it('says it speaks version 2 to a client asking ?v=2 and sends each source batch as one frame, with the records a version-1 client gets one by one', async () => {
    start({ maxBufferedBytes: 1 << 20 });
    const v1 = connect();
    const v2 = connect('v=2');
    await settle();
    for (const count of [3, 1, 5]) {
      relayQuakes(count);
      await settle();
    }
    expect(v1.frames()[0]).toMatchObject({ type: 'hello', version: 1 });
    expect(v2.frames()[0]).toMatchObject({ type: 'hello', version: 2 });
    expect(relayedIds(v1)).toEqual(ids(0, 9));
    expect(relayedIds(v2)).toEqual(ids(0, 9));
    expect(v2.frames().map((f) => f.type)).toEqual([
      'hello',
      'snapshot',
      'batch',
      'batch',
      'batch',
    ]);
    expect(v2.frames().at(-1)?.cursor).toBe(v1.frames().at(-1)?.cursor);
    expect(v2.frames().at(-1)?.cursor).toBe(encodeCursor(relay.cursor()));
  });

  it('speaks the highest version it knows to a client asking a newer one, and closes one asking nonsense with 4000', async () => {
    start();
    const newer = connect('v=9');
    const bad = connect('v=two');
    await settle();
    expect(newer.frames()[0]).toMatchObject({ type: 'hello', version: 2 });
    expect(bad.closed).toEqual({
      code: CloseCode.badRequest,
      reason: 'v must be a protocol version (1, 2, ...), got string "two"',
    });
  });

  it('resumes a client by the cursor of its last batch frame with exactly the records it missed', async () => {
    start({ maxBufferedBytes: 1 << 20 });
    const first = connect('v=2');
    await settle();
    relayQuakes(4);
    await settle();
    const cursor = first.frames().at(-1)?.cursor as string;
    relayQuakes(3);
    await settle();
    relayQuakes(2);
    const again = connect(`v=2&cursor=${encodeURIComponent(cursor)}`);
    await settle();
    expect(again.frames().map((f) => f.type)).not.toContain('snapshot');
    expect(relayedIds(again)).toEqual(ids(4, 9));
    expect(again.frames().at(-1)?.cursor).toBe(encodeCursor(relay.cursor()));
  });

  it('applies filters in a batch, sharing the frame bytes between clients with the same filters', async () => {
    start({ maxBufferedBytes: 1 << 20 });
    const strong = [connect('v=2&minMag=4.5'), connect('v=2&minMag=4.5', '10.0.0.2')];
    const strongV1 = connect('minMag=4.5');
    await settle();
    relayMagnitudes([5, 2, 4.5, 3, 6]);
    await settle();
    relayMagnitudes([1, 2]);
    await settle();
    for (const client of [...strong, strongV1])
      expect(relayedIds(client)).toEqual(['q0', 'q2', 'q4']);
    // A batch none of whose records pass sends nothing.
    expect(strong[0]?.frames().map((f) => f.type)).toEqual(['hello', 'snapshot', 'batch']);
    expect(strong[0]?.raw.written.at(-1)).toBe(strong[1]?.raw.written.at(-1));
    expect(strong[0]?.frames().at(-1)?.cursor).toBe(strongV1.frames().at(-1)?.cursor);
  });

  it('cuts a batch of large messages into frames of about 256 KiB, so a paused client holds at most one of them more', async () => {
    start({ maxBufferedBytes: 1 << 20 });
    const client = connect('v=2');
    await settle();
    for (let i = 0; i < 12; i++) {
      const n = offset++;
      const quake = makeQuake({ id: `q${n}`, time: NOW - HOUR, place: 'x'.repeat(50_000) });
      const entry = relay.append({
        position: 'sismos:0',
        offset: BigInt(n),
        kind: 'quake',
        quake,
        window: null,
        text: JSON.stringify(toMessage(quake)),
      });
      if (entry !== null) hub.publish(entry);
    }
    await settle();
    const batches = client.frames().filter((f) => f.type === 'batch');
    expect(batches.map((f) => (f.items as unknown[]).length)).toEqual([6, 6]);
    expect(relayedIds(client)).toEqual(ids(0, 12));
  });

  it('queues nothing more for a client over the limit and catches it up as it drains; closes one that takes nothing with 4008', async () => {
    start();
    const reader = connect('v=2');
    const stuck = connect('v=2', '10.0.0.2');
    await settle();
    reader.raw.read();
    stuck.raw.read();
    for (let batch = 0; batch < 10; batch++) {
      relayQuakes(20);
      await settle();
    }
    expect(reader.bufferedAmount).toBeGreaterThan(OPTIONS.maxBufferedBytes);
    expect(relayedIds(reader).length).toBeLessThan(200);
    expect(hub.pausedClients).toBe(2);
    for (let t = 0; t < OPTIONS.stallMs + 500; t += 100) {
      reader.raw.read();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(relayedIds(reader)).toEqual(ids(0, 200));
    expect(reader.closed).toBeNull();
    expect(stuck.closed).toEqual({ code: CloseCode.tooSlow, reason: 'too slow: resume by cursor' });
  });
});
