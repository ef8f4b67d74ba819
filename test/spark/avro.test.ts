import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvroWriter } from '../../bridge/lib/message-format.ts';
import { SchemaRegistry } from '../../bridge/lib/schema-registry.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage } from '../../src/core/message.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import { brokers, createTopic, produce, unique } from '../helpers/kafka.ts';
import { testRegistry } from '../helpers/registry.ts';
import { publishedWindows, runSpark } from '../helpers/spark.ts';
import { expectWindows } from '../helpers/stats.ts';

const checkpoints = mkdtempSync(join(tmpdir(), 'sismos-spark-avro-'));
let registry: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  registry = await testRegistry();
}, 300_000);
afterAll(async () => {
  await registry?.stop();
  rmSync(checkpoints, { recursive: true, force: true });
});

describe('spark_streaming_sismos on the Avro topic (MESSAGE_FORMAT=avro)', () => {
  it('reads the wire format with from_avro and publishes the same windows as from JSON, leaving a JSON record out', async () => {
    // The week parity.test.ts counts from JSON; lateness covers it, so nothing is late.
    const quakes = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;
    const source = unique('sismos-avro');
    const stats = unique('sismos-stats');
    await Promise.all([createTopic(source), createTopic(stats)]);
    const writer = new AvroWriter(new SchemaRegistry(registry.url), source);
    await writer.register();
    // A JSON record on the Avro topic, in a window of its own: it must not be counted.
    const stray = {
      ...(quakes[0] as (typeof quakes)[number]),
      id: 'json',
      time: Date.UTC(2023, 3, 9),
    };
    await produce(source, [
      ...quakes.map((q) => ({ key: q.id, value: writer.encode(q) })),
      { key: stray.id, value: encodeMessage(stray) },
    ]);

    const run = await runSpark({
      KAFKA_BROKERS: brokers(),
      MESSAGE_FORMAT: 'avro',
      SISMOS_AVRO_TOPIC: source,
      STATS_TOPIC: stats,
      STATS_LATENESS_MINUTES: String(8 * 24 * 60),
      SPARK_CHECKPOINT_DIR: checkpoints,
    });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expectWindows(await publishedWindows(stats), windowsOf(quakes, tumblingWindows()));
  });
});
