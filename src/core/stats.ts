/**
 * Live statistics over the quakes on screen. Each function is one pass over the quakes (summarize
 * and activity allocate nothing per quake), so they can run on every update of a 20,000-quake feed.
 */
import { DEFAULT_ALERT_THRESHOLD } from './alert.ts';
import type { Quake } from './quake.ts';
import { regionOf } from './region.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.ts';

export interface Summary {
  readonly count: number;
  /** How many of them have a magnitude (the mean is over these). */
  readonly withMag: number;
  /** The strongest quake, or null when none has a magnitude. */
  readonly strongest: Quake | null;
  readonly meanMag: number | null;
  /** Quakes of magnitude 4.5 or more (the course's alert threshold). */
  readonly significant: number;
  readonly tsunami: number;
  /** Quakes in the hour before the reference time. */
  readonly lastHour: number;
}

export function summarize(quakes: Iterable<Quake>, reference: number): Summary {
  let count = 0;
  let withMag = 0;
  let sum = 0;
  let strongest: Quake | null = null;
  let significant = 0;
  let tsunami = 0;
  let lastHour = 0;
  const hourAgo = reference - HOUR_MS;
  for (const quake of quakes) {
    count++;
    if (quake.tsunami) tsunami++;
    if (quake.time > hourAgo && quake.time <= reference) lastHour++;
    const mag = quake.mag;
    if (mag === null) continue;
    withMag++;
    sum += mag;
    if (mag >= DEFAULT_ALERT_THRESHOLD) significant++;
    if (strongest === null || mag > (strongest.mag as number)) strongest = quake;
  }
  return {
    count,
    withMag,
    strongest,
    meanMag: withMag === 0 ? null : sum / withMag,
    significant,
    tsunami,
    lastHour,
  };
}

export interface Activity {
  /** Start of the first bin, epoch ms. */
  readonly start: number;
  readonly binMs: number;
  /** Quakes per bin, oldest bin first. */
  readonly counts: number[];
  /** Largest magnitude per bin; null for a bin with no magnitude. */
  readonly maxMag: (number | null)[];
}

/** The most bars an activity chart has, whatever the span: a 300-pixel chart shows no more. */
export const MAX_BINS = 200;

/**
 * Bar width for a chart covering `spanMs`: 5 minutes for an hour, hourly up to a day, then 6 h,
 * then daily; past MAX_BINS days, whole days wide enough that the bars stay at most MAX_BINS.
 */
export function binFor(spanMs: number): number {
  if (spanMs <= HOUR_MS) return 5 * MINUTE_MS;
  if (spanMs <= DAY_MS) return HOUR_MS;
  if (spanMs <= 7 * DAY_MS) return 6 * HOUR_MS;
  return Math.max(1, Math.ceil(spanMs / MAX_BINS / DAY_MS)) * DAY_MS;
}

/**
 * Quakes per time bin over the `spanMs` (finite) before the reference time, in at most MAX_BINS
 * bins; quakes outside are not counted.
 */
export function activity(quakes: Iterable<Quake>, reference: number, spanMs: number): Activity {
  const binMs = binFor(spanMs);
  const bins = Math.max(1, Math.ceil(spanMs / binMs));
  const start = reference - bins * binMs;
  const counts = new Array<number>(bins).fill(0);
  const maxMag = new Array<number | null>(bins).fill(null);
  for (const quake of quakes) {
    // A quake exactly at the reference time belongs to the last bin.
    const bin = quake.time === reference ? bins - 1 : Math.floor((quake.time - start) / binMs);
    if (bin < 0 || bin >= bins) continue;
    counts[bin] = (counts[bin] as number) + 1;
    const top = maxMag[bin] as number | null;
    if (quake.mag !== null && (top === null || quake.mag > top)) maxMag[bin] = quake.mag;
  }
  return { start, binMs, counts, maxMag };
}

export interface RegionCount {
  readonly region: string;
  readonly count: number;
  readonly maxMag: number | null;
}

/** The regions with most quakes (ties: the stronger first, then by name). Quakes without a place are skipped. */
export function topRegions(quakes: Iterable<Quake>, limit = 5): RegionCount[] {
  const byRegion = new Map<string, { count: number; maxMag: number | null }>();
  for (const quake of quakes) {
    const region = regionOf(quake.place);
    if (region === null) continue;
    const entry = byRegion.get(region);
    if (entry === undefined) {
      byRegion.set(region, { count: 1, maxMag: quake.mag });
      continue;
    }
    entry.count++;
    if (quake.mag !== null && (entry.maxMag === null || quake.mag > entry.maxMag)) {
      entry.maxMag = quake.mag;
    }
  }
  return [...byRegion]
    .map(([region, { count, maxMag }]) => ({ region, count, maxMag }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        (b.maxMag ?? Number.NEGATIVE_INFINITY) - (a.maxMag ?? Number.NEGATIVE_INFINITY) ||
        a.region.localeCompare(b.region),
    )
    .slice(0, limit);
}
