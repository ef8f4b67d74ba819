import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeLines } from '../../../src/core/polyline.ts';
import {
  encodePlates,
  joinLines,
  PLATES_FACTOR,
  PLATES_TOLERANCE,
  simplify,
} from '../../../src/dashboard/map/plate-boundaries.ts';

const pb2002 = JSON.parse(readFileSync('data/tectonic-plates/PB2002_boundaries.json', 'utf8'));

describe('simplify', () => {
  it('keeps the ends and the points farther than the tolerance, drops the rest', () => {
    const line = [
      [0, 0],
      [1, 0.05],
      [2, 0],
      [3, 1],
      [4, 0],
    ];
    expect(simplify(line, 0.1)).toEqual([
      [0, 0],
      [2, 0],
      [3, 1],
      [4, 0],
    ]);
    expect(simplify(line, 2)).toEqual([
      [0, 0],
      [4, 0],
    ]);
  });
});

describe('joinLines', () => {
  it('appends a line to the one that ends where it starts', () => {
    expect(
      joinLines([
        [
          [0, 0],
          [1, 1],
        ],
        [
          [1, 1],
          [2, 2],
        ],
        [
          [5, 5],
          [6, 6],
        ],
      ]),
    ).toEqual([
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      [
        [5, 5],
        [6, 6],
      ],
    ]);
  });
});

describe('encodePlates on PB2002', () => {
  const encoded = encodePlates(pb2002);
  const lines = decodeLines(encoded, PLATES_FACTOR);

  it('fits in under 8 KB of the page', () => {
    expect(encoded.length).toBeLessThan(8 * 1024);
  });

  it('stays within the tolerance (plus rounding) of every original boundary point', () => {
    const rounding = Math.SQRT2 / (2 * PLATES_FACTOR);
    const segments: number[][] = [];
    for (const line of lines) {
      for (let i = 2; i < line.length; i += 2) {
        segments.push(line.slice(i - 2, i + 2));
      }
    }
    let worst = 0;
    for (const feature of pb2002.features) {
      for (const [lon, lat] of feature.geometry.coordinates as number[][]) {
        let nearest = Number.POSITIVE_INFINITY;
        for (const [ax, ay, bx, by] of segments as [number, number, number, number][]) {
          const dx = bx - ax;
          const dy = by - ay;
          const length = dx * dx + dy * dy;
          const t =
            length === 0
              ? 0
              : Math.max(
                  0,
                  Math.min(1, (((lon as number) - ax) * dx + ((lat as number) - ay) * dy) / length),
                );
          nearest = Math.min(
            nearest,
            Math.hypot((lon as number) - ax - t * dx, (lat as number) - ay - t * dy),
          );
        }
        worst = Math.max(worst, nearest);
      }
    }
    expect(worst).toBeLessThanOrEqual(PLATES_TOLERANCE + rounding);
  });

  it('refuses geometry that is not a LineString', () => {
    expect(() =>
      encodePlates({ features: [{ geometry: { type: 'Point', coordinates: [0, 0] } }] }),
    ).toThrow('plate boundaries must be LineStrings, got a Point');
  });
});
