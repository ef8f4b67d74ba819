import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPARK_JOB, sparkEnv } from '../../scripts/spark-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage } from '../../src/core/message.ts';
import { decodeStatsMessage } from '../../src/core/stats-message.ts';
import { tumblingWindows, type WindowStats, windowsOf } from '../../src/core/window.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import { brokers, createTopic, produce, readAll, unique } from '../helpers/kafka.ts';
import { spawnAndWait } from '../helpers/process.ts';

const checkpoints = mkdtempSync(join(tmpdir(), 'sismos-spark-'));
afterAll(() => rmSync(checkpoints, { recursive: true, force: true }));

describe('spark_streaming_sismos (challenge 6 on Spark)', () => {
  it('publishes to sismos-stats the same 5-minute windows as the TypeScript core', async () => {
    // A real week of quakes, with no revisions; lateness covers the week so nothing is late in either engine.
    const quakes = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;
    const source = unique('sismos');
    const stats = unique('sismos-stats');
    await Promise.all([createTopic(source), createTopic(stats)]);
    await produce(
      source,
      quakes.map((q) => ({ key: q.id, value: encodeMessage(q) })),
    );

    const run = await spawnAndWait(
      sparkEnv().PYSPARK_PYTHON as string,
      [SPARK_JOB, '--available-now'],
      {
        ...sparkEnv(),
        KAFKA_BROKERS: brokers(),
        SISMOS_TOPIC: source,
        STATS_TOPIC: stats,
        STATS_LATENESS_MINUTES: String(8 * 24 * 60),
        SPARK_CHECKPOINT_DIR: checkpoints,
      },
    );
    expect(run.code, run.stderr.slice(-3000)).toBe(0);

    // Spark writes updates; the last record of each key is the window's final figures.
    const fromSpark = new Map<string, WindowStats>();
    for (const record of await readAll(stats)) {
      expect(record.key).toBe(new Date(decodeStatsMessage(record.value ?? '').start).toISOString());
      fromSpark.set(record.key ?? '', decodeStatsMessage(record.value ?? ''));
    }
    const expected = windowsOf(quakes, tumblingWindows());
    expect(fromSpark.size).toBe(expected.length);
    for (const window of expected) {
      const spark = fromSpark.get(new Date(window.start).toISOString());
      expect(spark).toMatchObject({
        ...window,
        avgMag: window.avgMag === null ? null : expect.any(Number),
      });
      // Both engines sum doubles, but in different orders: the averages agree to rounding.
      if (window.avgMag !== null) expect(spark?.avgMag).toBeCloseTo(window.avgMag, 9);
    }
    // The console sink prints the window table, as the course's query does.
    expect(run.stdout).toMatch(
      /\|inicio\s+\|fin\s+\|cantidad\|con_magnitud\|magnitud_promedio\s*\|magnitud_maxima\|/,
    );
  });
});
