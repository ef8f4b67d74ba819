/** Where the quakes come from: one of the 20 USGS feeds or any GeoJSON URL, and how often to poll it. */
import {
  type FeedId,
  type FeedPeriod,
  feedName,
  feedUrl,
  PERIOD_REFRESH_MS,
  PERIOD_SPAN_MS,
} from './feeds.ts';

export interface FeedSource {
  readonly url: string;
  /** "all_day", or the URL for a custom feed. */
  readonly name: string;
  /** The USGS period when known (also read from a custom URL's file name, e.g. ".._4.5_week.geojson"). */
  readonly period: FeedPeriod | null;
  /** How often to fetch: the poll option, else how often USGS regenerates the feed. */
  readonly pollMs: number;
  /** How far back the feed reaches, when known. */
  readonly spanMs: number | null;
}

const PERIOD_IN_URL = /(?:significant|4\.5|2\.5|1\.0|all)_(hour|day|week|month)\.geojson(?:$|[?#])/;

export function feedSource(feed: FeedId | string, pollMs: number | null): FeedSource {
  const custom = typeof feed === 'string';
  const period = custom
    ? ((PERIOD_IN_URL.exec(feed)?.[1] as FeedPeriod | undefined) ?? null)
    : feed.period;
  return {
    url: custom ? feed : feedUrl(feed),
    name: custom ? feed : feedName(feed),
    period,
    pollMs: pollMs ?? PERIOD_REFRESH_MS[period ?? 'day'],
    spanMs: period === null ? null : PERIOD_SPAN_MS[period],
  };
}
