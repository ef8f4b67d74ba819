import { describe, expect, it } from 'vitest';
import type { Quake } from '../../../src/core/quake.ts';
import { slidingWindows, tumblingWindows, windowsOf } from '../../../src/core/window.ts';
import {
  shownStarts,
  shownTimes,
  WINDOWS_SHOWN,
} from '../../../src/dashboard/stats/window-chart.ts';

const MINUTE = 60_000;
const reference = Date.UTC(2024, 0, 15, 10, 32, 10);

function quakeAt(time: number, mag: number | null): Quake {
  return {
    id: `q${time}`,
    time,
    updated: time,
    mag,
    magType: null,
    place: null,
    lat: 0,
    lon: 0,
    depth: null,
    tsunami: false,
    status: null,
    type: 'earthquake',
    url: null,
    alert: null,
  };
}

describe('the windows the chart draws', () => {
  it('are the 24 windows up to the one holding the reference time', () => {
    const starts = shownStarts(tumblingWindows(), reference);
    expect(starts).toHaveLength(WINDOWS_SHOWN);
    expect(starts.at(-1)).toBe(Date.UTC(2024, 0, 15, 10, 30));
    expect(starts[0]).toBe(Date.UTC(2024, 0, 15, 8, 35));
    expect(shownTimes(tumblingWindows(), reference)).toEqual({
      from: Date.UTC(2024, 0, 15, 8, 35),
      to: Date.UTC(2024, 0, 15, 10, 35),
    });
  });

  it.each([
    ['tumbling', tumblingWindows()],
    ['sliding', slidingWindows(10 * MINUTE, 5 * MINUTE)],
  ])(
    'get the same figures from the quakes of their time range as from all quakes (%s)',
    (_, spec) => {
      // A quake every 7 minutes from a day before the reference to an hour after it.
      const quakes: Quake[] = [];
      for (let t = reference - 24 * 60 * MINUTE; t < reference + 60 * MINUTE; t += 7 * MINUTE) {
        quakes.push(quakeAt(t, (t / MINUTE) % 3 === 0 ? null : ((t / MINUTE) % 70) / 10));
      }
      const { from, to } = shownTimes(spec, reference);
      const some = windowsOf(
        quakes.filter((q) => q.time >= from && q.time < to),
        spec,
      );
      const all = windowsOf(quakes, spec);
      const starts = shownStarts(spec, reference);
      const pick = (windows: typeof all) => windows.filter((w) => starts.includes(w.start));
      expect(pick(some)).toEqual(pick(all));
      expect(pick(some).length).toBeGreaterThan(10);
    },
  );
});
