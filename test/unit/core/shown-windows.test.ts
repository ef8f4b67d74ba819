import { describe, expect, it } from 'vitest';
import type { Quake } from '../../../src/core/quake.ts';
import { shownStarts, shownWindows, WINDOWS_SHOWN } from '../../../src/core/shown-windows.ts';
import { MINUTE_MS } from '../../../src/core/time.ts';
import { slidingWindows, tumblingWindows, windowsOf } from '../../../src/core/window.ts';
import { makeQuake } from '../../helpers/quake.ts';

const reference = Date.UTC(2024, 0, 15, 10, 32, 10);

describe('the windows the chart shows', () => {
  it('are the 24 windows up to the one holding the reference time', () => {
    const starts = shownStarts(tumblingWindows(), reference);
    expect(starts).toHaveLength(WINDOWS_SHOWN);
    expect(starts.at(-1)).toBe(Date.UTC(2024, 0, 15, 10, 30));
    expect(starts[0]).toBe(Date.UTC(2024, 0, 15, 8, 35));
  });

  it.each([
    ['tumbling', tumblingWindows()],
    ['sliding', slidingWindows(10 * MINUTE_MS, 5 * MINUTE_MS)],
  ])(
    'get the same figures from the quakes of their time range as from all quakes (%s)',
    (_, spec) => {
      // A quake every 7 minutes from a day before the reference to an hour after it.
      const quakes: Quake[] = [];
      for (
        let t = reference - 24 * 60 * MINUTE_MS;
        t < reference + 60 * MINUTE_MS;
        t += 7 * MINUTE_MS
      ) {
        const minute = t / MINUTE_MS;
        quakes.push(
          makeQuake({ id: `q${t}`, time: t, mag: minute % 3 === 0 ? null : (minute % 70) / 10 }),
        );
      }
      const starts = shownStarts(spec, reference);
      const shown = shownWindows(quakes, spec, reference);
      expect(shown).toEqual(windowsOf(quakes, spec).filter((w) => starts.includes(w.start)));
      expect(shown.length).toBeGreaterThan(10);
    },
  );
});
