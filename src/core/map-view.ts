/**
 * A rectangle of the map in degrees, as Leaflet reports the view: west and east may run past
 * ±180 when the user has panned around the world, and west is always less than east.
 */
export interface MapBox {
  readonly south: number;
  readonly north: number;
  readonly west: number;
  readonly east: number;
}

/** True when the box spans all longitudes (a view wider than the world). */
export function coversAllLongitudes(box: MapBox): boolean {
  return box.east - box.west >= 360;
}

/** Whether a quake at `lat`, `lon` (lon in [-180, 180]) is inside the box, on any world copy. */
export function inBox(box: MapBox, lat: number, lon: number): boolean {
  if (lat < box.south || lat > box.north) return false;
  if (coversAllLongitudes(box)) return true;
  // The copy of `lon` at or east of the box's west edge.
  const shifted = box.west + ((((lon - box.west) % 360) + 360) % 360);
  return shifted <= box.east;
}

/** The world's width in CSS pixels at zoom 0 in Web Mercator (Leaflet's CRS, tiles of 256). */
export const WORLD_PX = 256;

/** Where a map tile lies: in pixels of the world at its zoom, and in world units (0..1 across). */
export interface TileArea {
  /** The tile's top-left corner in world pixels at its zoom. */
  readonly x: number;
  readonly y: number;
  /** The world's width in pixels at the tile's zoom. */
  readonly scale: number;
  /** Two pixels in world units: a shape this close to the tile may still show in it. */
  readonly margin: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** The area of tile `x`, `y` at zoom `z` for tiles `tilePx` CSS pixels wide. */
export function tileArea(x: number, y: number, z: number, tilePx: number): TileArea {
  const scale = WORLD_PX * 2 ** z;
  return {
    x: x * tilePx,
    y: y * tilePx,
    scale,
    margin: 2 / scale,
    minX: (x * tilePx) / scale,
    minY: (y * tilePx) / scale,
    maxX: ((x + 1) * tilePx) / scale,
    maxY: ((y + 1) * tilePx) / scale,
  };
}
