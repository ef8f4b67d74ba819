import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Objects, Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { decodeLines } from '../../../src/core/polyline.ts';
import { BASEMAP_FACTOR, encodeBasemap } from '../../../src/dashboard/map/natural-earth.ts';

const require = createRequire(import.meta.url);
const atlas = (name: string): Topology<Objects> =>
  JSON.parse(readFileSync(require.resolve(`world-atlas/${name}`), 'utf8'));

describe('encodeBasemap on a hand-made topology', () => {
  // Two squares side by side sharing arc 1: country A = arcs 0,1; country B = arcs 2,~1.
  const squares: Topology<Objects> = {
    type: 'Topology',
    transform: { scale: [1, 1], translate: [0, 0] },
    arcs: [
      [
        [1, 0],
        [-1, 0],
        [0, 1],
        [1, 0],
      ],
      [
        [1, 1],
        [0, -1],
      ],
      [
        [1, 0],
        [1, 0],
        [0, 1],
        [-1, 0],
      ],
    ],
    objects: {
      land: { type: 'Polygon', arcs: [[0, 1]] },
      countries: {
        type: 'GeometryCollection',
        geometries: [
          { type: 'Polygon', arcs: [[0, 1]] },
          { type: 'Polygon', arcs: [[2, -2]] },
        ],
      },
    },
  };

  it('stitches rings from arcs and keeps only shared arcs as borders', () => {
    const { land, borders } = encodeBasemap(squares, squares);
    expect(decodeLines(land, BASEMAP_FACTOR)).toEqual([[1, 0, 0, 0, 0, 1, 1, 1, 1, 0]]);
    expect(decodeLines(borders, BASEMAP_FACTOR)).toEqual([[1, 1, 1, 0]]);
  });
});

describe('encodeBasemap on rings across the antimeridian', () => {
  /** The land of a topology with one polygon (absolute coordinates, no transform), decoded. */
  const land = (ring: number[][]) => {
    const topology: Topology<Objects> = {
      type: 'Topology',
      arcs: [ring],
      objects: {
        land: { type: 'Polygon', arcs: [[0]] },
        countries: { type: 'GeometryCollection', geometries: [] },
      },
    };
    return decodeLines(encodeBasemap(topology, topology).land, BASEMAP_FACTOR);
  };

  it('makes a ring across the antimeridian continuous, mostly on the [-180, 180] side', () => {
    const fiji = [
      [179, -16],
      [179.5, -16.5],
      [-180, -16.2],
      [-179.5, -16],
      [179, -16],
    ];
    expect(land(fiji)).toEqual([[179, -16, 179.5, -16.5, 180, -16.2, 180.5, -16, 179, -16]]);
  });

  it('leaves a ring around the pole and an ordinary ring as they are', () => {
    const antarctica = [
      [-180, -84],
      [0, -70],
      [178, -84],
      [-180, -84.5],
      [-180, -84],
    ];
    expect(land(antarctica)).toEqual([antarctica.flat()]);
    const square = [
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 1],
    ];
    expect(land(square)).toEqual([square.flat()]);
  });
});

describe('encodeBasemap on Natural Earth 1:110m (world-atlas)', () => {
  const { land, borders } = encodeBasemap(atlas('land-110m.json'), atlas('countries-110m.json'));
  const rings = decodeLines(land, BASEMAP_FACTOR);

  it('is compact enough to inline: under 25 KB for land and borders together', () => {
    expect(land.length + borders.length).toBeLessThan(25_000);
    expect(rings.length).toBeGreaterThan(100);
    // Shared arcs that meet are joined into one line: about 160 lines for some 330 arcs.
    expect(decodeLines(borders, BASEMAP_FACTOR).length).toBeGreaterThan(100);
  });

  it('has no ring jumping across the map, except the one around the South Pole', () => {
    const jumping = rings.filter((ring) =>
      ring.some((x, i) => i % 2 === 0 && i >= 2 && Math.abs(x - (ring[i - 2] as number)) > 180),
    );
    expect(jumping).toHaveLength(1);
    expect(Math.max(...(jumping[0] as number[]).filter((_, i) => i % 2 === 1))).toBeLessThan(-60);
  });

  it('keeps Fiji whole across 180°', () => {
    const fiji = rings.filter((ring) =>
      ring.some((v, i) => i % 2 === 1 && v > -17 && v < -16 && (ring[i - 1] as number) > 179.5),
    );
    expect(fiji.some((ring) => ring.some((v, i) => i % 2 === 0 && v > 180))).toBe(true);
  });
});
