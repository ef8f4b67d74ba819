/** The 20 USGS GeoJSON summary feeds: a magnitude level crossed with a time period. */

export const FEED_LEVELS = ['significant', '4.5', '2.5', '1.0', 'all'] as const;
export const FEED_PERIODS = ['hour', 'day', 'week', 'month'] as const;

export type FeedLevel = (typeof FEED_LEVELS)[number];
export type FeedPeriod = (typeof FEED_PERIODS)[number];

export interface FeedId {
  readonly level: FeedLevel;
  readonly period: FeedPeriod;
}

const BASE = 'https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/';

export function feedName({ level, period }: FeedId): string {
  return `${level}_${period}`;
}

export function feedUrl(feed: FeedId): string {
  return `${BASE}${feedName(feed)}.geojson`;
}

/** Reads "4.5_week" back into a FeedId; null for anything that is not one of the 20 feeds. */
export function parseFeedName(name: string): FeedId | null {
  const match = /^(significant|4\.5|2\.5|1\.0|all)_(hour|day|week|month)$/.exec(name);
  if (match === null) return null;
  return { level: match[1] as FeedLevel, period: match[2] as FeedPeriod };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How far back a feed reaches. */
export const PERIOD_SPAN_MS: Readonly<Record<FeedPeriod, number>> = {
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
};

/** How often USGS regenerates a feed: every minute, except the 30-day feeds every 15 minutes. */
export const PERIOD_REFRESH_MS: Readonly<Record<FeedPeriod, number>> = {
  hour: MINUTE,
  day: MINUTE,
  week: MINUTE,
  month: 15 * MINUTE,
};
