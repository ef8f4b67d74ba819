import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFeedText } from '../../src/core/feed.ts';
import { toMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import { brokers, createTopic, produce, unique } from '../helpers/kafka.ts';
import { publishedWindows, runSpark } from '../helpers/spark.ts';

const checkpoints = mkdtempSync(join(tmpdir(), 'sismos-spark-'));
afterAll(() => rmSync(checkpoints, { recursive: true, force: true }));

/** What Python's datetime.utcfromtimestamp(t).isoformat() writes: no zone, microseconds unless 0. */
function pythonIsoformat(time: number): string {
  const iso = new Date(time).toISOString().slice(0, -1);
  return time % 1000 === 0 ? iso.slice(0, -4) : `${iso}000`;
}

/** The challenge-4 message of `quake` with some fields replaced (undefined: left out). */
function message(quake: Quake, fields: Record<string, unknown>): string {
  const value: Record<string, unknown> = { ...toMessage(quake), ...fields };
  for (const [name, field] of Object.entries(fields)) if (field === undefined) delete value[name];
  return JSON.stringify(value);
}

/** The forms a student's producer writes, each of them accepted by both engines. */
const ACCEPTED: ((q: Quake) => Record<string, unknown>)[] = [
  () => ({}),
  (q) => ({ tsunami: q.tsunami ? 1 : 0 }),
  () => ({ tsunami: null }),
  () => ({ tsunami: undefined }),
  (q) => ({ timestamp: pythonIsoformat(q.time) }),
  (q) => ({ timestamp: new Date(q.time).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z') }),
  (q) => ({ timestamp: q.time }),
  (q) => ({ timestamp: q.time, tsunami: q.tsunami ? 1 : 0, actualizado: undefined }),
];

/** Forms neither engine accepts. */
const REJECTED: ((q: Quake) => Record<string, unknown>)[] = [
  () => ({ tsunami: 'yes' }),
  () => ({ tsunami: 2 }),
  () => ({ tsunami: '1' }),
  (q) => ({ timestamp: String(q.time) }),
  (q) => ({ timestamp: q.time + 0.5 }),
  (q) => ({ timestamp: new Date(q.time).toISOString().slice(0, 10) }),
  (q) => ({ timestamp: new Date(q.time).toISOString().replace('T', ' ') }),
  // Physically impossible (src/core/guards.ts PLAUSIBLE): both engines leave them out too.
  () => ({ magnitud: 1e308 }),
  () => ({ profundidad_km: 1e300 }),
  () => ({ latitud: 91 }),
  () => ({ timestamp: Date.UTC(1800, 0, 1) }),
  (q) => ({ timestamp: q.time + 400 * 86_400_000 * 100 }),
];

describe('spark_streaming_sismos reads what a student producer writes', () => {
  it('counts tsunami as 0/1/null/absent, zone-less ISO times (UTC) and epoch milliseconds, and leaves out the other forms and impossible values, as the TypeScript readers do', async () => {
    const quakes = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;
    const accepted = quakes.filter((_, i) => i % 3 !== 2);
    const rejected = quakes.filter((_, i) => i % 3 === 2);
    const source = unique('sismos');
    const stats = unique('sismos-stats');
    await Promise.all([createTopic(source), createTopic(stats)]);
    await produce(source, [
      ...accepted.map((q, i) => ({
        key: q.id,
        value: message(q, ACCEPTED[i % ACCEPTED.length]?.(q) ?? {}),
      })),
      ...rejected.map((q, i) => ({
        key: q.id,
        value: message(q, REJECTED[i % REJECTED.length]?.(q) ?? {}),
      })),
    ]);

    const run = await runSpark({
      KAFKA_BROKERS: brokers(),
      SISMOS_TOPIC: source,
      STATS_TOPIC: stats,
      STATS_LATENESS_MINUTES: String(8 * 24 * 60),
      SPARK_CHECKPOINT_DIR: checkpoints,
    });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);

    const fromSpark = await publishedWindows(stats);
    const expected = windowsOf(accepted, tumblingWindows());
    expect([...fromSpark.keys()].sort()).toEqual(
      expected.map((w) => new Date(w.start).toISOString()).sort(),
    );
    for (const window of expected) {
      const spark = fromSpark.get(new Date(window.start).toISOString());
      expect(spark).toMatchObject({
        ...window,
        avgMag: window.avgMag === null ? null : expect.any(Number),
      });
      if (window.avgMag !== null) expect(spark?.avgMag).toBeCloseTo(window.avgMag, 9);
    }
  });
});
