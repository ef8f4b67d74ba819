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
