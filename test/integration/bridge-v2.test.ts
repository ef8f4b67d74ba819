/**
 * Protocol version 2 (docs/protocol.md, "Versions") on the real broker: batch frames carry the same
 * records as version 1's frames, resume by cursor is gap-free, filters apply, and a client that
 * does not read is still closed with 4008.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import type { Quake } from '../../src/core/quake.ts';
import { recentQuakes } from '../helpers/fixtures.ts';
import { brokers, createTopic, produce, produceQuakes, unique } from '../helpers/kafka.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import {
  type BridgeClient,
  connectBridge,
  type Frame,
  rawWebSocket,
} from '../helpers/ws-client.ts';

const NOW = Date.now();
/** Real quakes moved to the last hours, so they fall in the bridge's snapshot window. */
const recent = recentQuakes(NOW);

const topics = {
  SISMOS_TOPIC: unique('sismos'),
  ALERTAS_TOPIC: unique('alertas'),
  STATS_TOPIC: unique('stats'),
};
let bridge: Command;
let base: string;

beforeAll(async () => {
  await Promise.all(Object.values(topics).map((topic) => createTopic(topic)));
  const port = await freePort();
  base = `ws://127.0.0.1:${port}/ws`;
  bridge = startCommand('bridge/server.ts', {
    ...topics,
    KAFKA_BROKERS: brokers(),
    BRIDGE_PORT: String(port),
    BRIDGE_GROUP: unique('bridge'),
    BRIDGE_MAX_BUFFERED_KB: '64',
    BRIDGE_STALL_SECONDS: '1',
  });
  await bridge.waitFor(/Sismos bridge \(Kafka/);
});
afterAll(async () => {
  bridge?.child.kill('SIGTERM');
  expect(await bridge?.exited).toBe(0);
});

/** Each record a client got after its snapshot, as "type id" ("stats <inicio>" for windows), in order. */
function records(frames: readonly Frame[]): string[] {
  const items = frames.flatMap((frame) => (frame.type === 'batch' ? frame.items : [frame]));
  return items.flatMap((item: Frame) => {
    if (item.type === 'quake' || item.type === 'alert') return [`${item.type} ${item.quake.id}`];
    if (item.type === 'stats') return [`stats ${item.window.inicio}`];
    return [];
  });
}

/** Waits until the client has every one of `expected` (as records() writes them). */
async function waitForAll(client: BridgeClient, expected: readonly string[]): Promise<void> {
  await client.next(() => {
    const got = new Set(records(client.frames));
    return expected.every((record) => got.has(record));
  }, 60_000);
}

function windowMessage(minutesAgo: number, count: number): string {
  return JSON.stringify({
    inicio: new Date(NOW - minutesAgo * 60_000).toISOString(),
    fin: new Date(NOW - (minutesAgo - 5) * 60_000).toISOString(),
    cantidad: count,
    con_magnitud: count,
    magnitud_promedio: 4.2,
    magnitud_maxima: 4.2,
  });
}

describe('bridge protocol version 2', () => {
  it('gives a version-2 client the records a version-1 client on the same bridge gets, in the same order, in fewer frames with the same last cursor', async () => {
    const v1 = await connectBridge(base);
    const v2 = await connectBridge(`${base}?v=2`);
    await Promise.all([v1, v2].map((c) => c.next((f) => f.type === 'snapshot')));
    expect(v1.frames[0]).toMatchObject({ type: 'hello', version: 1 });
    expect(v2.frames[0]).toMatchObject({ type: 'hello', version: 2 });

    const quakes = recent.slice(0, 600);
    await produceQuakes(topics.SISMOS_TOPIC, quakes);
    await produceQuakes(topics.ALERTAS_TOPIC, [{ ...(recent[3] as Quake), mag: 5.5 }]);
    await produce(topics.STATS_TOPIC, [
      { key: 'a', value: windowMessage(10, 2) },
      { key: 'b', value: windowMessage(5, 3) },
    ]);
    const expected = [
      ...quakes.map((q) => `quake ${q.id}`),
      `alert ${recent[3]?.id}`,
      `stats ${new Date(NOW - 10 * 60_000).toISOString()}`,
      `stats ${new Date(NOW - 5 * 60_000).toISOString()}`,
    ];
    await Promise.all([waitForAll(v1, expected), waitForAll(v2, expected)]);
    expect(records(v2.frames)).toEqual(records(v1.frames));
    expect(records(v2.frames)).toHaveLength(expected.length);
    expect(v2.lastCursor()).toBe(v1.lastCursor());
    const batches = v2.frames.filter((f) => f.type === 'batch');
    expect(batches.length).toBeLessThan(quakes.length / 10);
    expect(v2.frames.some((f) => ['quake', 'alert', 'stats'].includes(f.type))).toBe(false);
    await Promise.all([v1.close(), v2.close()]);
  });

  it('resumes a version-2 client cut off mid-stream from the cursor of its last batch frame, with no gap and no duplicate', async () => {
    const first = await connectBridge(`${base}?v=2`);
    await first.next((f) => f.type === 'snapshot');
    const stream = recent.slice(0, 2000).map((q, i) => ({ ...q, id: `cut${i}` }));
    const producing = (async () => {
      for (let i = 0; i < stream.length; i += 100)
        await produceQuakes(topics.SISMOS_TOPIC, stream.slice(i, i + 100));
    })();
    // Cut off once some of the stream has arrived, while the rest is still being produced.
    await first.next(() => records(first.frames).length >= 300, 60_000);
    await first.close();
    const before = records(first.frames);
    const cursor = first.lastCursor() as string;
    expect(first.frames.at(-1)?.type).toBe('batch');
    await producing;

    const again = await connectBridge(`${base}?v=2&cursor=${encodeURIComponent(cursor)}`);
    await waitForAll(
      again,
      stream.map((q) => `quake ${q.id}`).filter((record) => !before.includes(record)),
    );
    expect(again.frames.map((f) => f.type)).not.toContain('snapshot');
    const all = [...before, ...records(again.frames)];
    expect(all).toHaveLength(stream.length);
    expect(all.sort()).toEqual(stream.map((q) => `quake ${q.id}`).sort());
    expect(before.length).toBeLessThan(stream.length);
    await again.close();
  });

  it('applies the filters in batch frames, as version 1 does', async () => {
    const query = 'minMag=4.5&bbox=-180,-60,0,70';
    const v1 = await connectBridge(`${base}?${query}`);
    const v2 = await connectBridge(`${base}?v=2&${query}`);
    await Promise.all([v1, v2].map((c) => c.next((f) => f.type === 'snapshot')));
    const batch = recent.slice(1000, 1800).map((q) => ({ ...q, id: `f${q.id}` }));
    await produceQuakes(topics.SISMOS_TOPIC, batch);
    const passing = batch
      .filter((q) => (q.mag ?? -9) >= 4.5 && q.lon <= 0 && q.lat >= -60 && q.lat <= 70)
      .map((q) => `quake ${q.id}`);
    expect(passing.length).toBeGreaterThan(0);
    // Partitions interleave: once every passing record came, so had any other the filters let by.
    await Promise.all([v1, v2].map((c) => waitForAll(c, passing)));
    const got = (c: BridgeClient) => records(c.frames).filter((r) => r.startsWith('quake f'));
    expect(got(v2).sort()).toEqual(passing.sort());
    expect(got(v2)).toEqual(got(v1));
    await Promise.all([v1.close(), v2.close()]);
  });

  it('closes a version-2 client that never reads with 4008, while a version-2 reader gets every record', async () => {
    const reader = await connectBridge(`${base}?v=2`);
    await reader.next((f) => f.type === 'snapshot');
    const { socket: stalled } = await rawWebSocket(`${base}?v=2`);
    stalled.pause();
    const before = (bridge.stdout().match(/as too slow/g) ?? []).length;
    const flood = Array.from({ length: 4000 }, (_, i) => ({
      ...(recent[i % recent.length] as Quake),
      id: `flood2-${i}`,
      place: 'x'.repeat(800),
    }));
    await produceQuakes(topics.SISMOS_TOPIC, flood);
    await bridge.waitFor(/closing .* as too slow: (\d+) bytes waiting \(limit 65536\)/, 60_000);
    await waitForAll(reader, ['quake flood2-3999']);
    const flooded = records(reader.frames).filter((r) => r.startsWith('quake flood2-'));
    expect(flooded).toHaveLength(4000);
    expect(new Set(flooded).size).toBe(4000);
    expect((bridge.stdout().match(/as too slow/g) ?? []).length).toBe(before + 1);
    stalled.destroy();
    await reader.close();
  });
});
