import { describe, expect, it } from 'vitest';
import type { Quake } from '../../../src/core/quake.ts';
import { expireWindows, keepNewestVersion, mergeSnapshot } from '../../../src/core/snapshot.ts';
import type { WindowStats } from '../../../src/core/window.ts';
import { makeQuake } from '../../helpers/quake.ts';

describe('keepNewestVersion', () => {
  it('keeps the version with the latest `updated`, the first of equal ones', () => {
    const byId = new Map<string, Quake>();
    keepNewestVersion(byId, makeQuake({ id: 'a', updated: 10, mag: 4 }));
    keepNewestVersion(byId, makeQuake({ id: 'a', updated: 20, mag: 5 }));
    keepNewestVersion(byId, makeQuake({ id: 'a', updated: 15, mag: 6 }));
    keepNewestVersion(byId, makeQuake({ id: 'a', updated: 20, mag: 7 }));
    keepNewestVersion(byId, makeQuake({ id: 'b', updated: 1 }));
    expect(byId.get('a')?.mag).toBe(5);
    expect([...byId.keys()]).toEqual(['a', 'b']);
  });
});

describe('mergeSnapshot', () => {
  it('holds each quake once: an alert replaces its quake only when it is a newer version', () => {
    const quakes = [
      makeQuake({ id: 'a', updated: 10, mag: 4.6 }),
      makeQuake({ id: 'b', updated: 30, mag: 5.1 }),
    ];
    const alerts = [
      makeQuake({ id: 'a', updated: 20, mag: 4.9 }),
      makeQuake({ id: 'b', updated: 20, mag: 5.0 }),
      makeQuake({ id: 'c', updated: 20, mag: 6 }),
    ];
    const merged = mergeSnapshot(quakes, alerts, 0);
    expect(merged.map((quake) => [quake.id, quake.mag])).toEqual([
      ['a', 4.9],
      ['b', 5.1],
      ['c', 6],
    ]);
  });

  it('leaves out quakes and alerts older than the window, keeping one at its edge', () => {
    const merged = mergeSnapshot(
      [makeQuake({ id: 'old', time: 99 }), makeQuake({ id: 'edge', time: 100 })],
      [makeQuake({ id: 'old-alert', time: 50 })],
      100,
    );
    expect(merged.map((quake) => quake.id)).toEqual(['edge']);
  });
});

describe('expireWindows', () => {
  const window = (start: number, end: number) => ({ start, end }) as WindowStats;

  it('drops the windows that ended before the oldest time kept', () => {
    const windows = new Map([
      [0, window(0, 99)],
      [100, window(100, 199)],
      [200, window(200, 299)],
    ]);
    expireWindows(windows, 199);
    expect([...windows.keys()]).toEqual([100, 200]);
  });
});
