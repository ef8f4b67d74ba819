import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPARK_JOB, sparkEnv } from '../../scripts/spark-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';
import { decodeStatsMessage } from '../../src/core/stats-message.ts';
import { DAY_MS } from '../../src/core/time.ts';
import {
  DEFAULT_LATENESS_MS,
  tumblingWindows,
  type WindowStats,
  windowsOf,
} from '../../src/core/window.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import { brokers, createTopic, produce, readAll, unique } from '../helpers/kafka.ts';
import { spawnAndWait, startCommand } from '../helpers/process.ts';
import { runSpark } from '../helpers/spark.ts';
import { expectWindows, lastByKey, waitUntilHandled } from '../helpers/stats.ts';

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

  it('counts, as estadisticas_sismos does, a backlog on 3 partitions and what piled up in a downtime longer than the lateness', async () => {
    // Issue 13: with the default hour of lateness the TypeScript service lost most of a backlog.
    const sorted = [...parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes].sort(
      (a, b) => a.time - b.time,
    );
    const split = (sorted[0]?.time ?? 0) + 2 * DAY_MS;
    const source = unique('sismos');
    const sparkStats = unique('sismos-stats-spark');
    const tsStats = unique('sismos-stats-ts');
    await Promise.all([createTopic(source, 3), createTopic(sparkStats), createTopic(tsStats)]);
    const common = {
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: source,
      STATS_LATENESS_MINUTES: String(DEFAULT_LATENESS_MS / 60_000),
    };
    const group = unique('estadisticas');
    const bothEngines = async () => {
      const spark = await runSpark({
        ...common,
        STATS_TOPIC: sparkStats,
        SPARK_CHECKPOINT_DIR: checkpoints,
      });
      expect(spark.code, spark.stderr.slice(-3000)).toBe(0);
      const service = startCommand('bridge/estadisticas_sismos.ts', {
        ...common,
        STATS_TOPIC: tsStats,
        STATS_GROUP: group,
        KAFKA_SESSION_TIMEOUT_S: '6',
      });
      await waitUntilHandled(service, source);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.stdout()).toMatch(/ 0 late quakes this run\.$/m);
    };
    const send = (quakes: Quake[]) =>
      produce(
        source,
        quakes.map((q) => ({ key: q.id, value: encodeMessage(q) })),
      );

    // Two days in, both engines run; they stop, the other five days arrive, and they run again.
    await send(sorted.filter((q) => q.time < split));
    await bothEngines();
    await send(sorted.filter((q) => q.time >= split));
    await bothEngines();

    const expected = windowsOf(sorted, tumblingWindows());
    expectWindows(lastByKey(await readAll(sparkStats)), expected);
    expectWindows(lastByKey(await readAll(tsStats)), expected);
  });
});
