import { describe, expect, it } from 'vitest';
import { regionOf } from '../../../src/core/region.ts';

describe('regionOf', () => {
  it.each([
    ['10km S of Tokyo, Japan', 'Japan'],
    ['3km NNE of North Tustin, CA', 'California'],
    ['67 km SSE of Sand Point, Alaska', 'Alaska'],
    ['59 km W of Clear, AK', 'Alaska'],
    ['8 km S of Indios, Puerto Rico', 'Puerto Rico'],
    ['Fiji region', 'Fiji region'],
    ['South of the Fiji Islands', 'South of the Fiji Islands'],
    ['  Central   Mid-Atlantic Ridge ', 'Central Mid-Atlantic Ridge'],
  ])('%s -> %s', (place, region) => {
    expect(regionOf(place)).toBe(region);
  });

  it('has no region for a missing or blank place', () => {
    expect(regionOf(null)).toBeNull();
    expect(regionOf('Somewhere, ')).toBeNull();
  });
});
