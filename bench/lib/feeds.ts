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
