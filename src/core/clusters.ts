/**
 * Clusters for the map at low zoom: points (dots in screen pixels) grouped by a square grid, and
 * each cell holding many of them drawn as one circle with its count, so a swarm of a thousand
 * quakes round one volcano reads as "1,200" instead of one blot.
 */

export interface Cluster {
  /** The mean position of its points. */
  readonly x: number;
  readonly y: number;
  readonly count: number;
}

export interface Clustering {
  readonly clusters: Cluster[];
  /** For each point, the index of its cluster, or -1 when it is drawn on its own. */
  readonly member: Int32Array;
}

/** Groups points by cells of `cell` pixels; a cell with at least `min` points becomes a cluster. */
export function gridClusters(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  cell: number,
  min: number,
): Clustering {
  const cells = new Map<string, number[]>();
  for (let i = 0; i < xs.length; i++) {
    const key = `${Math.floor((xs[i] as number) / cell)},${Math.floor((ys[i] as number) / cell)}`;
    const members = cells.get(key);
    if (members === undefined) cells.set(key, [i]);
    else members.push(i);
  }
  const member = new Int32Array(xs.length).fill(-1);
  const clusters: Cluster[] = [];
  for (const members of cells.values()) {
    if (members.length < min) continue;
    let x = 0;
    let y = 0;
    for (const i of members) {
      x += xs[i] as number;
      y += ys[i] as number;
      member[i] = clusters.length;
    }
    clusters.push({ x: x / members.length, y: y / members.length, count: members.length });
  }
  return { clusters, member };
}
