import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../src/core/message.ts';
import type { Quake } from '../../../src/core/quake.ts';
import { tumblingWindows, type WindowStats, windowsOf } from '../../../src/core/window.ts';
import type { CommittedPartition } from '../../../src/core/window-checkpoint.ts';
import { type CountedRecord, WindowCounter } from '../../../src/core/window-counter.ts';
import { makeQuake } from '../../helpers/quake.ts';
import { runs } from '../../helpers/seed.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 15, 10, 30);
/** Five-minute windows, a quake more than 10 minutes older than the newest is late. */
const spec = tumblingWindows(5 * MIN, 10 * MIN);
const READ_AT = T0 + 60 * MIN;

/** The partitions of a topic that hold `highs[p]` records each, never committed. */
function fresh(highs: readonly number[]): CommittedPartition[] {
  return highs.map((high, partition) => ({
    partition,
    offset: null,
    metadata: null,
    low: '0',
    high: String(high),
  }));
}

/** Records at offsets `from`, `from + 1`, ... with these values. */
function records(from: number, values: (Quake | string | null)[]): CountedRecord[] {
  return values.map((value, i) => ({
    offset: String(from + i),
    value:
      value === null
        ? null
        : new TextEncoder().encode(typeof value === 'string' ? value : encodeMessage(value)),
  }));
}

const quake = (id: string, minutes: number, mag: number | null = 3) =>
  makeQuake({ id, time: T0 + minutes * MIN, updated: T0 + minutes * MIN, mag });

