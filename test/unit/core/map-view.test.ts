import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tileArea, WORLD_PX } from '../../../src/core/map-view.ts';
import { printSeedOnFailure } from '../../helpers/seed.ts';

describe('tileArea', () => {
  it('puts the whole world in the one 512-px tile of zoom 1, and a quarter of it in each 256-px tile', () => {
    expect(tileArea(0, 0, 1, 512)).toMatchObject({ x: 0, y: 0, scale: 512, minX: 0, maxX: 1 });
    expect(tileArea(1, 1, 1, 256)).toMatchObject({
      x: 256,
      y: 256,
      minX: 0.5,
      minY: 0.5,
      maxX: 1,
      maxY: 1,
    });
  });

  it('tiles the world without gaps or overlaps at every zoom, whatever the tile size', () => {
    printSeedOnFailure();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(256, 512),
        fc.nat(),
        (z, tilePx, seed) => {
          const perSide = Math.max(1, (WORLD_PX * 2 ** z) / tilePx);
          const x = seed % perSide;
          const area = tileArea(x, 0, z, tilePx);
          expect(area.maxX - area.minX).toBeCloseTo(tilePx / (WORLD_PX * 2 ** z), 12);
          if (x + 1 < perSide) expect(tileArea(x + 1, 0, z, tilePx).minX).toBe(area.maxX);
          expect(area.margin * area.scale).toBeCloseTo(2, 12);
        },
      ),
    );
  });
});
