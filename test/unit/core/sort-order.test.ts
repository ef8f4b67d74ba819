import { describe, expect, it } from 'vitest';
import { sortQuakes } from '../../../src/core/sort-order.ts';
import { makeQuake } from '../../helpers/quake.ts';

const quakes = () => [
  makeQuake({ id: 'old-strong', time: 100, mag: 6 }),
  makeQuake({ id: 'no-mag', time: 400, mag: null }),
  makeQuake({ id: 'new-weak', time: 300, mag: 1.2 }),
  makeQuake({ id: 'negative', time: 250, mag: -0.5 }),
  makeQuake({ id: 'new-strong', time: 200, mag: 6 }),
];

const ids = (list: { id: string }[]) => list.map((quake) => quake.id);

describe('the list order', () => {
  it('newest puts the newest quake first', () => {
    expect(ids(sortQuakes(quakes(), 'newest'))).toEqual([
      'no-mag',
      'new-weak',
      'negative',
      'new-strong',
      'old-strong',
    ]);
  });

  it('oldest puts the oldest quake first', () => {
    expect(ids(sortQuakes(quakes(), 'oldest'))).toEqual([
      'old-strong',
      'new-strong',
      'negative',
      'new-weak',
      'no-mag',
    ]);
  });

  it('largest puts the strongest first, the newer of equals first, and quakes without magnitude last', () => {
    expect(ids(sortQuakes(quakes(), 'largest'))).toEqual([
      'new-strong',
      'old-strong',
      'new-weak',
      'negative',
      'no-mag',
    ]);
  });

  it('smallest puts the weakest first (negative magnitudes included) and quakes without magnitude last', () => {
    expect(ids(sortQuakes(quakes(), 'smallest'))).toEqual([
      'negative',
      'new-weak',
      'new-strong',
      'old-strong',
      'no-mag',
    ]);
  });

  it('sorts the array it is given', () => {
    const list = quakes();
    expect(sortQuakes(list, 'newest')).toBe(list);
  });
});
