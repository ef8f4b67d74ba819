/**
 * What the user chose to see. The same filter drives the map, the list, the statistics and the
 * exports, so they always describe the same quakes.
 */
import { hasImpact, type Impact } from './impact.ts';
import type { Quake } from './quake.ts';
import { DAY_MS, HOUR_MS } from './time.ts';

export interface QuakeFilter {
  /** Smallest magnitude shown, inclusive; null for no lower limit. */
  readonly minMag: number | null;
  /** Magnitudes shown are below this, exclusive; null for no upper limit. */
  readonly maxMag: number | null;
  /** Event types hidden, in lower case as quakes carry them ("quarry blast", "explosion"). */
  readonly hiddenTypes: readonly string[];
  /** Only quakes from the last `windowMs` before the reference time; null for the whole feed. */
  readonly windowMs: number | null;
  /** Impact a quake must have, every one of them (impact.ts); empty for no such limit. */
  readonly impact: readonly Impact[];
}

export const NO_FILTER: QuakeFilter = {
  minMag: null,
  maxMag: null,
  hiddenTypes: [],
  windowMs: null,
  impact: [],
};

/** Lowest and highest magnitude the range inputs offer. */
export const MAG_RANGE = { min: -1, max: 10, step: 0.1 } as const;

/** Quick chips: "M x and above". The values are the lower bounds of the magnitude colour classes. */
export const MAG_PRESETS: readonly (number | null)[] = [null, 1, 2.5, 4.5, 6, 7];

/** Time windows the user can pick, in ms; null is the whole feed. */
export const TIME_WINDOWS: readonly (number | null)[] = [
  null,
  HOUR_MS,
  6 * HOUR_MS,
  DAY_MS,
  7 * DAY_MS,
];

/**
 * The "now" that time windows and "last hour" statistics count back from: when USGS generated
 * the feed, else the newest quake, else the clock. A feed recorded years ago (a test fixture)
 * thus shows the same statistics today as on the day it was recorded, and a live feed is at most
 * one regeneration (a minute) behind the clock.
 */
export function referenceTime(
  generated: number | null,
  quakes: Iterable<Quake>,
  now = Date.now(),
): number {
  if (generated !== null) return generated;
  let newest = Number.NEGATIVE_INFINITY;
  for (const quake of quakes) if (quake.time > newest) newest = quake.time;
  return Number.isFinite(newest) ? newest : now;
}

/**
 * Compiles a filter into a predicate (run once per quake per change, so it does no allocation).
 * A quake without magnitude passes only while no magnitude limit is set.
 */
export function compileFilter(filter: QuakeFilter, reference: number): (quake: Quake) => boolean {
  const { minMag, maxMag, windowMs } = filter;
  const hidden = new Set(filter.hiddenTypes);
  const since = windowMs === null ? Number.NEGATIVE_INFINITY : reference - windowMs;
  const anyMag = minMag === null && maxMag === null;
  const impact = filter.impact;
  return (quake) => {
    for (const need of impact) if (!hasImpact(quake, need)) return false;
    if (quake.mag === null) {
      if (!anyMag) return false;
    } else if (
      (minMag !== null && quake.mag < minMag) ||
      (maxMag !== null && quake.mag >= maxMag)
    ) {
      return false;
    }
    return quake.time >= since && !hidden.has(quake.type);
  };
}

/** Event types present, most frequent first, with their counts (for the type checkboxes). */
export function countTypes(quakes: Iterable<Quake>): [type: string, count: number][] {
  const counts = new Map<string, number>();
  for (const quake of quakes) counts.set(quake.type, (counts.get(quake.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
