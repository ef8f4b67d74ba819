import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../src/core/message.ts';
import type { Quake } from '../../../src/core/quake.ts';
import { tumblingWindows } from '../../../src/core/window.ts';
import type { CommittedPartition } from '../../../src/core/window-checkpoint.ts';
import { type CountedRecord, WindowCounter } from '../../../src/core/window-counter.ts';
import { makeQuake } from '../../helpers/quake.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 15, 10, 30);
/** Five-minute windows, a quake more than 10 minutes older than the newest is late. */
const spec = tumblingWindows(5 * MIN, 10 * MIN);
const READ_AT = T0 + 60 * MIN;

/** Partitions 0 and 1 of a topic that holds `high` records each, never committed. */
function fresh(high = 100): CommittedPartition[] {
  return [0, 1].map((partition) => ({
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
    const counter = new WindowCounter(spec, fresh());
    const batch = records(0, [quake('a', 1, 2), quake('b', 2, 4), quake('c', 7, null)]);
    const counted = counter.count(0, batch, '2', READ_AT);
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
    const later = counter.count(0, records(3, [quake('d', 20)]), '3', READ_AT);
    expect(later.closed.map((w) => w.start)).toEqual([T0, T0 + 5 * MIN]);
    // It was counted against the watermark of the batch before: 7 minutes less 10.
    expect(later.watermark).toBe(T0 - 3 * MIN);
    expect(counter.windows.watermark).toBe(T0 + 10 * MIN);
  });

  it('reports unreadable records, and quakes and revisions of windows the watermark closed as late', () => {
    const counter = new WindowCounter(spec, fresh());
    counter.count(0, records(0, [quake('a', 1, 2), quake('z', 30)]), '1', READ_AT);
    const counted = counter.count(
      0,
      records(2, [
        'not json',
        null,
        quake('late', 3),
        { ...quake('a', 1, 6), updated: T0 + 40 * MIN },
      ]),
      '5',
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
    const first = new WindowCounter(spec, fresh(4));
    const zero = records(0, [quake('a', 1, 2), quake('bad', 2), 'x', quake('b', 6, 5)]);
    const one = records(0, [quake('c', 3, 4), quake('d', 8, 1)]);
    first.count(0, zero, '3', READ_AT);
    first.count(1, one, '1', READ_AT);
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
        high: '4',
      })),
    );
    const replayZero = again.count(0, zero, '3', READ_AT);
    expect(replayZero).toMatchObject({ replayed: 4, unreadable: [], late: [], replaying: true });
    expect(replayZero.closed).toEqual([]);
    const replayOne = again.count(1, one, '1', READ_AT);
    expect(replayOne).toMatchObject({ replayed: 2, replaying: false, replayDone: true });
    // The open windows are rebuilt exactly as they were, and published again.
    expect(again.updates()).toEqual(published);
  });
});
