import { PERIOD_SPAN_MS } from './feeds.ts';

/**
 * How far back the feed at `url` reaches: the period in its file name (`…_hour.geojson`,
 * `…_day.geojson`, …), as every USGS summary feed is named; 30 days, the longest period, for any
 * other URL, so that nothing a feed can still hold is ever forgotten.
 */
export function feedWindowMs(url: string): number {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const period = /(hour|day|week|month)\.geojson$/i.exec(path)?.[1]?.toLowerCase();
  switch (period) {
    case 'hour':
    case 'day':
    case 'week':
    case 'month':
      return PERIOD_SPAN_MS[period];
    default:
      return PERIOD_SPAN_MS.month;
  }
}
