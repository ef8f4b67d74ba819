/** The feeds the benchmarks use: the real recorded week, and 20,000 quakes made from it. */
import { fixtureText } from '../../test/helpers/fixtures.ts';
import { type RawFeed, syntheticFeed } from './synthetic-feed.ts';

export const WEEK = '2023-04-07_all_week.geojson';
export const SYNTHETIC_QUAKES = 20_000;
/** The same seed gives the same text at every run. */
export const SYNTHETIC_SEED = 20_230_407;

export function weekText(): string {
  return fixtureText(WEEK);
}

export function syntheticText(count = SYNTHETIC_QUAKES, seed = SYNTHETIC_SEED): string {
  return JSON.stringify(syntheticFeed(JSON.parse(weekText()) as RawFeed, count, seed));
}

/** metadata.generated of a feed's text. */
export function generatedOf(text: string): number {
  return (JSON.parse(text) as RawFeed).metadata.generated;
}

/** One in this many quakes is revised at each step of revisedTexts. */
const REVISED_EVERY = 100;

/**
 * `steps` versions of a feed, each revising another 1% of its quakes as USGS revises them (a new
 * `updated` a minute later and a magnitude 0.1 higher), on top of the revisions of the one before:
 * version k differs from version k - 1 in 1% of the quakes.
 */
export function revisedTexts(text: string, steps: number): string[] {
  const feed = JSON.parse(text) as RawFeed;
  const texts: string[] = [];
  for (let step = 0; step < steps; step++) {
    feed.features.forEach((feature, i) => {
      if (i % REVISED_EVERY !== step % REVISED_EVERY) return;
      const { properties } = feature;
      const mag = typeof properties.mag === 'number' ? properties.mag : 1;
      properties.mag = Math.round((mag + 0.1) * 10) / 10;
      properties.updated += 60_000;
    });
    texts.push(JSON.stringify(feed));
  }
  return texts;
}
