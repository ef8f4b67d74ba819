/**
 * Build time only (build.mjs): turns world-atlas's Natural Earth 1:110m TopoJSON into the two
 * encoded-polyline texts the page inlines: land polygons (filled, their outline is the coast) and
 * the borders between countries (each shared arc once). topojson-client decodes the topology.
 */
import type { Position } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryObject, Objects, Topology } from 'topojson-specification';
import { encodeLines } from '../../core/polyline.ts';

/** Coordinates are kept to 1/BASEMAP_FACTOR degree: plenty for a 1:110m map. */
export const BASEMAP_FACTOR = 20;

export interface EncodedBasemap {
  readonly land: string;
  readonly borders: string;
}

export function encodeBasemap(
  land: Topology<Objects>,
  countries: Topology<Objects>,
): EncodedBasemap {
  const landRings = polygonsOf(land, objectNamed(land, 'land'))
    .flat()
    .map((ring) => unwrap(ring.flat()));
  // An arc of two different countries is a border; one of a single country is coast, drawn with the land.
  const borders = mesh(countries, objectNamed(countries, 'countries'), (a, b) => a !== b);
  return {
    land: encodeLines(landRings, BASEMAP_FACTOR),
    borders: encodeLines(
      borders.coordinates.map((line) => line.flat()),
      BASEMAP_FACTOR,
    ),
  };
}

function objectNamed(topology: Topology<Objects>, name: string): GeometryObject {
  const object = topology.objects[name];
  if (object === undefined) throw new Error(`TopoJSON has no object "${name}"`);
  return object;
}

/** The polygons of an object, each as its rings of [lon, lat] degrees, in geometry order. */
function polygonsOf(topology: Topology<Objects>, object: GeometryObject): Position[][][] {
  const shapes = feature(topology, object);
  const geometries =
    'features' in shapes ? shapes.features.map((f) => f.geometry) : [shapes.geometry];
  return geometries.flatMap((geometry) => {
    if (geometry.type === 'Polygon') return [geometry.coordinates];
    if (geometry.type === 'MultiPolygon') return geometry.coordinates;
    return [];
  });
}

/**
 * Merged land polygons cross the antimeridian (Chukotka, Fiji): their longitudes jump between
 * 180 and -180. Such a ring is made continuous (it may then reach past 180, e.g. to 190) so it
 * fills and strokes as one shape; the page draws it again one world to the side where needed.
 * A ring whose jumps do not cancel out goes once around the pole (Antarctica) and stays as it is.
 */
function unwrap(ring: readonly number[]): number[] {
  const out = [...ring];
  let offset = 0;
  for (let i = 2; i < ring.length; i += 2) {
    const step = (ring[i] as number) - (ring[i - 2] as number);
    if (step > 180) offset -= 360;
    else if (step < -180) offset += 360;
    out[i] = (ring[i] as number) + offset;
  }
  if (offset !== 0) return [...ring];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < out.length; i += 2) {
    min = Math.min(min, out[i] as number);
    max = Math.max(max, out[i] as number);
  }
  const shift = -360 * Math.round((min + max) / 2 / 360);
  for (let i = 0; i < out.length; i += 2) out[i] = (out[i] as number) + shift;
  return out;
}
