import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';
import { DEFAULT_LATENESS_MS, tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { decodeCheckpoint } from '../../src/core/window-checkpoint.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import {
  brokers,
  committed,
  createTopic,
  endOffsets,
  produce,
  readAll,
  unique,
} from '../helpers/kafka.ts';
import { type Command, runCommand, startCommand } from '../helpers/process.ts';
import { makeQuake } from '../helpers/quake.ts';
import { expectWindows, handledUpTo, lastByKey, waitUntilHandled } from '../helpers/stats.ts';

const SERVICE = 'bridge/estadisticas_sismos.ts';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const WEEK = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;

/** Oldest first, as a producer polling the feed over the week would have sent them. */
function byTime(quakes: readonly Quake[]): Quake[] {
  return [...quakes].sort((x, y) => x.time - y.time);
}

/** A stats service of its own: source and stats topics and a group nobody else uses. */
async function setup(latenessMinutes: number, partitions = 3) {
  const topic = unique('sismos');
  const stats = unique('sismos-stats');
  await Promise.all([createTopic(topic, partitions), createTopic(stats)]);
  const env = {
    KAFKA_BROKERS: brokers(),
    SISMOS_TOPIC: topic,
    STATS_TOPIC: stats,
    STATS_GROUP: unique('estadisticas'),
    STATS_LATENESS_MINUTES: String(latenessMinutes),
    KAFKA_SESSION_TIMEOUT_S: '6',
  };
  return { topic, stats, env, start: () => startCommand(SERVICE, env) };
}

function message(quake: Quake, partition?: number) {
  return {
    key: quake.id,
    value: encodeMessage(quake),
    ...(partition === undefined ? {} : { partition }),
  };
}

async function stop(service: Command): Promise<void> {
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  expect(service.stdout()).toMatch(
    /^SIGTERM: left group \S+, offsets committed; \d+ window updates? published, \d+ late quakes? this run\.$/m,
  );
}