describe('WindowCounter', () => {
  it('counts a batch into its windows, gives the changed ones to publish once, and closes them as the watermark passes', () => {
    const counter = new WindowCounter(spec, fresh([3, 0]));
    const batch = records(0, [quake('a', 1, 2), quake('b', 2, 4), quake('c', 7, null)]);
    const counted = counter.count(0, batch, '2', '3', READ_AT);
    expect(counted).toMatchObject({ replayed: 0, unreadable: [], late: [], replaying: false });
    expect(counted.closed).toEqual([]);
    expect(counter.updates()).toEqual([
      { start: T0, end: T0 + 5 * MIN, count: 2, withMagnitude: 2, avgMag: 3, maxMag: 4 },
      {
        start: T0 + 5 * MIN,
        end: T0 + 10 * MIN,
        count: 1,
        withMagnitude: 0,
        avgMag: null,
        maxMag: null,
      },
    ]);
    counter.published();
    expect(counter.updates()).toEqual([]);

    // 20 minutes on, the watermark (newest minus 10 minutes) passes the first two windows.
    const later = counter.count(0, records(3, [quake('d', 20)]), '3', '4', READ_AT);
    expect(later.closed.map((w) => w.start)).toEqual([T0, T0 + 5 * MIN]);
    // It was counted against the watermark of the batch before: 7 minutes less 10.
    expect(later.watermark).toBe(T0 - 3 * MIN);
    expect(counter.windows.watermark).toBe(T0 + 10 * MIN);
  });

  it('reports unreadable records, and quakes and revisions of windows the watermark closed as late', () => {
    const counter = new WindowCounter(spec, fresh([6, 0]));
    counter.count(0, records(0, [quake('a', 1, 2), quake('z', 30)]), '1', '6', READ_AT);
    const counted = counter.count(
      0,
      records(2, [
        'not json',
        null,
        quake('late', 3),
        { ...quake('a', 1, 6), updated: T0 + 40 * MIN },
      ]),
      '5',
      '6',
      READ_AT,
    );
    expect(counted.unreadable.map(({ offset, error }) => [offset, error.code])).toEqual([
      ['2', 'MESSAGE_NOT_JSON'],
      ['3', 'MESSAGE_EMPTY'],
    ]);
    // The revision of `a` belongs to a closed window too: late, left out like a new quake.
    expect(counted.late.map(({ offset, quake }) => [offset, quake.id])).toEqual([
      ['4', 'late'],
      ['5', 'a'],
    ]);
    expect(counted.watermark).toBe(T0 + 20 * MIN);
    expect(counter.updates().map((w) => w.start)).toEqual([T0, T0 + 30 * MIN]);
  });

  it('after a restart from its commits, replays silently, publishes nothing until every partition is back, and counts nothing twice', () => {
    const first = new WindowCounter(spec, fresh([4, 2]));
    const zero = records(0, [quake('a', 1, 2), quake('bad', 2), 'x', quake('b', 6, 5)]);
    const one = records(0, [quake('c', 3, 4), quake('d', 8, 1)]);
    first.count(0, zero, '3', '4', READ_AT);
    first.count(1, one, '1', '2', READ_AT);
    const published = first.updates();
    const commits = first.commits();
    // Every window is still open: each partition commits its first offset, with the checkpoint.
    expect(commits.map(({ partition, offset }) => [partition, offset])).toEqual([
      [0, '0'],
      [1, '0'],
    ]);

    const again = new WindowCounter(
      spec,
      commits.map(({ partition, offset, metadata }) => ({
        partition,
        offset,
        metadata,
        low: '0',
        high: partition === 0 ? '4' : '2',
      })),
    );
    const replayZero = again.count(0, zero, '3', '4', READ_AT);
    expect(replayZero).toMatchObject({ replayed: 4, unreadable: [], late: [], replaying: true });
    expect(replayZero.closed).toEqual([]);
    const replayOne = again.count(1, one, '1', '2', READ_AT);
    expect(replayOne).toMatchObject({ replayed: 2, replaying: false, replayDone: true });
    // The open windows are rebuilt exactly as they were, and published again.
    expect(again.updates()).toEqual(published);
  });

  it('holds the watermark by the partitions still behind: a backlog read partition by partition loses nothing', () => {
    // Partition 0 holds the newer quakes, partition 1 older ones, read after it (issue 13, defect 1).
    const counter = new WindowCounter(spec, fresh([2, 2]));
    const first = counter.count(0, records(0, [quake('a', 40), quake('b', 60)]), '1', '2', READ_AT);
    expect(first.closed).toEqual([]);
    // Partition 1 has read nothing yet: the watermark stays where it was.
    expect(counter.windows.watermark).toBe(Number.NEGATIVE_INFINITY);
    const second = counter.count(1, records(0, [quake('c', 1), quake('d', 20)]), '1', '2', READ_AT);
    expect(second.late).toEqual([]);
    // Both partitions read to their end: the newest time less the lateness, as Spark's watermark.
    expect(counter.windows.watermark).toBe(T0 + 50 * MIN);
    expect(second.closed.map((w) => [w.start, w.count])).toEqual([
      [T0, 1],
      [T0 + 20 * MIN, 1],
      [T0 + 40 * MIN, 1],
    ]);
  });

  it('holds the watermark by a partition behind at the newest time it gave, less the lateness', () => {
    const counter = new WindowCounter(spec, fresh([1, 3]));
    counter.count(1, records(0, [quake('a', 10)]), '0', '3', READ_AT);
    counter.count(0, records(0, [quake('b', 90)]), '0', '1', READ_AT);
    // Partition 1 has two records still to read, none older than its 10:40: windows before 10:30 are safe to close.
    expect(counter.windows.watermark).toBe(T0);
  });

  it("counts any interleaving of the partitions' batches as reading them in event-time order, when each partition is in order", () => {
    const partition = fc
      .array(
        fc.tuple(fc.integer({ min: 0, max: 600 }), fc.option(fc.integer({ min: 0, max: 9 }))),
        {
          maxLength: 25,
        },
      )
      .map((quakes) => quakes.sort(([a], [b]) => a - b));
    const plan = fc.record({
      partitions: fc.array(partition, { minLength: 1, maxLength: 3 }),
      // Batch lengths and which partition fetches next, drawn as numbers and used in turn.
      lengths: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 20 }),
      order: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
    });
    fc.assert(
      fc.property(plan, ({ partitions, lengths, order }) => {
        const quakes = partitions.map((list, p) =>
          list.map(([minutes, mag], i) => quake(`p${p}-${i}`, minutes, mag === null ? null : mag)),
        );
        const counter = new WindowCounter(spec, fresh(quakes.map((list) => list.length)));
        const next = quakes.map(() => 0);
        const windows = new Map<number, WindowStats>();
        let late = 0;
        for (let turn = 0; next.some((n, p) => n < (quakes[p]?.length ?? 0)); turn++) {
          const waiting = next.flatMap((n, p) => (n < (quakes[p]?.length ?? 0) ? [p] : []));
          const p = waiting[(order[turn % order.length] ?? 0) % waiting.length] as number;
          const list = quakes[p] ?? [];
          const from = next[p] ?? 0;
          const to = Math.min(list.length, from + (lengths[turn % lengths.length] ?? 1));
          const counted = counter.count(
            p,
            records(from, list.slice(from, to)),
            String(to - 1),
            String(list.length),
            READ_AT,
          );
          next[p] = to;
          late += counted.late.length;
          for (const window of counter.updates()) windows.set(window.start, window);
          counter.published();
        }
        expect(late).toBe(0);
        // Read one quake at a time in event-time order, the stream gives the same windows.
        const ordered = quakes.flat().sort((a, b) => a.time - b.time);
        const inOrder = new WindowCounter(spec, fresh([ordered.length]));
        const inOrderWindows = new Map<number, WindowStats>();
        ordered.forEach((q, i) => {
          const counted = inOrder.count(0, records(i, [q]), String(i), String(i + 1), READ_AT);
          expect(counted.late).toEqual([]);
          for (const window of inOrder.updates()) inOrderWindows.set(window.start, window);
          inOrder.published();
        });
        const byStart = (map: Map<number, WindowStats>) =>
          [...map.values()].sort((a, b) => a.start - b.start);
        expect(byStart(windows)).toEqual(byStart(inOrderWindows));
        expect(byStart(windows)).toEqual(windowsOf(quakes.flat(), spec));
      }),
      runs(300),
    );
  });
});
