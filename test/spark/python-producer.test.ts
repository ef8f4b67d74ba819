import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedText } from '../../src/core/feed.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import { brokers, createTopic, unique } from '../helpers/kafka.ts';
import { type PythonProducerOptions, runPythonProductorSismos } from '../helpers/peers.ts';
import { publishedWindows, runSpark } from '../helpers/spark.ts';
import { expectWindows } from '../helpers/stats.ts';

const checkpoints = mkdtempSync(join(tmpdir(), 'sismos-spark-python-'));
let usgs: FakeUsgs;
beforeAll(async () => {
  usgs = await startFakeUsgs();
});
afterAll(async () => {
  await usgs?.close();
  rmSync(checkpoints, { recursive: true, force: true });
});

/** The forms the course's Python producer writes (test/peers/productor_sismos.py), one per slice of the feed. */
const VARIANTS: Pick<PythonProducerOptions, 'tsunami' | 'time'>[] = [
  { tsunami: 'bool', time: 'iso' },
  { tsunami: 'usgs', time: 'naive' },
  { tsunami: 'omit', time: 'epoch-ms' },
];

describe('spark_streaming_sismos reads the course Python producer (confluent-kafka)', () => {
  it('counts every quake the Python productor_sismos published, in each of its message forms, as the TypeScript core does', async () => {
    const text = fixtureText('2023-04-07_all_week.geojson');
    const feed = JSON.parse(text) as { features: unknown[] };
    const source = unique('sismos');
    const stats = unique('sismos-stats');
    await Promise.all([createTopic(source), createTopic(stats)]);
    // The week in three slices, each polled once by the Python producer writing one form.
    for (const [i, variant] of VARIANTS.entries()) {
      const path = `/slice-${i}.geojson`;
      const features = feed.features.filter((_, n) => n % VARIANTS.length === i);
      usgs.set(path, { body: JSON.stringify({ ...feed, features }) });
      const sent = await runPythonProductorSismos({
        feedUrl: usgs.url(path),
        brokers: brokers(),
        topic: source,
        ...variant,
      });
      expect(sent.code, sent.stderr).toBe(0);
    }

    const run = await runSpark({
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: source,
      STATS_TOPIC: stats,
      STATS_LATENESS_MINUTES: String(8 * 24 * 60),
      SPARK_CHECKPOINT_DIR: checkpoints,
    });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expectWindows(
      await publishedWindows(stats),
      windowsOf(parseFeedText(text).quakes, tumblingWindows()),
    );
  });
});
