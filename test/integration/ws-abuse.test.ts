/**
 * The bridge under WebSocket abuse: a thousand idle connections, connections that never answer a
 * ping, clients that send garbage, break the protocol or send frames over 4 KiB, clients that
 * never read (one of them asking for snapshot after snapshot), handshakes that are no URL or that
 * reset as they are refused. Each abuser is dropped with the documented close code, and none of it
 * costs a well-behaved client a record: it gets every record, in order, exactly once (its cursors
 * form an unbroken chain).
 */
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../../scripts/kafka-local.ts';
import type { Quake } from '../../src/core/quake.ts';
import { brokers, createTopic, produceQuakes, unique } from '../helpers/kafka.ts';
import { stopCommand } from '../helpers/pipeline.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { makeQuake } from '../helpers/quake.ts';
import {
  type BridgeClient,
  clientFrame,
  closeCode,
  connectBridge,
  cursorBreaks,
  type RawWebSocket,
  rawWebSocket,
} from '../helpers/ws-client.ts';

const IDLE = 1000;
const MAX_BUFFERED = 64 * 1024;
const topics = {
  SISMOS_TOPIC: unique('sismos'),
  ALERTAS_TOPIC: unique('alertas'),
  STATS_TOPIC: unique('stats'),
};
const produced: string[] = [];

/** A bridge on this file's topics, and its well-behaved client, connected from the start. */
interface Watched {
  readonly command: Command;
  readonly port: number;
  readonly base: string;
  readonly health: string;
  /** Must get every record produced, once each, in order. */
  readonly watcher: BridgeClient;
  readonly watcherStart: string;
}

async function startWatched(env: Record<string, string>): Promise<Watched> {
  const port = await freePort();
  const command = startCommand('bridge/server.ts', {
    ...topics,
    KAFKA_BROKERS: brokers(),
    BRIDGE_PORT: String(port),
    BRIDGE_GROUP: unique('bridge'),
    BRIDGE_MAX_BUFFERED_KB: String(MAX_BUFFERED / 1024),
    // Long enough that a well-behaved client on a loaded machine is never taken for a stalled one.
    BRIDGE_STALL_SECONDS: '3',
    // The thousand idle clients all come from loopback, over the default limits.
    BRIDGE_MAX_CONNECTIONS: String(IDLE * 2),
    BRIDGE_MAX_CONNECTIONS_PER_ADDRESS: String(IDLE * 2),
    ...env,
  });
  await command.waitFor(/Sismos bridge \(Kafka/);
  const base = `ws://127.0.0.1:${port}/ws`;
  const watcher = await connectBridge(base);
  const watcherStart = (await watcher.next((f) => f.type === 'snapshot')).cursor;
  return {
    command,
    port,
    base,
    health: `http://127.0.0.1:${port}/healthz`,
    watcher,
    watcherStart,
  };
}

async function stopWatched(bridge: Watched | undefined): Promise<void> {
  if (bridge === undefined) return;
  await bridge.watcher.close();
  await stopCommand(bridge.command);
}

/** `count` recent quakes (in the snapshot window) named `prefix0`, `prefix1`, … */
function quakes(prefix: string, count: number, place = 'Abuse test'): Quake[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) =>
    makeQuake({ id: `${prefix}${i}`, time: now - i * 1000, updated: now, place }),
  );
}

/** Produces `batch` to sismos; every watcher must then get each of them. */
async function produce(batch: Quake[]): Promise<void> {
  produced.push(...batch.map((q) => q.id));
  await produceQuakes(topics.SISMOS_TOPIC, batch);
}

/** The bridge's watcher got everything produced so far: each quake once, in an unbroken cursor chain. */
async function expectWatcherGotEverything({ watcher, watcherStart }: Watched): Promise<void> {
  const got = () => watcher.frames.filter((f) => f.type === 'quake').map((f) => f.quake.id);
  await watcher.next(() => got().length >= produced.length, 60_000);
  expect(got().sort()).toEqual([...produced].sort());
  expect(cursorBreaks(watcherStart, watcher.frames)).toEqual([]);
  expect(watcher.socket.readyState).toBe(WebSocket.OPEN);
}

interface Health {
  readonly clients: number;
  readonly slowClientsClosed: number;
}