describe('estadisticas_sismos (challenge 6)', () => {
  it('publishes, for a real week on 3 partitions, the windows the pure function computes', async () => {
    const { topic, stats, start } = await setup(8 * 24 * 60);
    // The feed order: newest first. A lateness of 8 days covers the week, so nothing is late.
    await produce(
      topic,
      WEEK.map((q) => message(q)),
    );
    const service = start();
    await waitUntilHandled(service, topic);
    await stop(service);

    expectWindows(lastByKey(await readAll(stats)), windowsOf(WEEK, tumblingWindows()));
    expect(service.stdout()).toMatch(/^group \S+ has no checkpoint yet: counting /m);
    // The console shows the windows as Spark's console sink does.
    expect(service.stdout()).toMatch(
      /^\|inicio {18}\|fin {21}\|cantidad\|con_magnitud\|magnitud_promedio\s*\|magnitud_maxima\s*\|$/m,
    );
    expect(service.stdout()).toMatch(/^\|2023-04-07T17:20:00\.000Z\|2023-04-07T17:25:00\.000Z\|/m);
    expect(service.stdout()).not.toMatch(/^late /m);
    expect(service.stdout()).toMatch(/ 0 late quakes this run\.$/m);
    expect(service.stderr()).toBe('');
  });

  it('counts a real week already in 3 partitions whole with the default lateness, whichever partition it reads first', async () => {
    // Issue 13: the first partition's batch moved the watermark past the other partitions' records.
    const { topic, stats, start } = await setup(DEFAULT_LATENESS_MS / MIN);
    await produce(
      topic,
      byTime(WEEK).map((q) => message(q)),
    );
    const service = start();
    await waitUntilHandled(service, topic);
    await stop(service);

    expect(service.stdout()).not.toMatch(/^late /m);
    expect(service.stdout()).toMatch(/ 0 late quakes this run\.$/m);
    expectWindows(lastByKey(await readAll(stats)), windowsOf(WEEK, tumblingWindows()));
  });

  it('counts whole what piled up in 3 partitions while it was stopped for longer than the lateness', async () => {
    const { topic, stats, start } = await setup(DEFAULT_LATENESS_MS / MIN);
    const sorted = byTime(WEEK);
    // The first two days, then a downtime in which the other five arrive.
    const split = (sorted[0]?.time ?? 0) + 2 * DAY;
    await produce(
      topic,
      sorted.filter((q) => q.time < split).map((q) => message(q)),
    );
    const firstRun = start();
    await waitUntilHandled(firstRun, topic);
    await stop(firstRun);
    await produce(
      topic,
      sorted.filter((q) => q.time >= split).map((q) => message(q)),
    );
    const secondRun = start();
    await waitUntilHandled(secondRun, topic);
    await stop(secondRun);

    for (const run of [firstRun, secondRun]) {
      expect(run.stdout()).not.toMatch(/^late /m);
      expect(run.stdout()).toMatch(/ 0 late quakes this run\.$/m);
    }
    expect(secondRun.stdout()).toMatch(/^group \S+ resumes from its checkpoint: /m);
    expectWindows(lastByKey(await readAll(stats)), windowsOf(WEEK, tumblingWindows()));
  });

  it('reports a late quake and leaves it out, replaces a revision, and summarises the poison records it skips', async () => {
    const { topic, stats, env, start } = await setup(10, 1);
    const at = (h: number, m: number) => Date.UTC(2024, 0, 15, h, m);
    const q = (id: string, time: number, mag: number | null) =>
      makeQuake({ id, time, updated: time, mag });
    const a = q('a', at(10, 1), 4.0);
    const b = q('b', at(10, 3), null);
    const c = q('c', at(10, 7), 3.0);
    const revisedC = { ...c, mag: 3.5, updated: c.updated + MIN };
    const d = q('d', at(10, 31), 2.0);
    const late = q('late', at(10, 4), 6.0);
    const f = q('f', at(10, 33), 1.0);
    const service = start();
    // Each step is its own batch: the watermark moves between batches.
    await produce(topic, [message(a), message(b), message(c)]);
    await waitUntilHandled(service, topic);
    await produce(topic, [message(d), message(revisedC)]);
    await waitUntilHandled(service, topic);
    await produce(topic, [
      message(late),
      { key: 'poison', value: 'no es json' },
      { key: 'wrong', value: JSON.stringify({ ...JSON.parse(encodeMessage(f)), magnitud: '1' }) },
      message(f),
    ]);
    await waitUntilHandled(service, topic);
    await stop(service);

    const out = service.stdout();
    // After the second batch the watermark is 10:31 - 10 min: the windows before 10:20 are final.
    expect(out).toMatch(
      /watermark 2024-01-15 10:21:00 UTC\n-+\n[\s\S]*?\nclosed, final: 2024-01-15T10:00:00\.000Z \(2 quakes\), 2024-01-15T10:05:00\.000Z \(1 quake\)$/m,
    );
    expect(out).toMatch(
      new RegExp(
        `^late ${topic} \\[0\\] @ 5: late of 2024-01-15 10:04:00 UTC belongs to the window 2024-01-15T10:00:00\\.000Z, closed at the watermark 2024-01-15 10:21:00 UTC; left out$`,
        'm',
      ),
    );
    expect(out).toMatch(/ 1 late quake this run\.$/m);
    expect(service.stderr().trim().split('\n')).toEqual([
      `rejected 2 records of ${topic}, left out; send messages as README.md's message format says:`,
      `  1 × message is not JSON: string "no es json" (first: ${topic} [0] @ 6 key=poison)`,
      `  1 × field "magnitud" must be a magnitude from -2 to 10.5 or null, got string "1" (first: ${topic} [0] @ 7 key=wrong)`,
    ]);

    // The revision replaced c; the late quake is in no window; the quake without magnitude counts.
    const expected = windowsOf([a, b, revisedC, d, f], tumblingWindows());
    expect(expected[0]).toMatchObject({ count: 2, withMagnitude: 1, avgMag: 4, maxMag: 4 });
    expectWindows(lastByKey(await readAll(stats)), expected);
    // The group is past every record, poison included; the checkpoint says how far.
    const [commit] = (await committed(env.STATS_GROUP, topic)).values();
    expect(decodeCheckpoint(commit?.metadata ?? null)).toMatchObject({ next: '9' });
    // d (offset 3) is the oldest record still feeding an open window: a restart replays from there.
    expect(commit?.offset).toBe(3);

    // The checkpoint counts 5-minute windows: other windows cannot resume it, and say so.
    const other = startCommand(SERVICE, { ...env, STATS_WINDOW_MINUTES: '10' });
    expect(await other.exited).toBe(1);
    expect(other.stderr()).toBe(
      `estadisticas_sismos: group ${env.STATS_GROUP}: the committed checkpoint counts 5-minute windows, not 10-minute ones; set STATS_WINDOW_MINUTES back, or count again from the start in a new group (STATS_GROUP)\n`,
    );
  });

  it('refuses a window length that is not a number of minutes from 1 to 1440, in one line', async () => {
    const run = await runCommand(SERVICE, { KAFKA_BROKERS: brokers(), STATS_WINDOW_MINUTES: '0' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'estadisticas_sismos: STATS_WINDOW_MINUTES must be a number between 1 and 1440, got "0"\n',
    );
  });

  it('counts nothing twice and no late quake after all when SIGKILLed mid-stream and restarted', async () => {
    const lateness = 2 * DAY;
    const { topic, stats, env, start } = await setup(lateness / MIN);
    // The week in time order, in 12-hour chunks produced one after the other, as a live producer
    // would send them. A chunk is shorter than the lateness, so no on-time quake is ever late
    // whichever partition is read first; windows close as the chunks go by.
    const sorted = byTime(WEEK);
    const first = sorted[0]?.time ?? 0;
    const chunks: Quake[][] = [];
    for (const quake of sorted) {
      const i = Math.floor((quake.time - first) / (DAY / 2));
      chunks[i] = [...(chunks[i] ?? []), quake];
    }
    expect(chunks).toHaveLength(14);
    // Quakes three days older than their chunk: always behind the watermark, in windows that
    // already have real quakes (so counting them would change a published window).
    const lateQuake = (id: string, chunk: number): Quake => {
      const time = (chunks[chunk - 6]?.[0]?.time ?? 0) + 1000;
      return makeQuake({ id, time, updated: time, mag: 9.9 });
    };
    const late1 = lateQuake('late-before-kill', 6);
    const late2 = lateQuake('late-after-restart', 11);
    chunks[6]?.splice(10, 0, late1);
    chunks[11]?.splice(10, 0, late2);
    const send = (chunk: number) =>
      produce(
        topic,
        (chunks[chunk] ?? []).map((q) => message(q)),
      );

    const firstRun = start();
    for (let chunk = 0; chunk < 8; chunk++) {
      await send(chunk);
      await waitUntilHandled(firstRun, topic);
    }
    // Chunk 8 goes in small sends; the service is killed once it has started on them.
    const before = handledUpTo(firstRun.stdout(), topic);
    const chunk8 = chunks[8] ?? [];
    const sending = (async () => {
      for (let i = 0; i < chunk8.length; i += 20) {
        await produce(
          topic,
          chunk8.slice(i, i + 20).map((q) => message(q)),
        );
      }
    })();
    await firstRun.waitFor((out) =>
      [...handledUpTo(out, topic)].some(([p, last]) => last > (before.get(p) ?? -1)),
    );
    firstRun.child.kill('SIGKILL');
    expect(await firstRun.exited).toBe('SIGKILL');
    await sending;
    const statsAtKill = await endOffsets(stats);
    const lastWatermark = [...firstRun.stdout().matchAll(/watermark (\S+ \S+) UTC$/gm)].at(-1)?.[1];
    expect(lastWatermark).toBeDefined();
    await send(9);

    const secondRun = start();
    await secondRun.waitFor(/^replay done: /m);
    await waitUntilHandled(secondRun, topic);
    for (let chunk = 10; chunk < chunks.length; chunk++) {
      await send(chunk);
      await waitUntilHandled(secondRun, topic);
    }
    await stop(secondRun);

    // Every on-time quake counted once; the late ones in no window.
    const records = await readAll(stats);
    expectWindows(lastByKey(records), windowsOf(sorted, tumblingWindows()));

    // The restart resumed from the checkpoint and replayed only what feeds open windows.
    expect(secondRun.stdout()).toMatch(
      /^group \S+ resumes from its checkpoint: watermark \S+ \S+ UTC; replaying \S+ \[\d\] @ \d+–\d+/m,
    );
    // Each late quake was reported once, by the run that first read it, and counted in no window.
    expect(firstRun.stdout()).toMatch(/^late \S+ \[\d\] @ \d+: late-before-kill of /m);
    expect(secondRun.stdout()).not.toMatch(/late-before-kill/);
    expect(secondRun.stdout()).toMatch(/^late \S+ \[\d\] @ \d+: late-after-restart of /m);
    // No window the first run had closed was published again after the restart.
    const closedAtKill = Date.parse(`${lastWatermark?.replace(' ', 'T')}Z`);
    const republished = records.filter(
      (r) =>
        Number(r.offset) >= (statsAtKill.get(r.partition) ?? 0) &&
        Date.parse(r.key ?? '') + 5 * MIN <= closedAtKill,
    );
    expect(republished).toEqual([]);

    // Each partition's commit is the oldest record still feeding an open window; its checkpoint
    // says the whole partition was handled.
    const windowEnd = (q: Quake) => q.time - (q.time % (5 * MIN)) + 5 * MIN;
    const watermark = Math.max(...sorted.map((q) => q.time)) - lateness;
    const sourceRecords = await readAll(topic);
    const ends = await endOffsets(topic);
    for (const [partition, commit] of await committed(env.STATS_GROUP, topic)) {
      const open = sourceRecords
        .filter((r) => r.partition === partition)
        .filter((r) => {
          const quake = sorted.find((q) => q.id === r.key);
          return quake !== undefined && windowEnd(quake) > watermark;
        })
        .map((r) => Number(r.offset));
      expect(commit.offset).toBe(Math.min(...open));
      expect(decodeCheckpoint(commit.metadata)).toEqual({
        windowMs: 5 * MIN,
        watermark,
        next: String(ends.get(partition)),
      });
    }
  });
});
