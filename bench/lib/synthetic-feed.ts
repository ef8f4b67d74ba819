/**
 * A large feed made from a real one, for the benchmarks: the real quakes again and again, each copy
 * with a new id, a position jittered by up to a degree and a time jittered by up to half an hour
 * (never after the feed was generated). The same seed always gives the same text.
 */
import { seededRandom } from '../../src/core/random.ts';

/** A GeoJSON feed as loosely typed as the JSON itself: the generator copies what it does not touch. */
export interface RawFeed {
  metadata: { generated: number; count?: number; title?: string; [key: string]: unknown };
  features: RawFeature[];
  [key: string]: unknown;
}

export interface RawFeature {
  id: string;
  properties: { time: number; updated: number; [key: string]: unknown };
  geometry: { type: string; coordinates: [number, number, ...unknown[]] };
  [key: string]: unknown;
}

const JITTER_DEGREES = 1;
const JITTER_MS = 30 * 60_000;

/** `count` quakes made from the features of `source` (copied in turn), with new ids `<id>-<n>`. */
export function syntheticFeed(source: RawFeed, count: number, seed: number): RawFeed {
  const next = seededRandom(seed);
  const jitter = (range: number) => (next() * 2 - 1) * range;
  const { generated } = source.metadata;
  const features: RawFeature[] = [];
  for (let n = 0; n < count; n++) {
    const base = source.features[n % source.features.length] as RawFeature;
    const [lon, lat, ...rest] = base.geometry.coordinates;
    const time = Math.min(generated, Math.round(base.properties.time + jitter(JITTER_MS)));
    features.push({
      ...base,
      id: `${base.id}-${n}`,
      properties: {
        ...base.properties,
        time,
        updated: Math.max(time, Math.min(generated, base.properties.updated)),
      },
      geometry: {
        ...base.geometry,
        coordinates: [
          wrapLongitude(lon + jitter(JITTER_DEGREES)),
          clampLatitude(lat + jitter(JITTER_DEGREES)),
          ...rest,
        ],
      },
    });
  }
  return {
    ...source,
    metadata: {
      ...source.metadata,
      count,
      title: `${source.metadata.title ?? 'USGS feed'} (synthetic, ${count} quakes)`,
    },
    features,
  };
}

function wrapLongitude(lon: number): number {
  const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
  return Math.round(wrapped * 1e4) / 1e4;
}

function clampLatitude(lat: number): number {
  return Math.round(Math.min(90, Math.max(-90, lat)) * 1e4) / 1e4;
}