/** Resolves once the bridge's /healthz satisfies `test` (polled; bounded). */
async function waitForHealth(
  bridge: Watched,
  test: (health: Health) => boolean,
  timeoutMs = 30_000,
): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now: Health = await (await fetch(bridge.health)).json();
    if (test(now)) return now;
    if (Date.now() > deadline) {
      throw new Error(
        `bridge health still ${JSON.stringify(now)} after ${timeoutMs} ms; bridge said:\n${bridge.command.stdout().slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Opens the idle clients (they ask for quakes of magnitude 10 or more, so no record is sent to
 * them) and the silent ones (a handshake, then never read again, so they never answer a ping),
 * then checks the bridge keeps every idle one through its heartbeats and drops every silent one.
 */
async function holdIdle(
  bridge: Watched,
  idle: BridgeClient[],
  silent: RawWebSocket[],
): Promise<void> {
  for (let i = 0; i < IDLE; i += 100) {
    const batch = Array.from({ length: 100 }, () => connectBridge(`${bridge.base}?minMag=10`));
    idle.push(...(await Promise.all(batch)));
  }
  const pings = new Map(idle.map((client) => [client, 0]));
  for (const client of idle) {
    client.socket.on('ping', () => pings.set(client, (pings.get(client) ?? 0) + 1));
  }
  silent.push(...(await Promise.all(Array.from({ length: 50 }, () => rawWebSocket(bridge.base)))));
  for (const { socket } of silent) socket.pause();
  await waitForHealth(bridge, (h) => h.clients === IDLE + silent.length + 1);

  await produce(quakes('idle', 300));
  // The bridge went around all of them twice, and dropped the silent ones, which did not answer.
  await waitUntil(() => [...pings.values()].every((n) => n >= 2), 'every idle client pinged twice');
  await waitForHealth(bridge, (h) => h.clients === IDLE + 1);
  expect(idle.filter((client) => client.socket.readyState !== WebSocket.OPEN)).toHaveLength(0);
  // No record passed their filter: each got its hello and snapshot and no record.
  expect(idle.filter((c) => c.frames.some((f) => 'cursor' in f && f.type !== 'snapshot'))).toEqual(
    [],
  );
  await expectWatcherGotEverything(bridge);
}

/** Resolves once `done()` holds (checked every 100 ms), or fails after a minute saying `what`. */
function waitUntil(done: () => boolean, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(check);
      reject(new Error(`not ${what} within 60 s`));
    }, 60_000);
    const check = setInterval(() => {
      if (!done()) return;
      clearInterval(check);
      clearTimeout(timer);
      resolve();
    }, 100);
  });
}

/** The bridge the abusers of the later tests meet; its heartbeat (20 s) stays out of their way. */
let bridge: Watched;
beforeAll(async () => {
  // Each connection is a file descriptor, in this process and in the bridge.
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());
  if (limit < IDLE * 2 + 500) {
    throw new Error(
      `the open-file limit is ${limit}, too low for ${IDLE} WebSockets: raise it (ulimit -n 4096) before npm test`,
    );
  }
  await Promise.all(Object.values(topics).map((topic) => createTopic(topic)));
  bridge = await startWatched({});
});
afterAll(() => stopWatched(bridge));

describe('the bridge under WebSocket abuse', () => {
  it(`holds ${IDLE} idle connections through its heartbeats, drops those that never answer a ping, and keeps relaying`, async () => {
    // A bridge of its own that pings every 3 s, so its heartbeats go around in seconds.
    const pinging = await startWatched({ BRIDGE_HEARTBEAT_SECONDS: '3' });
    const idle: BridgeClient[] = [];
    const silent: RawWebSocket[] = [];
    try {
      await holdIdle(pinging, idle, silent);
    } finally {
      await Promise.all(idle.map((client) => client.close()));
      for (const { socket } of silent) socket.destroy();
      await stopWatched(pinging);
    }
    await expectWatcherGotEverything(bridge);
  }, 180_000);

  it.each([
    ['text that is not JSON', 'hola', 'frame is not JSON: string "hola"'],
    ['a frame of another type', '{"type":"unsubscribe"}', 'expected {"type":"subscribe", ...}'],
    [
      'a subscribe frame with a bad filter',
      '{"type":"subscribe","filters":{"minMag":"x"}}',
      'minMag must be a number, got string "x"',
    ],
    [
      'a subscribe frame with a cursor that is not one',
      '{"type":"subscribe","cursor":"x"}',
      'cursor is not one: string "x"',
    ],
    [
      'a binary frame',
      Buffer.from('{"type":"subscribe"}'),
      'binary frames are not part of the protocol',
    ],
  ])('closes a client that sends %s with 4000, saying why', async (_, data, reason) => {
    const client = await connectBridge(bridge.base);
    await client.next((f) => f.type === 'snapshot');
    client.socket.send(data);
    expect(await client.closed).toEqual({ code: 4000, reason });
    await bridge.command.waitFor((out) => out.includes(`: ${reason}\n`));
  });

  it('closes a client that sends a frame over 4 KiB with 1009, and one that breaks the WebSocket protocol with 1002 or 1007', async () => {
    const cases: [string, Buffer, number][] = [
      ['a 5 KiB frame', clientFrame(1, Buffer.alloc(5 * 1024, 'x')), 1009],
      ['a 10 MB frame', clientFrame(1, Buffer.alloc(10 * 1024 * 1024, 'x')), 1009],
      ['a frame claiming 2^62 bytes', clientFrame(1, Buffer.alloc(8), { length: 2n ** 62n }), 1009],
      [
        'a message of three 2 KiB fragments',
        Buffer.concat([
          clientFrame(1, Buffer.alloc(2048, 'x'), { fin: false }),
          clientFrame(0, Buffer.alloc(2048, 'x'), { fin: false }),
          clientFrame(0, Buffer.alloc(2048, 'x')),
        ]),
        1009,
      ],
      ['text that is not UTF-8', clientFrame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
      ['an unmasked frame', clientFrame(1, Buffer.from('{}'), { mask: false }), 1002],
      ['bytes that are no frame', Buffer.from('GET / HTTP/1.1\r\n\r\n'), 1002],
    ];
    for (const [name, bytes, code] of cases) {
      const client = await rawWebSocket(bridge.base);
      client.socket.write(bytes);
      await client.closed;
      expect(closeCode(client.frames), name).toBe(code);
    }
    await produce(quakes('protocol', 50));
    await expectWatcherGotEverything(bridge);
    await waitForHealth(bridge, (h) => h.clients === 1);
  });

  it('closes each client that never reads once the cap is reached, one asking for snapshot after snapshot too, while the others get every record', async () => {
    await produce(quakes('snapshot', 300));
    await expectWatcherGotEverything(bridge);
    const reader = await connectBridge(bridge.base);
    const snapshotBytes = JSON.stringify(await reader.next((f) => f.type === 'snapshot')).length;
    await reader.close();
    expect(snapshotBytes).toBeGreaterThan(MAX_BUFFERED);

    const stalled = await Promise.all(Array.from({ length: 5 }, () => rawWebSocket(bridge.base)));
    for (const { socket } of stalled) socket.pause();
    // This one never reads either, but keeps sending subscribe frames: each asks for a snapshot.
    const greedy = await rawWebSocket(bridge.base);
    greedy.socket.pause();
    const subscribe = clientFrame(1, Buffer.from('{"type":"subscribe"}'));
    for (let i = 0; i < 400; i++) greedy.socket.write(subscribe);
    // Enough to fill each socket's kernel buffers and then the cap many times over.
    await produce(quakes('flood', 5000, 'x'.repeat(800)));

    const health = await waitForHealth(bridge, (h) => h.clients === 1, 60_000);
    const closings = [...bridge.command.stdout().matchAll(/as too slow: (\d+) bytes waiting/g)];
    expect(closings).toHaveLength(stalled.length + 1);
    // The cap is checked before every frame, so at most one frame (a snapshot at most) goes past it.
    for (const [, waiting] of closings) {
      expect(Number(waiting)).toBeLessThanOrEqual(MAX_BUFFERED + snapshotBytes + 4096);
    }
    expect(health.slowClientsClosed).toBe(stalled.length + 1);
    await expectWatcherGotEverything(bridge);
    for (const { socket } of [...stalled, greedy]) socket.destroy();
  }, 120_000);

  it('survives a request target that is no URL, and clients that reset the connection as it refuses them', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(bridge.port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
      socket.write(
        'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    expect(answer).toMatch(
      /^HTTP\/1.1 400 Bad Request\r\n[\s\S]*the request target is not a URL\n$/,
    );
    await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          new Promise<void>((resolve) => {
            const socket = connect(bridge.port, '127.0.0.1');
            socket.on('error', () => {});
            socket.on('close', () => resolve());
            socket.on('connect', () => {
              socket.write(
                `GET ${i % 2 === 0 ? '/ws' : '/elsewhere'} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
                  'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
                  'Sec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n',
              );
              socket.resetAndDestroy();
            });
          }),
      ),
    );
    expect((await fetch(bridge.health)).status).toBe(200);
    expect(bridge.command.child.exitCode).toBeNull();
    await produce(quakes('refused', 20));
    await expectWatcherGotEverything(bridge);
  });
});
