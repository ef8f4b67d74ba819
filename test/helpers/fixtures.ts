import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFeedText } from '../../src/core/feed.ts';
import type { Quake } from '../../src/core/quake.ts';

/** Real USGS feeds recorded on the dates in their names; see test/fixtures/usgs/README.md. */
export const FIXTURES = [
  '2017-12-03_all_hour.geojson',
  '2016-11-03_all_day.geojson',
  '2018-06-12_4.5_week.geojson',
  '2023-10-11_significant_month.geojson',
  '2023-04-07_all_week.geojson',
] as const;

export type FixtureName = (typeof FIXTURES)[number];

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/usgs/', import.meta.url));

export function fixtureText(name: FixtureName): string {
  return readFileSync(`${FIXTURE_DIR}${name}`, 'utf8');
}

/** The raw decoded feed, for computing expectations independently of the code under test. */
// biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON is walked freely in tests
export function fixtureJson(name: FixtureName): any {
  return JSON.parse(fixtureText(name));
}

/**
 * The text of a feed like fixture `name` holding only `features` (raw GeoJSON features), for
 * tests that change what the fake USGS serves between polls. It keeps the recorded
 * metadata.generated unless given `generated`: features moved in time need a matching one, as
 * the parser refuses quakes more than a day after it.
 */
export function feedText(
  name: FixtureName,
  // biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON is walked freely in tests
  features: any[],
  generated?: number,
): string {
  const feed = fixtureJson(name);
  return JSON.stringify({
    ...feed,
    metadata: {
      ...feed.metadata,
      count: features.length,
      generated: generated ?? feed.metadata.generated,
    },
    features,
  });
}

/**
 * The raw features of fixture `name` moved in time so that the newest happened a minute ago, for
 * a bridge, which keeps the quakes of the last 24 hours.
 */
// biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON is walked freely in tests
export function recentFeatures(name: FixtureName): any[] {
  const raw = fixtureJson(name);
  const shift = Date.now() - 60_000 - raw.features[0].properties.time;
  // biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON
  return raw.features.map((f: any) => ({
    ...f,
    properties: {
      ...f.properties,
      time: f.properties.time + shift,
      updated: f.properties.updated + shift,
    },
  }));
}

/**
 * The quakes of the recorded week, one a second over the hour before `now`, so they fall in a
 * bridge's snapshot window.
 */
export function recentQuakes(now: number): Quake[] {
  return parseFeedText(fixtureText('2023-04-07_all_week.geojson')).quakes.map((q, i) => ({
    ...q,
    time: now - 3_600_000 + i * 1000,
    updated: now - 3_600_000 + i * 1000,
  }));
}

/** A raw feature revised by USGS: same id, `updated` later by `laterMs`, a new magnitude. */
// biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON is walked freely in tests
export function revised(feature: any, mag: number, laterMs = 60_000): any {
  return {
    ...feature,
    properties: { ...feature.properties, mag, updated: feature.properties.updated + laterMs },
  };
}
