/**
 * Build time only (build.mjs): turns the PB2002 plate boundaries (data/tectonic-plates/, GeoJSON
 * LineStrings) into the encoded-polyline text the page inlines, simplified to what a world map
 * shows: Douglas-Peucker at PLATES_TOLERANCE degrees, segments that meet end to end joined.
 */
import { encodeLines } from '../../core/polyline.ts';

/** Coordinates are kept to 1/PLATES_FACTOR degree. */
export const PLATES_FACTOR = 10;
/** Points closer than this (degrees) to the simplified line are dropped: under 2 px at zoom 5. */
export const PLATES_TOLERANCE = 0.1;

interface LineFeatures {
  readonly features: readonly { readonly geometry: { type: string; coordinates: unknown } }[];
}

export function encodePlates(boundaries: LineFeatures): string {
  const lines: number[][][] = [];
  for (const { geometry } of boundaries.features) {
    if (geometry.type !== 'LineString') {
      throw new Error(`plate boundaries must be LineStrings, got a ${geometry.type}`);
    }
    lines.push((geometry.coordinates as number[][]).map(([lon, lat]) => [lon ?? 0, lat ?? 0]));
  }
  return encodeLines(
    joinLines(lines).map((line) => simplify(line, PLATES_TOLERANCE).flat()),
    PLATES_FACTOR,
  );
}

/** Appends each line to the one that ends where it starts, so shared end points are written once. */
export function joinLines(lines: readonly (readonly number[][])[]): number[][][] {
  const key = (point: readonly number[]) => `${point[0]},${point[1]}`;
  const byEnd = new Map<string, number[][]>();
  const out: number[][][] = [];
  for (const line of lines) {
    const first = line[0];
    const last = line[line.length - 1];
    if (first === undefined || last === undefined) continue;
    const before = byEnd.get(key(first));
    if (before === undefined) {
      const copy = [...line];
      out.push(copy);
      byEnd.set(key(last), copy);
    } else {
      byEnd.delete(key(first));
      before.push(...line.slice(1));
      byEnd.set(key(last), before);
    }
  }
  return out;
}

/** Douglas-Peucker in plain degrees: keeps the ends and every point farther than `tolerance` from the kept line. */
export function simplify(line: readonly number[][], tolerance: number): number[][] {
  if (line.length <= 2) return [...line];
  const keep = new Uint8Array(line.length);
  keep[0] = 1;
  keep[line.length - 1] = 1;
  const stack: [number, number][] = [[0, line.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop() as [number, number];
    let farthest = -1;
    let distance = tolerance;
    for (let i = from + 1; i < to; i++) {
      const d = distanceToSegment(
        line[i] as number[],
        line[from] as number[],
        line[to] as number[],
      );
      if (d > distance) {
        distance = d;
        farthest = i;
      }
    }
    if (farthest >= 0) {
      keep[farthest] = 1;
      stack.push([from, farthest], [farthest, to]);
    }
  }
  return line.filter((_, i) => keep[i] === 1);
}

function distanceToSegment(p: number[], a: number[], b: number[]): number {
  const [px, py] = p as [number, number];
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
