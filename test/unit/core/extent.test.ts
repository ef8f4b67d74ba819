import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quakeExtent } from '../../../src/core/extent.ts';
import { printSeedOnFailure, TEST_SEED } from '../../helpers/seed.ts';

describe('quakeExtent', () => {
  it('is null without quakes', () => {
    expect(quakeExtent([])).toBeNull();
  });

  it('spans the latitudes and the longitudes of quakes on one side of the world', () => {
    expect(
      quakeExtent([
        { lat: 34, lon: -118 },
        { lat: 40, lon: -122 },
        { lat: 19, lon: -155 },
      ]),
    ).toEqual({ south: 19, north: 40, west: -155, east: -118 });
  });

  it('crosses 180° rather than spanning the world for quakes on both sides of it', () => {
    expect(
      quakeExtent([
        { lat: -18, lon: 178 },
        { lat: -20, lon: -177 },
        { lat: -15, lon: 170 },
      ]),
    ).toEqual({ south: -20, north: -15, west: 170, east: 183 });
  });

  it('holds every quake in a range no wider than 360°', () => {
    printSeedOnFailure();
    const point = fc.record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 50 }), (points) => {
        const extent = quakeExtent(points);
        if (extent === null) return false;
        expect(extent.east - extent.west).toBeLessThanOrEqual(360);
        for (const { lat, lon } of points) {
          expect(lat).toBeGreaterThanOrEqual(extent.south);
          expect(lat).toBeLessThanOrEqual(extent.north);
          const shifted = lon < extent.west - 1e-9 ? lon + 360 : lon;
          expect(shifted).toBeGreaterThanOrEqual(extent.west - 1e-9);
          expect(shifted).toBeLessThanOrEqual(extent.east + 1e-9);
        }
        return true;
      }),
      { seed: TEST_SEED },
    );
  });
});
