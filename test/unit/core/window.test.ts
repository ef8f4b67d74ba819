import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../../src/core/feed.ts';
import type { Quake } from '../../../src/core/quake.ts';
import {
  DEFAULT_LATENESS_MS,
  slidingWindows,
  tumblingWindows,
  WindowAggregator,
  windowStarts,
  windowsOf,
} from '../../../src/core/window.ts';
import { fixtureText } from '../../helpers/fixtures.ts';
import { makeQuake } from '../../helpers/quake.ts';

const T0 = Date.UTC(2024, 0, 15, 10, 0);
const MIN = 60_000;

function quake(id: string, minutes: number, mag: number | null): Quake {
  return makeQuake({ id, time: T0 + minutes * MIN, updated: T0 + minutes * MIN, mag });
}

describe('window boundaries', () => {
  const spec = tumblingWindows();

  it('puts a quake exactly at a boundary in the window that starts there', () => {
    expect(windowStarts(T0 + 5 * MIN, spec)).toEqual([T0 + 5 * MIN]);
    expect(windowStarts(T0 + 5 * MIN - 1, spec)).toEqual([T0]);
  });

  it('aligns windows to the epoch, as Spark does', () => {
    expect(windowStarts(Date.UTC(2024, 0, 15, 10, 7, 31), spec)).toEqual([
      Date.UTC(2024, 0, 15, 10, 5),
    ]);
  });

  it('gives sliding windows every window that contains the time', () => {
    const sliding = slidingWindows(10 * MIN, 5 * MIN);
    expect(windowStarts(T0 + 7 * MIN, sliding)).toEqual([T0, T0 + 5 * MIN]);
    expect(windowStarts(T0 + 10 * MIN, sliding)).toEqual([T0 + 5 * MIN, T0 + 10 * MIN]);
  });

  it('refuses a slide longer than the window', () => {
    expect(() => slidingWindows(5 * MIN, 10 * MIN)).toThrow(/0 < slide <= size/);
  });
});

describe('window figures', () => {
  it('counts a quake without magnitude in the total but not in the average or maximum', () => {
    const [window] = windowsOf(
      [quake('a', 1, 4.0), quake('b', 2, null), quake('c', 3, 5.0)],
      tumblingWindows(),
    );
    expect(window).toEqual({
      start: T0,
      end: T0 + 5 * MIN,
      count: 3,
      withMagnitude: 2,
      avgMag: 4.5,
      maxMag: 5.0,
    });
  });

  it('has no average or maximum when no quake has a magnitude', () => {
    const [window] = windowsOf([quake('a', 1, null)], tumblingWindows());
    expect(window).toMatchObject({ count: 1, withMagnitude: 0, avgMag: null, maxMag: null });
  });

  it('keeps a negative maximum when every magnitude is negative', () => {
    const [window] = windowsOf([quake('a', 1, -0.5), quake('b', 2, -1.2)], tumblingWindows());
    expect(window?.maxMag).toBe(-0.5);
  });
});

