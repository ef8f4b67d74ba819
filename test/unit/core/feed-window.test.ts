import { describe, expect, it } from 'vitest';
import { feedWindowMs } from '../../../src/core/feed-window.ts';
import { FEED_LEVELS, FEED_PERIODS, feedUrl, PERIOD_SPAN_MS } from '../../../src/core/feeds.ts';

const HOUR = 3_600_000;

describe('feedWindowMs', () => {
  it('reads the period of each of the 20 USGS feeds from its URL', () => {
    for (const level of FEED_LEVELS) {
      for (const period of FEED_PERIODS) {
        expect(feedWindowMs(feedUrl({ level, period }))).toBe(PERIOD_SPAN_MS[period]);
      }
    }
  });

  it('reads it from recorded copies whose names end in the feed name', () => {
    expect(feedWindowMs('http://127.0.0.1:8080/fixtures/2017-12-03_all_hour.geojson')).toBe(HOUR);
    expect(feedWindowMs('http://x/feeds/4.5_WEEK.geojson?cache=no')).toBe(7 * 24 * HOUR);
  });

  it('assumes the longest window, 30 days, for any other URL', () => {
    expect(feedWindowMs('https://example.org/quakes.json')).toBe(30 * 24 * HOUR);
    expect(feedWindowMs('not a url')).toBe(30 * 24 * HOUR);
  });
});
