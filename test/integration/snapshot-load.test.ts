/**
 * The bridge under a crowd (issue 11): 100 dashboards connecting at once to a 20,000-quake
 * snapshot, then 200 connections that never read. The snapshot is built once and its bytes shared,
 * so the bridge's memory stays within a bound (RSS under 3x what it holds idle with that snapshot),
 * /healthz answers during the load, the readers all get the whole snapshot, those that never read
 * are closed at the memory cap (4008), and a well-behaved client gets every record once, in order.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RawFeed, syntheticFeed } from '../../bench/lib/synthetic-feed.ts';
import { freePort } from '../../scripts/kafka-local.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { fixtureJson, recentFeatures } from '../helpers/fixtures.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import {
  type BridgeClient,
  connectBridge,
  cursorBreaks,
  type RawWebSocket,
  rawWebSocket,
} from '../helpers/ws-client.ts';

const QUAKES = 20_000;
const READERS = 100;
const SILENT = 200;
const FEED = '2016-11-03_all_day.geojson';
/** What the bridge may hold under the load, against what it holds idle with its snapshot. */
const RSS_FACTOR = 3;

// The recorded day, moved to end a minute ago, made into 20,000 quakes.
const source: RawFeed = {
  ...fixtureJson(FEED),
  metadata: { ...fixtureJson(FEED).metadata, generated: Date.now() },
  features: recentFeatures(FEED),
};
const feed = syntheticFeed(source, QUAKES, 11);
/** Quakes added to the feed during the load: the watcher must get each, once, in order. */
const added: RawFeed['features'] = [];

let usgs: FakeUsgs;
let bridge: Command;
let base: string;
let health: string;

beforeAll(async () => {
  usgs = await startFakeUsgs();
  usgs.set('/day.geojson', { body: JSON.stringify(feed) });
  const port = await freePort();
  base = `ws://127.0.0.1:${port}/ws`;
  health = `http://127.0.0.1:${port}/healthz`;
  bridge = startCommand('bridge/server.ts', {
    KAFKA_BROKERS: '',
    BRIDGE_PORT: String(port),
    BRIDGE_FEED_URL: usgs.url('/day.geojson'),
    BRIDGE_POLL_S: '0.5',
    // The synthetic day reaches a little over 24 hours back.
    BRIDGE_WINDOW_HOURS: '48',
    BRIDGE_STALL_SECONDS: '3',
    // Every client of this test comes from loopback.
    BRIDGE_MAX_CONNECTIONS_PER_ADDRESS: String(READERS + SILENT + 50),
    BRIDGE_MAX_CONNECTIONS: String(READERS + SILENT + 50),
  });
  await bridge.waitFor(new RegExp(`: ${QUAKES} new, `), 60_000);
});
afterAll(async () => {
  bridge?.child.kill('SIGINT');
  await bridge?.exited;
  await usgs?.close();
});

/** The bridge process's resident memory, in bytes (VmRSS of /proc/<pid>/status). */
function rss(): number {
  const status = readFileSync(`/proc/${bridge.child.pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
}

/** A new quake, now, in the feed the bridge polls. */
function addQuake(): void {
  const template = feed.features[0] as RawFeed['features'][number];
  added.push({
    ...template,
    id: `load${added.length}`,
    properties: { ...template.properties, time: Date.now(), updated: Date.now() },
  });
  usgs.set('/day.geojson', {
    body: JSON.stringify({ ...feed, features: [...feed.features, ...added] }),
  });
}

interface Health {
  readonly status: string;
  readonly clients: number;
  readonly slowClientsClosed: number;
}

async function healthNow(): Promise<Health> {
  const response = await fetch(health);
  expect(response.status).toBe(200);
  return (await response.json()) as Health;
}

/** A client that reads as fast as it can and keeps only the start of each frame. */
async function reader(): Promise<RawWebSocket> {
  return rawWebSocket(base, { keep: 100 });
}

const isSnapshot = (payload: Buffer) => payload.toString().startsWith('{"type":"snapshot"');

describe('the bridge under a crowd', () => {
  it(`serves ${READERS} clients connecting at once and ${SILENT} that never read a ${QUAKES}-quake snapshot, within ${RSS_FACTOR}x its idle memory`, async () => {
    const watcher: BridgeClient = await connectBridge(base);
    const start = await watcher.next((f) => f.type === 'snapshot', 60_000);
    expect(start.quakes).toHaveLength(QUAKES);
    const idle = rss();
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rss());
    }, 50);
    try {
      // 100 at once, and /healthz asked meanwhile.
      addQuake();
      const readers = Array.from({ length: READERS }, reader);
      const answered = await healthNow();
      expect(answered.status).toBe('ok');
      const crowd = await Promise.all(readers);
      const snapshots = await Promise.all(
        crowd.map((client) => client.next((f) => isSnapshot(f.payload), 60_000)),
      );
      // Each read a whole snapshot of every quake (the reader passes a frame on once it is all in).
      for (const frame of snapshots) expect(frame?.length).toBeGreaterThan(QUAKES * 200);
      expect(bridge.child.exitCode).toBeNull();

      // 200 that never read, while records keep coming.
      const silent = await Promise.all(
        Array.from({ length: SILENT }, async () => {
          const client = await rawWebSocket(base, { keep: 64 });
          client.socket.pause();
          return client;
        }),
      );
      addQuake();
      expect((await healthNow()).clients).toBeGreaterThan(READERS);
      // Each is closed at the cap once its socket is full; the readers and the watcher stay.
      let now = await healthNow();
      while (now.clients > READERS + 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        now = await healthNow();
      }
      expect(now.slowClientsClosed).toBe(SILENT);
      addQuake();

      // Every quake added reached the watcher once, in order, and every reader too.
      const ids = added.map((quake) => quake.id);
      const got = () => watcher.frames.filter((f) => f.type === 'quake').map((f) => f.quake.id);
      await watcher.next(() => got().length >= ids.length, 30_000);
      expect(got()).toEqual(ids);
      expect(cursorBreaks(start.cursor, watcher.frames)).toEqual([]);
      expect(watcher.socket.readyState).toBe(WebSocket.OPEN);
      const last = `{"type":"quake","quake":{"id":"${ids.at(-1)}"`;
      for (const client of crowd) {
        expect(await client.next((f) => f.payload.toString().startsWith(last))).not.toBeNull();
      }
      expect(bridge.child.exitCode).toBeNull();
      for (const client of [...crowd, ...silent]) client.socket.destroy();
      await watcher.close();
    } finally {
      clearInterval(sampler);
    }
    console.log(
      `bridge RSS: idle ${Math.round(idle / 2 ** 20)} MiB, peak ${Math.round(peak / 2 ** 20)} MiB`,
    );
    expect(peak).toBeLessThan(RSS_FACTOR * idle);
  }, 90_000);
});
