import { describe, expect, it } from 'vitest';
import { compileFilter, countTypes, NO_FILTER, referenceTime } from '../../../src/core/filter.ts';
import { makeQuake } from '../../helpers/quake.ts';

const HOUR = 3_600_000;

describe('compileFilter', () => {
  const quakes = [
    makeQuake({ id: 'm1', mag: 1 }),
    makeQuake({ id: 'm2.5', mag: 2.5 }),
    makeQuake({ id: 'm4.5', mag: 4.5 }),
    makeQuake({ id: 'm6', mag: 6 }),
    makeQuake({ id: 'none', mag: null }),
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
    const blast = makeQuake({ id: 'blast', type: 'quarry blast' });
    const visible = compileFilter({ ...NO_FILTER, hiddenTypes: ['quarry blast'] }, 0);
    expect(visible(blast)).toBe(false);
    expect(visible(makeQuake())).toBe(true);
  });

  it('keeps the quakes of the time window before the reference time', () => {
    const reference = Date.UTC(2016, 10, 3, 18);
    const visible = compileFilter({ ...NO_FILTER, windowMs: HOUR }, reference);
    expect(visible(makeQuake({ time: reference - HOUR }))).toBe(true);
    expect(visible(makeQuake({ time: reference - HOUR - 1 }))).toBe(false);
  });
});

describe('referenceTime', () => {
  it('is the feed generation time, else the newest quake, else the clock', () => {
    const quakes = [makeQuake({ time: 10 }), makeQuake({ time: 30 }), makeQuake({ time: 20 })];
    expect(referenceTime(1000, quakes, 5)).toBe(1000);
    expect(referenceTime(null, quakes, 5)).toBe(30);
    expect(referenceTime(null, [], 5)).toBe(5);
  });
});

describe('countTypes', () => {
  it('counts event types, most frequent first', () => {
    const quakes = [
      makeQuake({ type: 'explosion' }),
      makeQuake(),
      makeQuake({ type: 'quarry blast' }),
      makeQuake(),
    ];
    expect(countTypes(quakes)).toEqual([
      ['earthquake', 2],
      ['explosion', 1],
      ['quarry blast', 1],
    ]);
  });
});
