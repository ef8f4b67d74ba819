/**
 * The part of the world a set of quakes covers, for the map's first view: their latitude range,
 * and the shortest longitude range that holds them all, found as the complement of the widest
 * empty gap between neighbouring longitudes (so quakes on both sides of 180° are one range).
 */

export interface Extent {
  readonly south: number;
  readonly north: number;
  /** West edge in degrees; `east` may pass 180 when the range crosses the antimeridian. */
  readonly west: number;
  readonly east: number;
}

export function quakeExtent(points: Iterable<{ lat: number; lon: number }>): Extent | null {
  let south = Number.POSITIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  const wrapped: number[] = [];
  for (const { lat, lon } of points) {
    south = Math.min(south, lat);
    north = Math.max(north, lat);
    // Wrapped only when outside [-180, 180]: wrapping 179.99999999999994 would round it to -180.
    wrapped.push(lon >= -180 && lon <= 180 ? lon : ((((lon + 180) % 360) + 360) % 360) - 180);
  }
  if (wrapped.length === 0) return null;
  // A typed array sorts numbers natively, several times faster than a comparator on 20,000.
  const lons = new Float64Array(wrapped).sort();
  const first = lons[0] as number;
  const last = lons[lons.length - 1] as number;
  // The gap across the antimeridian, then each gap between sorted neighbours.
  let gap = first + 360 - last;
  let west = first;
  let east = last;
  for (let i = 1; i < lons.length; i++) {
    const here = (lons[i] as number) - (lons[i - 1] as number);
    if (here > gap) {
      gap = here;
      west = lons[i] as number;
      east = (lons[i - 1] as number) + 360;
    }
  }
  return { south, north, west, east };
}
