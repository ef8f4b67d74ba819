/**
 * Build time only (build.mjs): turns world-atlas's Natural Earth 1:110m TopoJSON into the two
 * encoded-polyline texts the page inlines: land polygons (filled, their outline is the coast) and
 * the borders between countries (each shared arc once).
 */
import { encodeLines } from '../../core/polyline.ts';

/** Coordinates are kept to 1/BASEMAP_FACTOR degree: plenty for a 1:110m map. */
export const BASEMAP_FACTOR = 20;

interface Geometry {
  readonly type: string;
  readonly arcs?: unknown;
  readonly geometries?: readonly Geometry[];
}

/** The subset of a quantized TopoJSON topology this encoder reads. */
export interface Topology {
  readonly type: 'Topology';
  readonly transform: { readonly scale: [number, number]; readonly translate: [number, number] };
  readonly arcs: readonly (readonly (readonly [number, number])[])[];
  readonly objects: Readonly<Record<string, Geometry>>;
}

export interface EncodedBasemap {
  readonly land: string;
  readonly borders: string;
}

export function encodeBasemap(land: Topology, countries: Topology): EncodedBasemap {
  const landArcs = absoluteArcs(land);
  const landRings = ringsOf(objectNamed(land, 'land'))
    .flat()
    .map((ring) => unwrap(stitch(ring, landArcs)));

  // An arc used by two different countries is a border; one used once is coast, drawn with the land.
  const users = new Map<number, Set<number>>();
  ringsOf(objectNamed(countries, 'countries')).forEach((rings, country) => {
    for (const arc of rings.flat()) {
      const index = arc < 0 ? ~arc : arc;
      const set = users.get(index) ?? new Set<number>();
      set.add(country);
      users.set(index, set);
    }
  });
  const countryArcs = absoluteArcs(countries);
  const borders = [...users]
    .filter(([, set]) => set.size > 1)
    .map(([index]) => countryArcs[index] as number[])
    .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));

  return {
    land: encodeLines(landRings, BASEMAP_FACTOR),
    borders: encodeLines(borders, BASEMAP_FACTOR),
  };
}

function objectNamed(topology: Topology, name: string): Geometry {
  const object = topology.objects[name];
  if (object === undefined) throw new Error(`TopoJSON has no object "${name}"`);
  return object;
}

/** The rings (lists of arc indices) of each geometry of an object, in geometry order. */
function ringsOf(object: Geometry): number[][][] {
  const geometries = object.type === 'GeometryCollection' ? (object.geometries ?? []) : [object];
  return geometries.map((geometry) => {
    if (geometry.type === 'Polygon') return geometry.arcs as number[][];
    if (geometry.type === 'MultiPolygon') return (geometry.arcs as number[][][]).flat();
    return [];
  });
}

/** Undoes TopoJSON's quantization and delta encoding: each arc as flat [lon, lat, ...] degrees. */
function absoluteArcs(topology: Topology): number[][] {
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    const out: number[] = [];
    for (const [dx, dy] of arc) {
      x += dx;
      y += dy;
      out.push(x * sx + tx, y * sy + ty);
    }
    return out;
  });
}

/** Joins a ring's arcs (a negative index ~i means arc i reversed) into one closed flat line. */
function stitch(ring: readonly number[], arcs: readonly number[][]): number[] {
  const out: number[] = [];
  for (const ref of ring) {
    const arc = arcs[ref < 0 ? ~ref : ref];
    if (arc === undefined) throw new Error(`TopoJSON ring refers to missing arc ${ref}`);
    const points = ref < 0 ? reversePairs(arc) : arc;
    // Consecutive arcs share their joining point.
    out.push(...(out.length === 0 ? points : points.slice(2)));
  }
  return out;
}

/**
 * Merged land polygons cross the antimeridian (Chukotka, Fiji): their longitudes jump between
 * 180 and -180. Such a ring is made continuous (it may then reach past 180, e.g. to 190) so it
 * fills and strokes as one shape; the page draws it again one world to the side where needed.
 * A ring whose jumps do not cancel out goes once around the pole (Antarctica) and stays as it is.
 */
export function unwrap(ring: readonly number[]): number[] {
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

function reversePairs(line: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = line.length - 2; i >= 0; i -= 2) out.push(line[i] as number, line[i + 1] as number);
  return out;
}
