import { describe, expect, it } from 'vitest';
import { compileFilter, countTypes, NO_FILTER, referenceTime } from '../../../src/core/filter.ts';
import { quake } from '../../helpers/quake.ts';

const HOUR = 3_600_000;

describe('compileFilter', () => {
  const quakes = [
    quake({ id: 'm1', mag: 1 }),
    quake({ id: 'm2.5', mag: 2.5 }),
    quake({ id: 'm4.5', mag: 4.5 }),
    quake({ id: 'm6', mag: 6 }),
    quake({ id: 'none', mag: null }),
  ];
  const pass = (filter: Parameters<typeof compileFilter>[0]) =>
    quakes.filter(compileFilter(filter, 0)).map((q) => q.id);

  it('keeps everything, unknown magnitudes included, without limits', () => {
    expect(pass(NO_FILTER)).toEqual(['m1', 'm2.5', 'm4.5', 'm6', 'none']);
  });

  it('keeps min <= magnitude < max, and drops unknown magnitudes once a limit is set', () => {
    expect(pass({ ...NO_FILTER, minMag: 2.5 })).toEqual(['m2.5', 'm4.5', 'm6']);
    expect(pass({ ...NO_FILTER, minMag: 2.5, maxMag: 6 })).toEqual(['m2.5', 'm4.5']);
    expect(pass({ ...NO_FILTER, maxMag: 2.5 })).toEqual(['m1']);
  });

  it('hides the chosen event types', () => {
    const blast = quake({ id: 'blast', type: 'quarry blast' });
    const visible = compileFilter({ ...NO_FILTER, hiddenTypes: ['quarry blast'] }, 0);
    expect(visible(blast)).toBe(false);
    expect(visible(quake())).toBe(true);
  });

  it('keeps the quakes of the time window before the reference time', () => {
    const reference = Date.UTC(2016, 10, 3, 18);
    const visible = compileFilter({ ...NO_FILTER, windowMs: HOUR }, reference);
    expect(visible(quake({ time: reference - HOUR }))).toBe(true);
    expect(visible(quake({ time: reference - HOUR - 1 }))).toBe(false);
  });
});

describe('referenceTime', () => {
  it('is the feed generation time, else the newest quake, else the clock', () => {
    const quakes = [quake({ time: 10 }), quake({ time: 30 }), quake({ time: 20 })];
    expect(referenceTime(1000, quakes, 5)).toBe(1000);
    expect(referenceTime(null, quakes, 5)).toBe(30);
    expect(referenceTime(null, [], 5)).toBe(5);
  });
});

describe('countTypes', () => {
  it('counts event types, most frequent first', () => {
    const quakes = [
      quake({ type: 'explosion' }),
      quake(),
      quake({ type: 'quarry blast' }),
      quake(),
    ];
    expect(countTypes(quakes)).toEqual([
      ['earthquake', 2],
      ['explosion', 1],
      ['quarry blast', 1],
    ]);
  });
});
