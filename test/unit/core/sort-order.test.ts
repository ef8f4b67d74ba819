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

describe('the list order', () => {
  it('puts the newest quake first', () => {
    expect(sortQuakes(quakes(), 'time').map((quake) => quake.id)).toEqual([
      'no-mag',
      'new-weak',
      'negative',
      'new-strong',
      'old-strong',
    ]);
  });

  it('puts the strongest first, the newer of equals first, and quakes without magnitude last', () => {
    expect(sortQuakes(quakes(), 'mag').map((quake) => quake.id)).toEqual([
      'new-strong',
      'old-strong',
      'new-weak',
      'negative',
      'no-mag',
    ]);
  });

  it('sorts the array it is given', () => {
    const list = quakes();
    expect(sortQuakes(list, 'time')).toBe(list);
  });
});
