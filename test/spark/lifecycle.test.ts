import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import { brokers, createTopic, endOffsets, produce, testKafka, unique } from '../helpers/kafka.ts';
import { publishedWindows, runSpark, startSpark } from '../helpers/spark.ts';

const checkpoints = mkdtempSync(join(tmpdir(), 'sismos-spark-'));
afterAll(() => rmSync(checkpoints, { recursive: true, force: true }));

const quakes = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;
const WEEK_LATENESS = String(8 * 24 * 60);

const produceQuakes = (topic: string, some: readonly Quake[]) =>
  produce(
    topic,
    some.map((q) => ({ key: q.id, value: encodeMessage(q) })),
  );

/** The window counts of `some`, by window start (ISO), as the TypeScript core computes them. */
const countsOf = (some: readonly Quake[]) =>
  Object.fromEntries(
    windowsOf(some, tumblingWindows()).map((w) => [new Date(w.start).toISOString(), w.count]),
  );

/** Lines of stderr that are Python or Py4J tracebacks, or Py4J's own error reports. */
const tracebacks = (stderr: string) =>
  stderr.split('\n').filter((line) => /Traceback|py4j|Py4J/.test(line));

describe('spark_streaming_sismos, run and stopped as a person does', () => {
  it('starts over with one line, instead of failing, when its topic was deleted and created again', async () => {
    const source = unique('sismos');
    const stats = unique('sismos-stats');
    const env = {
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: source,
      STATS_TOPIC: stats,
      STATS_LATENESS_MINUTES: WEEK_LATENESS,
      SPARK_CHECKPOINT_DIR: checkpoints,
    };
    await Promise.all([createTopic(source), createTopic(stats)]);
    const before = quakes.slice(0, 400);
    await produceQuakes(source, before);
    const first = await runSpark(env);
    expect(first.code, first.stderr.slice(-3000)).toBe(0);

    // As `kafka:local --fresh` or a deleted topic leaves it: same name, fewer records, new offsets.
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [source] });
    await admin.disconnect();
    await createTopic(source);
    const after = quakes.slice(400, 500);
    await produceQuakes(source, after);
    const published = await endOffsets(stats);

    const second = await runSpark(env);
    expect(second.code, second.stderr.slice(-3000)).toBe(0);
    expect(second.stdout).toMatch(
      new RegExp(
        `^spark_streaming_sismos: ${source} was created again since the last run \\(topic id \\S+\\); starting from its beginning, with a new checkpoint in ${checkpoints}/${source}/\\S+/${stats}$`,
        'm',
      ),
    );
    const windows = await publishedWindows(stats, published);
    expect(
      Object.fromEntries([...windows].map(([start, window]) => [start, window.count])),
    ).toEqual(countsOf(after));
  });

  it('stops on Ctrl+C with one line and exit code 0, without a traceback, and the next run counts nothing twice', async () => {
    const source = unique('sismos');
    const stats = unique('sismos-stats');
    const env = {
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: source,
      STATS_TOPIC: stats,
      STATS_LATENESS_MINUTES: WEEK_LATENESS,
      SPARK_CHECKPOINT_DIR: checkpoints,
    };
    await Promise.all([createTopic(source), createTopic(stats)]);
    await produceQuakes(source, quakes.slice(0, 200));

    const job = startSpark(env);
    await job.waitFor(/^Batch: 0$/m);
    job.signal('SIGINT');

    expect(await job.exited).toBe(0);
    expect(tracebacks(job.stderr())).toEqual([]);
    expect(job.stdout()).toMatch(
      /^spark_streaming_sismos: stopped; the next run resumes from the checkpoint in \S+$/m,
    );
    // What it published before the stop is not counted again by the next run.
    const published = await endOffsets(stats);
    await produceQuakes(source, quakes.slice(200, 260));
    const next = await runSpark(env);
    expect(next.code, next.stderr.slice(-3000)).toBe(0);
    const updated = await publishedWindows(stats, published);
    const all = countsOf(quakes.slice(0, 260));
    for (const [start, window] of updated) expect(window.count, start).toBe(all[start]);
    expect(updated.size).toBeGreaterThan(0);
  });

  it('fails with one line naming the brokers when none answers, instead of retrying forever', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const run = await runSpark({
      KAFKA_BROKERS: nowhere,
      SPARK_CHECKPOINT_DIR: checkpoints,
    });

    expect(run.code).toBe(1);
    expect(tracebacks(run.stderr)).toEqual([]);
    expect(run.stderr.split('\n').filter((line) => line.includes(nowhere))).toEqual([
      `spark_streaming_sismos: cannot reach Kafka at ${nowhere} within 15 s; start a broker (docker compose up -d kafka, or npm run kafka:local) or set KAFKA_BROKERS`,
    ]);
  }, 120_000);
});
