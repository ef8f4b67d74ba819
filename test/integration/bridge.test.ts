import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import type { Quake } from '../../src/core/quake.ts';
import { recentQuakes } from '../helpers/fixtures.ts';
import { brokers, createTopic, produce, produceQuakes, unique } from '../helpers/kafka.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { connectBridge, type Frame, rawWebSocket } from '../helpers/ws-client.ts';

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
  await produceQuakes(topics.SISMOS_TOPIC, recent.slice(0, 5));
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

const ids = (frames: Frame[], type = 'quake') =>
  frames.filter((f) => f.type === type).map((f) => f.quake.id);

describe('bridge in Kafka mode', () => {
  it('sends a snapshot of what is in the topic, then each record produced to sismos', async () => {
    const client = await connectBridge(base);
    const snapshot = await client.next((f) => f.type === 'snapshot');
    expect(client.frames[0]).toMatchObject({ type: 'hello', version: 1, mode: 'kafka' });
    expect(snapshot.reset).toBeNull();
    expect(snapshot.quakes.map((q: { id: string }) => q.id).sort()).toEqual(
      recent
        .slice(0, 5)
        .map((q) => q.id)
        .sort(),
    );

    await produceQuakes(topics.SISMOS_TOPIC, [recent[5] as Quake]);
    const frame = await client.next((f) => f.type === 'quake');
    expect(frame.quake).toMatchObject({
      id: recent[5]?.id,
      magnitud: recent[5]?.mag,
      lugar: recent[5]?.place,
    });
    expect(frame.cursor).toMatch(/^k-.+;/);
    await client.close();
  });

  it('gives a client that reconnects with its cursor exactly the records produced meanwhile', async () => {
    const first = await connectBridge(base);
    await first.next((f) => f.type === 'snapshot');
    await produceQuakes(topics.SISMOS_TOPIC, recent.slice(10, 20));
    // Partitions interleave: wait for all ten before taking the cursor.
    await first.next(() => recent.slice(10, 20).every((q) => ids(first.frames).includes(q.id)));
    const cursor = first.lastCursor() as string;
    await first.close();

    const missed = recent.slice(20, 60);
    await produceQuakes(topics.SISMOS_TOPIC, missed);
    const again = await connectBridge(`${base}?cursor=${encodeURIComponent(cursor)}`);
    await again.next((f) => f.type === 'quake' && ids(again.frames).length === missed.length);
    expect(again.frames.some((f) => f.type === 'snapshot')).toBe(false);
    expect(ids(again.frames).sort()).toEqual(missed.map((q) => q.id).sort());
    await again.close();
  });

  it('sends a fresh snapshot, saying why, for a cursor it cannot resume', async () => {
    const client = await connectBridge(
      `${base}?cursor=${encodeURIComponent('k-other;sismos:0=1')}`,
    );
    const snapshot = await client.next((f) => f.type === 'snapshot');
    expect(snapshot.reset).toBe('the cursor belongs to another stream');
    await client.close();
  });

  it('applies each client’s magnitude and area filters on the server', async () => {
    const strong = await connectBridge(`${base}?minMag=4.5`);
    const box = await connectBridge(`${base}?bbox=-125,32,-114,42`); // California
    await Promise.all([
      strong.next((f) => f.type === 'snapshot'),
      box.next((f) => f.type === 'snapshot'),
    ]);
    const batch = recent.slice(100, 400);
    await produceQuakes(topics.SISMOS_TOPIC, batch);
    const last = batch.at(-1) as Quake;
    // A marker record passing both filters tells when the batch has been relayed.
    const marker = { ...last, id: 'marker', mag: 6, lat: 36, lon: -120 };
    await produceQuakes(topics.SISMOS_TOPIC, [marker]);
    await Promise.all([
      strong.next((f) => f.quake?.id === 'marker'),
      box.next((f) => f.quake?.id === 'marker'),
    ]);

    const expectStrong = batch.filter((q) => (q.mag ?? -9) >= 4.5).map((q) => q.id);
    const expectBox = batch
      .filter((q) => q.lon >= -125 && q.lon <= -114 && q.lat >= 32 && q.lat <= 42)
      .map((q) => q.id);
    expect(expectStrong.length).toBeGreaterThan(0);
    expect(expectBox.length).toBeGreaterThan(0);
    expect(
      ids(strong.frames)
        .filter((id) => id !== 'marker')
        .sort(),
    ).toEqual(expectStrong.sort());
    expect(
      ids(box.frames)
        .filter((id) => id !== 'marker')
        .sort(),
    ).toEqual(expectBox.sort());
    await Promise.all([strong.close(), box.close()]);
  });

  it('relays alerts and windows from their topics', async () => {
    const client = await connectBridge(base);
    await client.next((f) => f.type === 'snapshot');
    await produceQuakes(topics.ALERTAS_TOPIC, [{ ...(recent[7] as Quake), mag: 5.5 }]);
    await produce(topics.STATS_TOPIC, [
      {
        key: '2024-01-15T10:05:00.000Z',
        value: JSON.stringify({
          inicio: new Date(NOW - 600_000).toISOString(),
          fin: new Date(NOW - 300_000).toISOString(),
          cantidad: 2,
          con_magnitud: 1,
          magnitud_promedio: 4.2,
          magnitud_maxima: 4.2,
        }),
      },
    ]);
    const alert = await client.next((f) => f.type === 'alert');
    const window = await client.next((f) => f.type === 'stats');
    expect(alert.quake).toMatchObject({ id: recent[7]?.id, magnitud: 5.5 });
    expect(window.window).toMatchObject({ cantidad: 2, magnitud_promedio: 4.2 });
    await client.close();
  });

  it('skips a poison record and keeps relaying', async () => {
    const client = await connectBridge(base);
    await client.next((f) => f.type === 'snapshot');
    await produce(topics.SISMOS_TOPIC, [
      { key: 'x', value: 'not json' },
      { key: 'y', value: null },
    ]);
    await produceQuakes(topics.SISMOS_TOPIC, [recent[500] as Quake]);
    await client.next((f) => f.quake?.id === recent[500]?.id);
    await client.close();
  });

  it('refuses a WebSocket from a page on another site', async () => {
    await expect(connectBridge(base, 'https://evil.example')).rejects.toThrow(/403/);
    await bridge.waitFor(/refused a WebSocket \(HTTP 403\): origin https:\/\/evil\.example /);
  });

  it('closes a client that never reads, holding at most the cap for it, while the others get every record', async () => {
    const reader = await connectBridge(base);
    await reader.next((f) => f.type === 'snapshot');
    // A raw WebSocket handshake, then the socket is never read again.
    const { socket: stalled } = await rawWebSocket(base);
    stalled.pause();
    // Big enough to fill the socket buffers and then the 64 KiB cap several times over.
    const flood = Array.from({ length: 4000 }, (_, i) => ({
      ...(recent[i % recent.length] as Quake),
      id: `flood${i}`,
      place: 'x'.repeat(800),
    }));
    await produceQuakes(topics.SISMOS_TOPIC, flood);
    await bridge.waitFor(/closing .* as too slow: (\d+) bytes waiting \(limit 65536\)/, 60_000);
    const waiting = Number(/as too slow: (\d+) bytes waiting/.exec(bridge.stdout())?.[1]);
    // The cap is checked before every frame, so at most one frame (~1 KiB here) goes past it.
    expect(waiting).toBeLessThan(65_536 + 4096);
    await reader.next((f) => f.quake?.id === 'flood3999', 60_000);
    // The reader may have been paused by the burst too, but it caught up: every record, once.
    const flooded = ids(reader.frames).filter((id) => id.startsWith('flood'));
    expect(flooded).toHaveLength(4000);
    expect(new Set(flooded).size).toBe(4000);
    expect(bridge.stdout().match(/as too slow/g)).toHaveLength(1);
    stalled.destroy();
    await reader.close();
  });
});
