/** The 20 USGS GeoJSON summary feeds: a magnitude level crossed with a time period. */
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.ts';

export const FEED_LEVELS = ['significant', '4.5', '2.5', '1.0', 'all'] as const;
export const FEED_PERIODS = ['hour', 'day', 'week', 'month'] as const;

type FeedLevel = (typeof FEED_LEVELS)[number];
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

/** How far back a feed reaches. */
export const PERIOD_SPAN_MS: Readonly<Record<FeedPeriod, number>> = {
  hour: HOUR_MS,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
};

/** How often USGS regenerates a feed: every minute, except the 30-day feeds every 15 minutes. */
export const PERIOD_REFRESH_MS: Readonly<Record<FeedPeriod, number>> = {
  hour: MINUTE_MS,
  day: MINUTE_MS,
  week: MINUTE_MS,
  month: 15 * MINUTE_MS,
};