describe('WindowAggregator', () => {
  it('counts a quake later than the watermark as late and leaves it out of its window', () => {
    const windows = new WindowAggregator(tumblingWindows(5 * MIN, 10 * MIN));
    windows.add(quake('new', 30, 3.0));
    windows.add(quake('same-batch', 12, 1.0)); // the watermark moves only between batches
    windows.advanceWatermark(); // watermark: 10:20
    expect(windows.watermark).toBe(T0 + 20 * MIN);
    const late = windows.add(quake('late', 12, 6.0)); // window 10:10-10:15 is closed
    const edge = windows.add(quake('edge', 17, 6.0)); // window 10:15-10:20 ends at the watermark: closed
    const onTime = windows.add(quake('ok', 21, 2.0)); // window 10:20-10:25 still open
    expect([late.late, edge.late, onTime.late]).toEqual([true, true, false]);
    expect(windows.lateCount).toBe(2);
    expect(windows.openWindows().map((w) => [w.start, w.count])).toEqual([
      [T0 + 20 * MIN, 1],
      [T0 + 30 * MIN, 1],
    ]);
  });

  it('closes, in the next batch, the windows of quakes that were on time in theirs', () => {
    const windows = new WindowAggregator(tumblingWindows(5 * MIN, 10 * MIN));
    windows.add(quake('new', 30, 3.0));
    windows.add(quake('old', 12, 1.0));
    expect(windows.advanceWatermark().map((w) => [w.start, w.count])).toEqual([[T0 + 10 * MIN, 1]]);
  });

  it('replaces a revised quake in its window, so nothing is counted twice', () => {
    const windows = new WindowAggregator(tumblingWindows());
    windows.add(quake('a', 1, 4.0));
    windows.add(quake('b', 2, 3.0));
    const { updated } = windows.add({ ...quake('a', 1, 4.8), updated: T0 + 9 * MIN });
    expect(updated).toEqual([
      { start: T0, end: T0 + 5 * MIN, count: 2, withMagnitude: 2, avgMag: 3.9, maxMag: 4.8 },
    ]);
  });

  it('moves a revision whose time changed to its new window and reports both windows', () => {
    const windows = new WindowAggregator(tumblingWindows());
    windows.add(quake('a', 4, 4.0));
    const { updated } = windows.add(quake('a', 6, 4.0));
    expect(updated.map((w) => [w.start, w.count])).toEqual([
      [T0, 0],
      [T0 + 5 * MIN, 1],
    ]);
  });

  it('closes windows the watermark passed, once, and forgets them', () => {
    const windows = new WindowAggregator(tumblingWindows(5 * MIN, 5 * MIN));
    windows.add(quake('a', 1, 4.0));
    windows.add(quake('b', 6, 3.0));
    expect(windows.advanceWatermark()).toEqual([]);
    windows.add(quake('c', 11, 2.0));
    // watermark 10:06: window 10:00-10:05 is final
    expect(windows.advanceWatermark().map((w) => [w.start, w.count])).toEqual([[T0, 1]]);
    expect(windows.advanceWatermark()).toEqual([]);
    expect(windows.openWindows().map((w) => w.start)).toEqual([T0 + 5 * MIN, T0 + 10 * MIN]);
  });

  it('holds memory for the open windows only, however long the stream', () => {
    const windows = new WindowAggregator(tumblingWindows(5 * MIN, 10 * MIN));
    let largest = 0;
    for (let i = 0; i < 20_000; i++) {
      windows.add(quake(`q${i}`, i / 10, 2.0));
      windows.advanceWatermark();
      largest = Math.max(largest, windows.openWindows().length);
    }
    expect(largest).toBeLessThanOrEqual(4);
  });

  it('updates sliding windows together', () => {
    const windows = new WindowAggregator(slidingWindows(10 * MIN, 5 * MIN));
    const { updated } = windows.add(quake('a', 7, 4.0));
    expect(updated.map((w) => [w.start, w.end, w.count])).toEqual([
      [T0, T0 + 10 * MIN, 1],
      [T0 + 5 * MIN, T0 + 15 * MIN, 1],
    ]);
  });

  it('says from which offset to replay to rebuild the open windows', () => {
    const windows = new WindowAggregator(tumblingWindows(5 * MIN, 5 * MIN));
    windows.add(quake('a', 1, 1.0), { partition: 0, offset: '10' });
    windows.add(quake('b', 2, 1.0), { partition: 1, offset: '4' });
    windows.add(quake('c', 7, 1.0), { partition: 0, offset: '11' });
    expect(windows.replayFrom()).toEqual(
      new Map([
        [0, '10'],
        [1, '4'],
      ]),
    );
    windows.add(quake('d', 12, 1.0), { partition: 0, offset: '12' });
    windows.advanceWatermark(); // closes 10:00-10:05
    expect(windows.replayFrom()).toEqual(new Map([[0, '11']]));
  });

  it('allows an hour of lateness by default', () => {
    expect(DEFAULT_LATENESS_MS).toBe(60 * MIN);
    expect(tumblingWindows().allowedLatenessMs).toBe(DEFAULT_LATENESS_MS);
    expect(slidingWindows(10 * MIN, 5 * MIN).allowedLatenessMs).toBe(DEFAULT_LATENESS_MS);
  });

  it('resumes with a watermark: windows it passed stay closed', () => {
    const windows = new WindowAggregator(tumblingWindows(5 * MIN, 10 * MIN), T0 + 20 * MIN);
    expect(windows.watermark).toBe(T0 + 20 * MIN);
    expect(windows.add(quake('old', 14, 2.0)).late).toBe(true);
    expect(windows.add(quake('open', 21, 2.0)).late).toBe(false);
    expect(windows.lateCount).toBe(1);
    // The watermark never moves back below the one it resumed with.
    expect(windows.advanceWatermark()).toEqual([]);
    expect(windows.watermark).toBe(T0 + 20 * MIN);
  });

  it('replays a record of a closed window without counting it late, and a replayed record of an open one as before', () => {
    const windows = new WindowAggregator(tumblingWindows(5 * MIN, 10 * MIN), T0 + 20 * MIN);
    const closed = windows.replay(quake('counted-before', 12, 5.0));
    expect(closed).toEqual({ updated: [], late: true });
    expect(windows.lateCount).toBe(0);
    const open = windows.replay(quake('open', 22, 3.0), { partition: 0, offset: '7' });
    expect(open.updated.map((w) => [w.start, w.count])).toEqual([[T0 + 20 * MIN, 1]]);
    expect(windows.replayFrom()).toEqual(new Map([[0, '7']]));
  });

  it('takes a replayed quake out of its open window when its later version went to a closed one', () => {
    const windows = new WindowAggregator(tumblingWindows(5 * MIN, 10 * MIN), T0 + 20 * MIN);
    windows.replay(quake('moved', 22, 3.0));
    const { updated } = windows.replay(quake('moved', 12, 3.0));
    expect(updated.map((w) => [w.start, w.count])).toEqual([[T0 + 20 * MIN, 0]]);
    expect(windows.lateCount).toBe(0);
  });

  it('agrees with the batch computation on a real week of quakes when nothing is late', () => {
    const quakes = parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes;
    const spec = tumblingWindows(5 * MIN, 8 * 24 * 60 * MIN);
    const windows = new WindowAggregator(spec);
    for (const q of quakes) windows.add(q);
    expect(windows.lateCount).toBe(0);
    expect(windows.openWindows()).toEqual(windowsOf(quakes, spec));
    expect(windowsOf(quakes, spec).reduce((sum, w) => sum + w.count, 0)).toBe(quakes.length);
  });
});
