import { describe, expect, it } from 'vitest';
import { gridClusters } from '../../../src/core/clusters.ts';

describe('gridClusters', () => {
  it('turns a cell with many points into one cluster at their mean, and leaves sparse points alone', () => {
    const xs = [10, 12, 14, 16, 200, 400];
    const ys = [10, 12, 14, 16, 200, 10];
    const { clusters, member } = gridClusters(xs, ys, 48, 3);
    expect(clusters).toEqual([{ x: 13, y: 13, count: 4 }]);
    expect([...member]).toEqual([0, 0, 0, 0, -1, -1]);
  });

  it('clusters nothing when no cell reaches the minimum', () => {
    const { clusters, member } = gridClusters([0, 100, 200], [0, 0, 0], 48, 2);
    expect(clusters).toEqual([]);
    expect([...member]).toEqual([-1, -1, -1]);
  });
});
