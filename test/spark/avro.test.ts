import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvroWriter, valueSubject } from '../../bridge/lib/message-format.ts';
import { SchemaRegistry } from '../../bridge/lib/schema-registry.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage, toMessage } from '../../src/core/message.ts';
import { avroSchema } from '../../src/core/message-schema.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { frameRecord } from '../../src/core/wire-format.ts';
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
  it('reads the wire format with from_avro, version-1 and version-2 records alike, and publishes the same windows as from JSON, leaving a JSON record out', async () => {
    // The week parity.test.ts counts from JSON; lateness covers it, so nothing is late.
    const quakes = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;
    const source = unique('sismos-avro');
    const stats = unique('sismos-stats');
    await Promise.all([createTopic(source), createTopic(stats)]);
    // A third of the week written as the course's Python producers write it: schema version 1,
    // the eight fields; then our producer registers version 2 and writes the rest.
    const client = new SchemaRegistry(registry.url);
    const v1 = await client.register(valueSubject(source), JSON.stringify(avroSchema(1)));
    const v1Type = avro.Type.forSchema(avroSchema(1) as avro.Schema);
    const third = Math.floor(quakes.length / 3);
    await produce(
      source,
      quakes.slice(0, third).map((q) => ({
        key: q.id,
        value: Buffer.from(frameRecord(v1, v1Type.toBuffer(toMessage(q)))),
      })),
    );
    const writer = new AvroWriter(client, source);
    expect(await writer.register()).not.toBe(v1);
    // A JSON record on the Avro topic, in a window of its own: it must not be counted.
    const stray = {
      ...(quakes[0] as (typeof quakes)[number]),
      id: 'json',
      time: Date.UTC(2023, 3, 9),
    };
    await produce(source, [
      ...quakes.slice(third).map((q) => ({ key: q.id, value: writer.encode(q) })),
      { key: stray.id, value: encodeMessage(stray) },
    ]);

    const run = await runSpark({
      KAFKA_BROKERS: brokers(),
      MESSAGE_FORMAT: 'avro',
      SCHEMA_REGISTRY_URL: registry.url,
      SISMOS_AVRO_TOPIC: source,
      STATS_TOPIC: stats,
      STATS_LATENESS_MINUTES: String(8 * 24 * 60),
      SPARK_CHECKPOINT_DIR: checkpoints,
    });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(run.stdout).toContain(
      `spark_streaming_sismos: ${source} in Avro, schema ids ${v1}, ${await writer.register()} of ${source}-value at ${registry.url}`,
    );
    expectWindows(await publishedWindows(stats), windowsOf(quakes, tumblingWindows()));
  });

  it('ends in one line, before Spark starts, when the schema registry cannot be read', async () => {
    const source = unique('sismos-avro');
    const run = await runSpark({
      KAFKA_BROKERS: brokers(),
      MESSAGE_FORMAT: 'avro',
      SISMOS_AVRO_TOPIC: source,
      SCHEMA_REGISTRY_URL: registry.url,
      SPARK_CHECKPOINT_DIR: checkpoints,
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `spark_streaming_sismos: no schema is registered under ${source}-value at ${registry.url}: start productor_sismos --format avro (it registers its schema), or set SISMOS_AVRO_TOPIC or SCHEMA_REGISTRY_URL`,
    );
    const closed = await runSpark({
      MESSAGE_FORMAT: 'avro',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7',
    });
    expect(closed.code).toBe(1);
    expect(closed.stderr.trim()).toMatch(
      /^spark_streaming_sismos: cannot read the schemas of sismos-avro-value from the schema registry at http:\/\/127\.0\.0\.1:9\/apis\/ccompat\/v7 \(.+\); start one \(npm run registry:local\) or set SCHEMA_REGISTRY_URL$/,
    );
  });
});
